"""Parsing helpers shared by the commands."""

import ast


def parse_value(text):
    """A Python literal when the text is one (``3``, ``0.5``, ``True``), else the string."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_assignments(items):
    """``["a=1", "b=x"]`` → ``{"a": 1, "b": "x"}``; raises ValueError on bad items.

    >>> parse_assignments(["hidden_size=256", "cell=gru"])
    {'hidden_size': 256, 'cell': 'gru'}
    """
    result = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"expected KEY=VALUE, got {item!r}")
        result[key.strip()] = parse_value(value.strip())
    return result
