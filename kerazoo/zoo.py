"""Trained models by name: where their weights are, fetched and verified when needed.

    >>> import kerazoo
    >>> model = kerazoo.load("lstm_mnist")           # checksum-verified, safe mode
    >>> str(kerazoo.zoo.locate("lstm_mnist"))
    'clone: /.../saved_models/lstm_mnist'

Weights are looked for, in this order, in

1. ``$KERAZOO_MODELS``, a folder laid out like ``saved_models/``;
2. the clone's ``saved_models/`` (next to the package in a clone or editable install);
3. an installed weights package (``pip install kerazoo-models``, built by
   ``kerazoo release --wheel``);
4. the download cache, ``$KERAZOO_CACHE`` (default ``$KERAS_HOME/kerazoo``,
   i.e. ``~/.keras/kerazoo``), laid out like ``saved_models/`` too;
5. the hub (``kerazoo.hub``): files listed in the packaged index are
   downloaded into the cache, verified, and from then on used offline.

Every command that uses shipped models goes through ``resolve``.
"""

import dataclasses
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

from kerazoo import hub
from kerazoo.errors import UserError
from kerazoo.json_files import read_json
from kerazoo.hub_index import published, sha256  # noqa: F401  (sha256: the zoo's file hash)
from kerazoo.registry import get_spec

WEIGHTS_PACKAGE = "kerazoo_models"
_DOWNLOADED = ("cache", "hub")  # sources whose files are checked against the packaged index


def clone_dir() -> Path:
    """``saved_models/`` of the clone holding this package (absent in a wheel install)."""
    return Path(__file__).resolve().parents[1] / "saved_models"


def models_dir() -> Path:
    """The zoo folder that ``kerazoo package`` writes and ``kerazoo release`` reads."""
    return Path(os.environ.get("KERAZOO_MODELS") or clone_dir())


def cache_dir() -> Path:
    """Where downloaded weights are kept (``$KERAZOO_CACHE``, else under ``$KERAS_HOME``)."""
    if os.environ.get("KERAZOO_CACHE"):
        return Path(os.environ["KERAZOO_CACHE"])
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras") / "kerazoo"


def package_dir():
    """The folder of the installed ``kerazoo-models`` weights package, or None."""
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)  # finds it without importing it
    locations = spec and spec.submodule_search_locations
    return Path(locations[0]) if locations else None


def local_folders():
    """``[(source, folder)]`` searched before the cache, in order."""
    folders = [("KERAZOO_MODELS", os.environ.get("KERAZOO_MODELS")), ("clone", clone_dir()),
               ("kerazoo-models package", package_dir())]
    return [(source, Path(folder)) for source, folder in folders if folder]


@dataclasses.dataclass(frozen=True)
class Location:
    """Where the weights of ``name`` are: ``source`` and ``folder``, with their card.

    ``source`` is ``hub`` when the files must still be downloaded (into ``folder``).
    """

    name: str
    source: str
    folder: Path
    card: dict

    def __str__(self):
        if self.source == "hub":
            return f"hub: {hub.url_of(self.name, 'model.keras')} (not downloaded yet)"
        return f"{self.source}: {self.folder}"


def locate(name) -> Location:
    """Where the weights of ``name`` are, or will be downloaded to; no network."""
    get_spec(name)  # unknown names fail with suggestions
    for source, folder in local_folders():
        card = folder / name / "card.json"
        if card.is_file():
            return Location(name, source, card.parent, read_json(card, "model card"))
    card = published().get(name)
    if card is None:
        searched = ", ".join(str(folder) for _, folder in local_folders())
        raise FileNotFoundError(
            f"No trained '{name}' in {searched}, and this kerazoo publishes none. "
            f"Train one with `kerazoo train {name}` or `python recipes/{name}.py`.")
    folder = cache_dir() / name
    keras_meta = card["artifacts"]["model.keras"]
    cached = (folder / "model.keras").is_file() and \
        (folder / "model.keras").stat().st_size == keras_meta["size_bytes"]
    return Location(name, "cache" if cached else "hub", folder, card)


def read_card(name) -> dict:
    """The card of trained model ``name`` (from its folder, or the hub index); no network."""
    return locate(name).card


def resolve(name, files=("model.keras",), *, verify=True) -> Path:
    """A local folder holding ``files`` of trained model ``name``, downloading when needed.

    Files from the cache or the hub are always checked against the packaged
    index (size and SHA-256; a stale or damaged copy is downloaded again).
    Local folders are checked against their own card when ``verify``.
    """
    where = locate(name)
    for file in files:
        if where.source in _DOWNLOADED:
            _fetch(where, file)
        else:
            _check_local(where, file, verify)
    if where.source in _DOWNLOADED:
        _write_atomically(where.folder / "card.json",
                          json.dumps(where.card, indent=2, ensure_ascii=False) + "\n")
    return where.folder


def download(name, files=None) -> Location:
    """Fetch every published file of ``name`` (or ``files``) for later offline use."""
    where = locate(name)
    resolve(name, files or tuple(where.card.get("artifacts", {})) or ("model.keras",))
    return locate(name)


def load(name, *, compile=False, verify=True):
    """The trained Keras model ``name`` (safe mode on), from wherever ``resolve`` finds it.

    Shipped files hold no optimizer state; ``compile=True`` compiles the model
    with its entry's defaults for fine-tuning. With ``verify`` the file's
    SHA-256 must match its card, so a corrupted or replaced file is reported
    instead of silently used.
    """
    import keras

    import kerazoo.layers  # noqa: F401  (registers the custom layers the file holds)

    folder = resolve(name, verify=verify)
    model = keras.saving.load_model(folder / "model.keras", safe_mode=True)
    if compile:
        from kerazoo.models.compiling import compile_model

        compile_model(model, get_spec(name).train)
    return model


_RESTORE = {"clone": "restore it (`git checkout saved_models/{name}`) or retrain",
            "kerazoo-models package": "reinstall it (`pip install --force-reinstall kerazoo-models`)",
            "KERAZOO_MODELS": "copy it again or unset KERAZOO_MODELS"}


def _check_local(where, file, verify):
    path = where.folder / file
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; the card lists it.")
    expected = where.card.get("artifacts", {}).get(file, {}).get("sha256")
    if verify and expected and sha256(path) != expected:
        raise UserError(f"{path} does not match the SHA-256 in its card: the file is corrupted "
                        f"or was replaced. {_RESTORE[where.source].format(name=where.name)}.")


def _fetch(where, file):
    meta = where.card["artifacts"].get(file)
    if meta is None:
        raise UserError(f"{where.name} publishes no {file} "
                        f"(published: {', '.join(where.card['artifacts'])})")
    path = where.folder / file
    if hub.matches(path, meta):
        return  # verified copy in the cache: no network
    if path.exists():
        print(f"kerazoo: {path} does not match the index (stale or damaged); "
              "downloading it again", file=sys.stderr)
    hub.fetch(where.name, file, meta, path)


def _write_atomically(path, text):
    if path.is_file() and path.read_text() == text:
        return
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    with os.fdopen(handle, "w") as f:
        f.write(text)
    os.replace(temporary, path)
