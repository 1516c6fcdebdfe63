"""Read the project's JSON records (cards, run records, reports), naming a bad file.

    >>> from kerazoo.json_files import read_json
    >>> read_json("saved_models/lstm_mnist/card.json", "model card")["name"]  # doctest: +SKIP
    'lstm_mnist'
"""

import json
from pathlib import Path

from kerazoo.errors import UserError


def read_json(path, what="file"):
    """The JSON object in ``path``; a missing, unreadable or invalid file is a
    ``UserError`` naming it (``what`` says what the file should be)."""
    try:
        record = json.loads(Path(path).read_text())
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UserError(f"{path}: not a readable {what} ({error})") from None
    if not isinstance(record, dict):
        raise UserError(f"{path}: not a {what} (a JSON object), got {type(record).__name__}")
    return record
