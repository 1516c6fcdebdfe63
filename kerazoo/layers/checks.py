"""Argument checks shared by layers and model builders (plain ``ValueError``s).

    >>> check_rate("dropout", 1.5)
    Traceback (most recent call last):
    ...
    ValueError: dropout must be a number in [0, 1), got 1.5
"""


def check(condition, message):
    """Raise ``ValueError(message)`` unless ``condition``."""
    if not condition:
        raise ValueError(message)


def check_rate(name, value):
    """Raise ``ValueError`` unless ``0 <= value < 1``."""
    check(isinstance(value, (int, float)) and 0.0 <= value < 1.0,
          f"{name} must be a number in [0, 1), got {value!r}")


def check_positive_int(name, value):
    """Raise ``ValueError`` unless ``value`` is a positive integer."""
    check(isinstance(value, int) and not isinstance(value, bool) and value > 0,
          f"{name} must be a positive integer, got {value!r}")
