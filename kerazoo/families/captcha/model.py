"""Captcha readers: a convolutional backbone whose image columns feed GRUs.

Input ``(batch, 60, 160, 3)`` RGB pixels in [0, 255] (uint8 or float; the
model rescales). The backbone's four blocks (Conv + BatchNorm + LeakyReLU +
pooling) turn the image into 20 columns, read left to right as time steps.

* ``cnn_gru_reader``: a GRU encoder summarises the columns, a GRU decoder
  unrolls that summary into one step per character → ``(batch, length, 36)``
  probabilities (the tutorial's design, fixed length).
* ``crnn_ctc_reader``: bidirectional GRUs label every column →
  ``(batch, 20, 37)`` logits, class 36 the CTC blank (any length up to ~10).

Characters are ``kerazoo.families.captcha.data.ALPHABET`` (digits, then a-z).
"""

import keras

import kerazoo.layers.ctc  # noqa: F401  (registers the CTCLoss that crnn_ctc_captcha names)
from kerazoo.layers.checks import check_positive_int, check_rate
from kerazoo.models.recurrent import recurrent_stack
from kerazoo.registry import register_model

NUM_CLASSES = 36
IMAGE_SHAPE = (60, 160, 3)
# Strides and pool sizes (height, width) of the four blocks: 60x160 → 3x20, i.e.
# 20 time steps. The first block's stride 2 does what full-resolution convs
# would at a quarter of the cost (training has to fit on a couple of CPU cores).
_STRIDES = (2, 1, 1, 1)
_POOLS = ((2, 2), (2, 2), (2, 1), (1, 1))


def conv_backbone(images, filters=(24, 48, 96, 128), dropout=0.0):
    """Image ``(b, 60, 160, 3)`` in [0, 255] → column sequence ``(b, 20, features)``."""
    if len(filters) != len(_POOLS):
        raise ValueError(f"filters must list {len(_POOLS)} channel counts, got {filters!r}")
    for count in filters:
        check_positive_int("filters", count)
    check_rate("dropout", dropout)
    x = keras.layers.Rescaling(1.0 / 255, name="rescale")(images)
    for index, (count, stride, pool) in enumerate(zip(filters, _STRIDES, _POOLS)):
        x = keras.layers.Conv2D(count, 3, strides=stride, padding="same", use_bias=False,
                                name=f"conv_{index}")(x)
        x = keras.layers.BatchNormalization(name=f"conv_{index}_bn")(x)
        x = keras.layers.LeakyReLU(0.1, name=f"conv_{index}_act")(x)
        if pool != (1, 1):
            x = keras.layers.MaxPooling2D(pool, name=f"conv_{index}_pool")(x)
    # (b, h, w, c) → (b, w, h * c): each image column becomes one time step.
    _, height, width, channels = x.shape
    x = keras.layers.Permute((2, 1, 3), name="columns")(x)
    x = keras.layers.Reshape((width, height * channels), name="column_features")(x)
    if dropout:
        x = keras.layers.Dropout(dropout, name="column_dropout")(x)
    return x


def _image_input():
    # float32 so that uint8 and float pixels both feed it; the model rescales.
    return keras.Input(shape=IMAGE_SHAPE, name="image")


def cnn_gru_reader(*, length=4, filters=(24, 48, 96, 128), hidden_size=160,
                   num_layers=1, bidirectional=True, decoder_hidden_size=160,
                   decoder_layers=1, dropout=0.0, name=None):
    """Fixed-length reader: conv columns → GRU encoder → GRU decoder → 36 classes.

    Args:
        length: characters per captcha (one decoder step each).
        filters: channels of the four conv blocks.
        hidden_size, num_layers, bidirectional: the encoder GRU stack, whose
            final state summarises the whole image.
        decoder_hidden_size, decoder_layers: the decoder GRU stack, fed the
            summary at each of the ``length`` steps.
        dropout: dropout on the column features and the summary (training only).

    Returns:
        An uncompiled model ``(b, 60, 160, 3)`` → ``(b, length, 36)`` probabilities.

    Example:
        >>> cnn_gru_reader(hidden_size=32, decoder_hidden_size=32).output_shape
        (None, 4, 36)
    """
    check_positive_int("length", length)
    images = _image_input()
    x = conv_backbone(images, filters, dropout)
    x = recurrent_stack(x, cell="gru", hidden_size=hidden_size, num_layers=num_layers,
                        bidirectional=bidirectional, prefix="encoder")
    if dropout:
        x = keras.layers.Dropout(dropout, name="summary_dropout")(x)
    x = keras.layers.RepeatVector(length, name="per_character")(x)
    x = recurrent_stack(x, cell="gru", hidden_size=decoder_hidden_size,
                        num_layers=decoder_layers, return_sequences=True,
                        prefix="decoder")
    outputs = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="characters")(x)
    return keras.Model(images, outputs, name=name or "cnn_gru_reader")


