"""The hub index: what the zoo publishes, with every artifact's SHA-256 and size.

The index ships inside the package (``kerazoo/hub_index.json``), so an
installed wheel knows what it can fetch and how to verify it, with no clone.
It holds each shipped model's card, generated from ``saved_models/``:

    $ kerazoo release --index-only        # rewrite kerazoo/hub_index.json

    >>> from kerazoo.hub_index import published, release_name
    >>> meta = published()["lstm_mnist"]["artifacts"]["model.keras"]
    >>> release_name("lstm_mnist", "model.keras", meta["sha256"])
    'lstm_mnist-model-....keras'

A test fails when the packaged index differs from what ``saved_models/`` gives.
"""

import functools
import hashlib
import json
from pathlib import Path

from kerazoo.errors import UserError

INDEX_PATH = Path(__file__).with_name("hub_index.json")
INDEX_FORMAT = 1


def sha256(path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def release_name(name, artifact, digest) -> str:
    """The published file name: model, artifact and hash prefix (torchvision style).

    Flat, because release pages (GitHub) hold no folders; the hash prefix
    makes a retrained model a new file instead of a silent replacement.
    """
    stem, dot, suffix = artifact.rpartition(".")
    return f"{name}-{stem}-{digest[:8]}{dot}{suffix}"


def build_index(directory, names=None) -> dict:
    """The index of the zoo folder ``directory`` (only ``names`` when given).

    Each artifact's size and hash are measured on the file and must equal its
    card's, so an index never vouches for a file its card does not describe.
    """
    directory = Path(directory)
    cards = {p.parent.name: json.loads(p.read_text()) for p in sorted(directory.glob("*/card.json"))}
    unknown = sorted(set(names or ()) - set(cards))
    if unknown:
        raise UserError(f"no shipped model {', '.join(unknown)} in {directory} "
                        f"(shipped: {', '.join(cards)})")
    models = {}
    for name, card in cards.items():
        if names and name not in names:
            continue
        for artifact, meta in card.get("artifacts", {}).items():
            path = directory / name / artifact
            if not path.is_file() or path.stat().st_size != meta["size_bytes"] \
                    or sha256(path) != meta["sha256"]:
                raise UserError(f"{path} does not match its card.json (size and sha256); "
                                f"package the model again with `kerazoo package`")
        models[name] = card
    return {"format": INDEX_FORMAT, "models": models}


def index_text(index) -> str:
    """The index as the JSON text that is written (stable, diff-friendly)."""
    return json.dumps(index, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_index(directory, path=INDEX_PATH) -> dict:
    """Regenerate the packaged index from the zoo folder ``directory``."""
    index = build_index(directory)
    Path(path).write_text(index_text(index))
    published.cache_clear()
    return index


@functools.lru_cache(maxsize=None)
def published() -> dict:
    """``{name: card}`` of every model this installed kerazoo can fetch."""
    if not INDEX_PATH.is_file():
        return {}
    return json.loads(INDEX_PATH.read_text())["models"]


def artifacts_markdown() -> str:
    """The README table of published files: one row per model, names and sizes."""
    from kerazoo.markdown import markdown_table

    models = published()
    if not models:
        return "_No published models yet._\n"
    kinds = sorted({artifact for card in models.values() for artifact in card["artifacts"]})
    rows, total = [], 0
    for name, card in sorted(models.items()):
        row = {"model": f"`{name}`"}
        for artifact in kinds:
            meta = card["artifacts"].get(artifact)
            row[artifact] = "–" if meta is None else (
                f"`{release_name(name, artifact, meta['sha256'])}` ({meta['size_bytes'] / 1e6:.2f} MB)")
        total += sum(meta["size_bytes"] for meta in card["artifacts"].values())
        rows.append(row)
    return markdown_table(rows) + f"\n{len(models)} models, {total / 1e6:.1f} MB in all.\n"
