"""Model families. Importing this package registers every entry.

Each module holds one family; new modules are picked up automatically.
"""

import importlib
import pkgutil

from kerazoo.models.recurrent import recurrent_classifier, recurrent_layer, recurrent_stack

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["recurrent_classifier", "recurrent_layer", "recurrent_stack"]