def crnn_ctc_reader(*, filters=(24, 48, 96, 128), hidden_size=160, num_layers=1,
                    dropout=0.0, name=None):
    """Variable-length reader: conv columns → BiGRU stack → per-column logits (CTC).

    Args:
        filters: channels of the four conv blocks.
        hidden_size, num_layers: the bidirectional GRU stack (units per direction).
        dropout: dropout on the column features and the GRU outputs.

    Returns:
        An uncompiled model ``(b, 60, 160, 3)`` → ``(b, 20, 37)`` logits; class
        36 is the CTC blank. Decode with ``kerazoo.families.captcha.task.ctc_greedy_decode``.

    Example:
        >>> crnn_ctc_reader(hidden_size=32, num_layers=1).output_shape
        (None, 20, 37)
    """
    images = _image_input()
    x = conv_backbone(images, filters, dropout)
    x = recurrent_stack(x, cell="gru", hidden_size=hidden_size, num_layers=num_layers,
                        bidirectional=True, output_dropout=dropout,
                        return_sequences=True, prefix="encoder")
    outputs = keras.layers.Dense(NUM_CLASSES + 1, name="ctc_logits")(x)
    return keras.Model(images, outputs, name=name or "crnn_ctc_reader")


# 50 epochs of 20000 fresh captchas (a million in all) under one cosine decay:
# the readers underfit rather than overfit, so new captchas beat repeated ones.
# About 110 minutes per reader on 2 CPU cores with both readers training side
# by side (drawing a captcha costs about as much CPU as a training step on it).
_TRAIN = dict(epochs=50, batch_size=64, learning_rate=2e-3, lr_schedule="cosine",
              global_clipnorm=5.0)
_FRESH = dict(samples_per_epoch=20000)
# The registered kerazoo.layers.ctc.CTCLoss, serialized (the spec stays JSON-ready).
_CTC_LOSS = {"class_name": "CTCLoss", "registered_name": "kerazoo>CTCLoss", "module": None,
             "config": {}}
_REFERENCE = {
    "tutorial": {"metric": "full_string_accuracy", "value": 0.9875,
                 "data": "generated 4-character captchas (captcha package)",
                 "setup": "4 conv (BN + LeakyReLU) → GRU(3 x 512) → GRU(2 x 256) → "
                          "Dense(36) per character, 3 epochs"},
    "ctc_reader": {"metric": "full_string_accuracy", "value": 0.992,
                   "data": "generated 4-character captchas (captcha package)",
                   "setup": "a well-known CNN + BiGRU + CTC reader of this generator"},
}


def _target(value, lengths):
    return {"metric": "full_string_accuracy", "value": value,
            "data": f"10000 held-out generated captchas of {lengths}"}


@register_model(builder=cnn_gru_reader, task="captcha", dataset="captcha",
                input_shape=IMAGE_SHAPE, output="(4, 36) per-character probabilities",
                metric="full_string_accuracy",
                defaults=dict(length=4),
                train=dict(_TRAIN, data=dict(_FRESH, lengths=(4, 4))),
                reference={**_REFERENCE, "issue": _target(0.99, "4 characters")},
                tags=("captcha", "gru", "cnn", "vision"))
def cnn_gru_captcha():
    """Reads 4-character captchas (digits and letters, case-insensitive): four conv
    blocks (BatchNorm + LeakyReLU), a BiGRU encoder over the image columns, a GRU
    decoder with one step per character, 36-way softmax each."""


@register_model(builder=crnn_ctc_reader, task="captcha_ctc", dataset="captcha",
                input_shape=IMAGE_SHAPE,
                output="(20, 37) per-column logits, class 36 = CTC blank",
                metric="full_string_accuracy",
                train=dict(_TRAIN, loss=_CTC_LOSS, metrics=[],
                           data=dict(_FRESH, lengths=(4, 6))),
                reference={"ctc_reader": _REFERENCE["ctc_reader"],
                           "issue": _target(0.98, "4 to 6 characters")},
                tags=("captcha", "gru", "cnn", "ctc", "bidirectional", "vision"))
def crnn_ctc_captcha():
    """Reads captchas of 4 to 6 characters: the same conv backbone, a BiGRU
    labelling each of 20 image columns, trained with CTC; decoded greedily."""
