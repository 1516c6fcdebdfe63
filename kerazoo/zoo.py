"""Trained models shipped in ``saved_models/<name>/`` and how to load them.

    >>> import kerazoo
    >>> model = kerazoo.load("lstm_mnist")        # offline, checksum-verified

The folder is ``saved_models/`` next to the package (a clone or editable
install), or ``$KERAZOO_MODELS`` when set.
"""

import hashlib
import json
import os
from pathlib import Path

from kerazoo.registry import get_spec


def models_dir() -> Path:
    """Where shipped models live."""
    return Path(os.environ.get("KERAZOO_MODELS",
                               Path(__file__).resolve().parents[1] / "saved_models"))


def sha256(path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_card(name) -> dict:
    """The ``card.json`` of shipped model ``name``."""
    get_spec(name)  # unknown names fail with suggestions
    path = models_dir() / name / "card.json"
    if not path.exists():
        raise FileNotFoundError(
            f"No trained '{name}' in {path.parent}. Train one with "
            f"`kerazoo train {name}` or `python recipes/{name}.py`.")
    return json.loads(path.read_text())


def load(name, *, compile=False, verify=True):
    """The trained Keras model ``name`` from ``saved_models/`` (safe mode on).

    Shipped files hold no optimizer state; ``compile=True`` compiles the model
    with its entry's defaults for fine-tuning. With ``verify`` the file's
    SHA-256 must match its card, so a corrupted or replaced file is reported
    instead of silently used.
    """
    import keras  # custom layers are registered by importing the kerazoo package

    card = read_card(name)
    path = models_dir() / name / "model.keras"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; the card lists it.")
    expected = card.get("artifacts", {}).get("model.keras", {}).get("sha256")
    if verify and expected and sha256(path) != expected:
        raise ValueError(f"{path} does not match the SHA-256 in its card: the file is "
                         "corrupted or was replaced. Restore it (e.g. `git checkout "
                         f"saved_models/{name}`) or retrain.")
    model = keras.saving.load_model(path, safe_mode=True)
    if compile:
        from kerazoo.models.compiling import compile_model

        compile_model(model, get_spec(name))
    return model
