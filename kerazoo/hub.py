"""Fetching published weights from the hub: where it is, streaming, verifying.

    >>> from kerazoo import hub
    >>> hub.base()                                   # KERAZOO_HUB, else the release page
    'https://github.com/kerazoo/kerazoo/releases/download/v0.1.0'
    >>> hub.url_of("lstm_mnist", "model.keras")
    'https://github.com/kerazoo/kerazoo/releases/download/v0.1.0/lstm_mnist-model-....keras'

``KERAZOO_HUB`` is an ``https://`` or ``http://`` base URL (any static web
server holding a ``kerazoo release`` folder), a ``file://`` folder (or a plain
path), or ``hf://owner/repo[@revision]`` for a Hugging Face model repository
(``pip install kerazoo[hf]``). The default is this version's release page, where
the maintainers upload the ``kerazoo release`` folder.

A download streams into a temporary file next to its destination, is checked
against the size and SHA-256 of the packaged index and only then renamed into
place (atomically), so an interrupted, truncated or altered download leaves
nothing usable behind, and two processes fetching the same file cannot corrupt it.
"""

import hashlib
import http.client
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

import kerazoo
from kerazoo.errors import UserError
from kerazoo.hub_index import release_name, sha256

DEFAULT_HUB = "https://github.com/kerazoo/kerazoo/releases/download/v{version}"
TIMEOUT_S = 60  # per socket operation: a stalled server fails instead of hanging
_BLOCK = 1 << 16


def base() -> str:
    """The hub's base location (``KERAZOO_HUB``, else the release page of this version)."""
    return os.environ.get("KERAZOO_HUB") or DEFAULT_HUB.format(version=kerazoo.__version__)


def advice(name) -> str:
    """What a user can do when ``name`` cannot be fetched."""
    return (f"set KERAZOO_HUB to a reachable copy of the release, run `kerazoo download "
            f"{name}` where the hub is reachable, or `pip install kerazoo-models` "
            f"(README: Pretrained models)")


def _huggingface():
    try:
        import huggingface_hub
    except ImportError:
        raise UserError(f"KERAZOO_HUB={base()} needs huggingface_hub: "
                        "`pip install kerazoo[hf]`") from None
    return huggingface_hub


def _request(file):
    """A ``urllib`` request for published ``file`` at the hub."""
    location, headers = base(), {"User-Agent": f"kerazoo/{kerazoo.__version__}"}
    if location.startswith("hf://"):
        huggingface_hub = _huggingface()
        repo, _, revision = location[len("hf://"):].strip("/").partition("@")
        url = huggingface_hub.hf_hub_url(repo, file, revision=revision or None)
        headers.update(huggingface_hub.utils.build_hf_headers())  # a token, if logged in
    else:
        if "://" not in location:
            location = Path(location).resolve().as_uri()
        url = f"{location.rstrip('/')}/{file}"
    return urllib.request.Request(url, headers=headers)


def url_of(name, artifact, meta=None) -> str:
    """Where published ``artifact`` of model ``name`` is fetched from."""
    from kerazoo.hub_index import published

    meta = meta or published()[name]["artifacts"][artifact]
    return _request(release_name(name, artifact, meta["sha256"])).full_url


def matches(path, meta) -> bool:
    """Whether the file at ``path`` has the size and SHA-256 recorded in ``meta``."""
    path = Path(path)
    return (path.is_file() and path.stat().st_size == meta["size_bytes"]
            and sha256(path) == meta["sha256"])


def _stream(response, out, total, label):
    """Copy ``response`` to ``out`` under a progress bar; returns (bytes, SHA-256 hex)."""
    from tqdm import tqdm

    digest, received = hashlib.sha256(), 0
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label,
              file=sys.stderr, leave=False) as bar:
        for block in iter(lambda: response.read(_BLOCK), b""):
            out.write(block)
            digest.update(block)
            received += len(block)
            bar.update(len(block))
    return received, digest.hexdigest()


def fetch(name, artifact, meta, destination) -> Path:
    """Download ``artifact`` of ``name`` to ``destination``, verified against ``meta``."""
    request = _request(release_name(name, artifact, meta["sha256"]))
    url, destination = request.full_url, Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    # A unique name in the same folder: os.replace is then atomic, and
    # concurrent downloads of one file never write into each other.
    handle, partial = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.",
                                       suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, \
                urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            print(f"kerazoo: downloading {name} {artifact} ({meta['size_bytes'] / 1e6:.1f} MB) "
                  f"from {url}", file=sys.stderr)
            received, digest = _stream(response, out, meta["size_bytes"], f"{name} {artifact}")
        if (received, digest) != (meta["size_bytes"], meta["sha256"]):
            raise UserError(
                f"{url} failed its checksum: got {received} bytes with sha256 {digest[:16]}…, "
                f"expected {meta['size_bytes']} bytes with sha256 {meta['sha256'][:16]}… "
                f"(truncated or altered; nothing was kept); {advice(name)}")
        os.replace(partial, destination)
    except (OSError, http.client.HTTPException) as error:
        raise UserError(f"could not download {url} ({error}); {advice(name)}") from None
    except KeyboardInterrupt:
        raise UserError(f"download of {url} interrupted; nothing was kept. "
                        f"Run it again, or {advice(name)}") from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return destination
