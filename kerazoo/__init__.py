"""kerazoo: a Keras 3 model zoo for recurrent networks.

>>> import kerazoo
>>> model = kerazoo.build("lstm_mnist")
>>> model.output_shape
(None, 10)
>>> report = kerazoo.export.to_tflite(model, "out/lstm_mnist.tflite")

The TensorFlow-only parts (``data``, ``train``, ``export``) are imported on
first use, so building models also works under Keras' JAX or PyTorch backend.
"""

import importlib
import os

__version__ = "0.1.0"

# TensorFlow's C++ start-up chatter hides kerazoo's own output; users can still
# raise the level by setting the variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import kerazoo.models  # noqa: E402,F401  (registers custom layers for keras.saving.load_model)
from kerazoo.evaluate import evaluate  # noqa: E402
from kerazoo.generate import generate  # noqa: E402
from kerazoo.predict import predict  # noqa: E402
from kerazoo.registry import build, get_spec, list_models, model_info  # noqa: E402
from kerazoo.zoo import load  # noqa: E402

_LAZY_MODULES = ("data", "export", "train")


def __getattr__(name):
    if name in _LAZY_MODULES:
        return importlib.import_module(f"kerazoo.{name}")
    raise AttributeError(f"module 'kerazoo' has no attribute {name!r}")


__all__ = ["build", "data", "export", "train", "evaluate", "generate", "get_spec", "list_models", "load", "model_info",
           "predict", "__version__"]
