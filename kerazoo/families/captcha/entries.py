"""The captcha family's registry entries (light: no Keras at registration)."""

from kerazoo.registry import register_model
from kerazoo.train.config import TrainConfig

IMAGE_SHAPE = (60, 160, 3)  # height, width, RGB of a generated captcha

# 50 epochs of 20000 fresh captchas (a million in all) under one cosine decay:
# the readers underfit rather than overfit, so new captchas beat repeated ones.
# About 110 minutes per reader on 2 CPU cores with both readers training side
# by side (drawing a captcha costs about as much CPU as a training step on it).
_TRAIN = TrainConfig(epochs=50, batch_size=64, learning_rate=2e-3, lr_schedule="cosine",
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


@register_model(builder="kerazoo.families.captcha.model:cnn_gru_reader",
                task="captcha", dataset="captcha",
                input_shape=IMAGE_SHAPE, output="(4, 36) per-character probabilities",
                metric="full_string_accuracy",
                defaults=dict(length=4),
                train=_TRAIN.replace(data=dict(_FRESH, lengths=(4, 4))),
                reference={**_REFERENCE, "issue": _target(0.99, "4 characters")},
                test_overrides=dict(filters=(4, 4, 4, 4), hidden_size=8, decoder_hidden_size=8),
                tags=("captcha", "gru", "cnn", "vision"))
def cnn_gru_captcha():
    """Reads 4-character captchas (digits and letters, case-insensitive): four conv
    blocks (BatchNorm + LeakyReLU), a BiGRU encoder over the image columns, a GRU
    decoder with one step per character, 36-way softmax each."""


@register_model(builder="kerazoo.families.captcha.model:crnn_ctc_reader",
                task="captcha_ctc", dataset="captcha",
                input_shape=IMAGE_SHAPE,
                output="(20, 37) per-column logits, class 36 = CTC blank",
                metric="full_string_accuracy",
                train=_TRAIN.replace(loss=_CTC_LOSS, metrics=(),
                                     data=dict(_FRESH, lengths=(4, 6))),
                reference={"ctc_reader": _REFERENCE["ctc_reader"],
                           "issue": _target(0.98, "4 to 6 characters")},
                test_overrides=dict(filters=(4, 4, 4, 4), hidden_size=8),
                tags=("captcha", "gru", "cnn", "ctc", "bidirectional", "vision"))
def crnn_ctc_captcha():
    """Reads captchas of 4 to 6 characters: the same conv backbone, a BiGRU
    labelling each of 20 image columns, trained with CTC; decoded greedily."""
