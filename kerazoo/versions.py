"""The software versions that runs, cards and export reports record.

    >>> {"python", "keras", "kerazoo"} <= set(versions("numpy"))
    True
"""

import importlib
import platform
from importlib import metadata


def versions(*distributions):
    """``{name: version}`` of Python, Keras, its backend (``tensorflow``, ``jax``,
    ``torch``), kerazoo and the installed ``distributions`` (``"ai-edge-litert"``,
    recorded as ``ai_edge_litert``)."""
    import keras

    import kerazoo

    backend = keras.backend.backend()
    found = {"python": platform.python_version(), "keras": keras.__version__,
             backend: importlib.import_module(backend).__version__,
             "kerazoo": kerazoo.__version__}
    found.update({name.replace("-", "_"): metadata.version(name) for name in distributions})
    return found
