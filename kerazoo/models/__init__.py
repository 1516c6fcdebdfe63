"""Shared model pieces: the generic recurrent builders, compiling, cuDNN checks, stepping.

The model families (their entries and builders) live in ``kerazoo.families``;
importing this package also registers every custom layer (``kerazoo.layers``).
"""

import kerazoo.layers  # noqa: F401  (registers the custom layers a .keras file may hold)
from kerazoo.models.recurrent import recurrent_classifier, recurrent_layer, recurrent_stack

__all__ = ["recurrent_classifier", "recurrent_layer", "recurrent_stack"]
