"""kerazoo: a Keras 3 model zoo for recurrent networks.

>>> import kerazoo
>>> kerazoo.list_models("lstm_*mnist")
['lstm_dropout_mnist', 'lstm_mnist']
>>> model = kerazoo.build("lstm_mnist")
>>> model.output_shape
(None, 10)

``import kerazoo`` is light: it imports neither Keras nor TensorFlow, so
``kerazoo list``, ``kerazoo info`` and ``kerazoo --help`` answer at once.
Keras comes in with the first model built or loaded; the TensorFlow-only
packages (``data``, ``train``, ``export``) and the others are imported on
first use (``kerazoo.export.to_tflite(...)``), so building models also works
under Keras' JAX or PyTorch backend. A ``.keras`` file holding kerazoo's
custom layers loads with ``kerazoo.load`` or after ``import kerazoo.models``,
which registers them with ``keras.saving``.
"""

import importlib
import importlib.util
import os

__version__ = "0.1.0"

# TensorFlow's C++ start-up chatter hides kerazoo's own output; users can still
# raise the level by setting the variable themselves.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# PyTorch's OpenMP threads spin while they wait for each other; on a busy CPU a
# spinning thread holds the core its partner needs, and a recurrent step (many
# small ops) ran 10-30x slower. Read when torch is imported, so set it before.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# These modules import Keras only inside their functions (tests/test_cli_light.py).
from kerazoo.evaluate import evaluate  # noqa: E402
from kerazoo.generate import generate  # noqa: E402
from kerazoo.predict import predict  # noqa: E402
from kerazoo.registry import build, get_spec, list_models, model_info  # noqa: E402
from kerazoo.zoo import load  # noqa: E402


def __getattr__(name):
    # PEP 562: subpackages (``kerazoo.export``, ``kerazoo.models``...) on first use.
    if name.startswith("_") or importlib.util.find_spec(f"{__name__}.{name}") is None:
        raise AttributeError(f"module 'kerazoo' has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")


__all__ = ["build", "data", "export", "train", "evaluate", "generate", "get_spec", "list_models", "load", "model_info",
           "predict", "__version__"]
