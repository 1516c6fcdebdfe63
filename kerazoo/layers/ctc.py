"""CTC loss for padded integer labels, serializable so ``.keras`` files reload in safe mode.

    >>> model.compile(optimizer="adam", loss=CTCLoss())  # doctest: +SKIP

(``model``: a reader of logits, e.g. ``crnn_ctc_captcha``; skipped when the
examples run). ``loss="kerazoo>CTCLoss"`` names the same loss.

``y_pred`` are per-time-step logits ``(batch, time, classes)``; every time step
counts (the model reads fixed-width images). ``y_true`` holds class ids and,
after a shorter label's end, any negative value. The blank is the last class
unless ``blank_index`` says otherwise.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="kerazoo")
class CTCLoss(keras.losses.Loss):
    """Connectionist temporal classification loss (``keras.ops.ctc_loss``).

    Args:
        blank_index: the class id of the CTC blank in ``y_pred``; negative
            values count from the end (default -1: the last class).
    """

    def __init__(self, blank_index=-1, name="ctc_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.blank_index = int(blank_index)

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, "int32")
        present = y_true >= 0
        target_length = ops.sum(ops.cast(present, "int32"), axis=-1)
        # Padding never reaches the loss (lengths cut it off); 0 keeps ids valid.
        target = ops.where(present, y_true, ops.zeros_like(y_true))
        batch, steps = ops.shape(y_pred)[0], ops.shape(y_pred)[1]
        blank_index = self.blank_index % y_pred.shape[-1]
        output_length = ops.full((batch,), steps, dtype="int32")
        return ops.ctc_loss(target, y_pred, target_length, output_length,
                            mask_index=blank_index)

    def get_config(self):
        return {**super().get_config(), "blank_index": self.blank_index}
