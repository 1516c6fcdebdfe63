"""Publishing the zoo: an upload-ready release folder and a ``kerazoo-models`` wheel.

    $ kerazoo release --output release/       # upload its files to the release page
    $ kerazoo release --wheel dist/           # kerazoo_models-0.1.0-py3-none-any.whl
    $ kerazoo release --wheel dist/ --models lstm_mnist

The release folder holds every artifact under its hashed name
(``lstm_mnist-model-1e1d1d9e.keras``) next to ``hub_index.json``; any static
web server holding it (``python -m http.server``) is a hub (``KERAZOO_HUB``).
The wheel is the spaCy model-package pattern for machines without a network:
a package ``kerazoo_models`` whose folders are laid out like ``saved_models/``,
found by ``kerazoo.zoo`` once installed. It is written with ``zipfile``
(METADATA, WHEEL and a RECORD with hashes), so building needs no network.
"""

import base64
import hashlib
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

import kerazoo
from kerazoo.hub_index import build_index, index_text, published, release_name, sha256
from kerazoo.zoo import WEIGHTS_PACKAGE

_INIT = '''"""Trained kerazoo weights, one folder per model laid out like saved_models/.

Built by `kerazoo release --wheel`; `kerazoo.load(NAME)` finds them with no network.

    >>> import kerazoo_models
    >>> sorted(kerazoo_models.models())[:1]
    ['{first}']
"""

from pathlib import Path

path = Path(__file__).parent


def models():
    """Names of the models this package holds."""
    return [p.parent.name for p in sorted(path.glob("*/card.json"))]
'''


def stale_models(index) -> list:
    """Models of ``index`` whose card differs from the packaged index's."""
    return [name for name, card in index["models"].items() if published().get(name) != card]


def _warn_if_stale(index):
    stale = stale_models(index)
    if stale:
        print(f"kerazoo release: warning: the packaged index is stale for {', '.join(stale)}; "
              "run `kerazoo release --index-only` and rebuild the kerazoo wheel, or its users "
              "cannot verify these files", file=sys.stderr)


def write_release(directory, output, names=None) -> dict:
    """Copy the artifacts of zoo folder ``directory`` to ``output`` under hashed names."""
    index = build_index(directory, names)
    _warn_if_stale(index)
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    for name, card in index["models"].items():
        for artifact, meta in card["artifacts"].items():
            shutil.copyfile(Path(directory) / name / artifact,
                            output / release_name(name, artifact, meta["sha256"]))
    (output / "hub_index.json").write_text(index_text(index))
    return index


def _record_hash(data_or_path) -> tuple:
    """(``sha256=<urlsafe base64>``, size) as a wheel's RECORD writes them."""
    if isinstance(data_or_path, bytes):
        digest, size = hashlib.sha256(data_or_path).digest(), len(data_or_path)
    else:
        digest, size = bytes.fromhex(sha256(data_or_path)), data_or_path.stat().st_size
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode(), size


def build_weights_wheel(directory, output, names=None) -> Path:
    """Write ``kerazoo_models-<version>-py3-none-any.whl`` into ``output``; returns its path."""
    index = build_index(directory, names)
    _warn_if_stale(index)
    version = kerazoo.__version__
    dist_info = f"{WEIGHTS_PACKAGE}-{version}.dist-info"
    listed = ", ".join(index["models"])
    members = {  # archive name -> bytes, or the Path of a file to copy
        f"{WEIGHTS_PACKAGE}/__init__.py": _INIT.replace("{first}", next(iter(index["models"]))
                                                        ).encode(),
        f"{dist_info}/METADATA": (
            f"Metadata-Version: 2.1\nName: kerazoo-models\nVersion: {version}\n"
            f"Summary: Trained weights of the kerazoo model zoo ({listed})\n"
            f"License: Apache-2.0\nRequires-Python: >=3.10\n").encode(),
        f"{dist_info}/WHEEL": (f"Wheel-Version: 1.0\nGenerator: kerazoo {version}\n"
                               "Root-Is-Purelib: true\nTag: py3-none-any\n").encode(),
        f"{dist_info}/top_level.txt": f"{WEIGHTS_PACKAGE}\n".encode(),
    }
    for name, card in index["models"].items():
        for file in ("card.json", *card["artifacts"]):
            members[f"{WEIGHTS_PACKAGE}/{name}/{file}"] = Path(directory) / name / file
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    wheel = output / f"{WEIGHTS_PACKAGE}-{version}-py3-none-any.whl"
    handle, partial = tempfile.mkstemp(dir=output, prefix=f".{wheel.name}.", suffix=".part")
    os.close(handle)
    try:
        records = []
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for arcname, content in members.items():
                if isinstance(content, bytes):
                    archive.writestr(arcname, content)
                else:
                    archive.write(content, arcname)
                records.append(f"{arcname},%s,%d" % _record_hash(content))
            records.append(f"{dist_info}/RECORD,,")
            archive.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
        os.replace(partial, wheel)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return wheel
