"""Export to SavedModel, TFLite and ONNX (TensorFlow-specific), checked against Keras.

    >>> import kerazoo
    >>> from kerazoo.export import to_onnx, to_savedmodel, to_tflite
    >>> model = kerazoo.build("lstm_mnist")
    >>> to_savedmodel(model, "out/saved_model")["max_abs_diff"] < 1e-5  # doctest: +SKIP
    True
    >>> to_tflite(model, "out/model.tflite", quantize="float16")["flex_ops"]  # doctest: +SKIP
    []
    >>> to_onnx(model, "out/onnx")["recurrent"][0]["onnx"]  # doctest: +SKIP
    'LSTM (forward)'

(Skipped by the doctest run: each conversion takes seconds; tests/test_export.py
and tests/test_onnx.py check the same calls on every registered model. ONNX
needs ``kerazoo[onnx]``.)

``kerazoo.export.export`` (what ``kerazoo export`` runs) writes several
formats plus ``export_report.json``.
"""

from kerazoo.export.convert import ConversionError
from kerazoo.export.litert import LiteRTModel
from kerazoo.export.onnx_convert import to_onnx
from kerazoo.export.savedmodel import to_savedmodel
from kerazoo.export.tflite import to_tflite

__all__ = ["ConversionError", "LiteRTModel", "to_onnx", "to_savedmodel", "to_tflite"]
