"""Parsing helpers shared by the commands."""

import ast

from kerazoo.errors import UserError

_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def parse_value(text, default=None):
    """A Python literal when the text is one (``3``, ``0.5``, ``True``), else the string.

    ``true``/``false`` in any case are booleans. When ``default`` (the option's
    default) is a bool, the text must say one: true/false, yes/no or 1/0.

    >>> parse_value("false"), parse_value("3"), parse_value("gru")
    (False, 3, 'gru')
    >>> parse_value("No", default=True)
    False
    """
    word = text.strip().lower()
    if isinstance(default, bool):
        if word not in _BOOLEANS:
            raise UserError(f"expected true or false, got {text!r}")
        return _BOOLEANS[word]
    if word in ("true", "false"):
        return word == "true"
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_assignments(items, defaults=None):
    """``["a=1", "b=x"]`` → ``{"a": 1, "b": "x"}``; raises UserError on bad items.

    ``defaults`` (option → default) makes flags strict: a key whose default
    is a bool takes only a boolean word.

    >>> parse_assignments(["hidden_size=256", "cell=gru"])
    {'hidden_size': 256, 'cell': 'gru'}
    >>> parse_assignments(["bidirectional=0"], {"bidirectional": False})
    {'bidirectional': False}
    """
    result = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UserError(f"expected KEY=VALUE, got {item!r}")
        try:
            result[key] = parse_value(value.strip(), (defaults or {}).get(key))
        except UserError as error:
            raise UserError(f"{item!r}: {key} is a flag, {error}") from None
    return result
