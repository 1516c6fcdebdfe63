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
from kerazoo.families.captcha.entries import IMAGE_SHAPE
from kerazoo.layers.checks import check_positive_int, check_rate
from kerazoo.models.recurrent import recurrent_stack

NUM_CLASSES = 36
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
