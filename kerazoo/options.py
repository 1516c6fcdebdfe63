"""Keyword options checked against the function that takes them.

Model options (``--set``), data options (``--data``) and task options
(``--option``) all end up as keyword arguments of some function. This module
checks them against that function's signature once, so a typo or a wrong type
is a one-line ``UserError`` naming the option, never a ``TypeError`` deep down
or a silently wrong value (the string ``"false"`` is truthy):

    >>> def load(split, augment=False, limit=None): ...
    >>> check_options({"augmnet": True}, load, "mnist data option")
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: unknown mnist data option 'augmnet'. Did you mean 'augment'? ...
"""

import difflib
import inspect

from kerazoo.errors import UserError

_KEYWORD = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def keyword_defaults(function):
    """``{name: default}`` of ``function``'s keyword parameters (``inspect.Parameter.empty``
    for those without a default), or ``None`` when it also takes ``**kwargs``."""
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    return {p.name: p.default for p in parameters if p.kind in _KEYWORD}


def unknown_option(key, known, what):
    """The ``UserError`` for an option ``key`` that is not among ``known``."""
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return UserError(f"unknown {what} '{key}'.{hint} Known: {', '.join(sorted(known))}.")


def check_flags(options, defaults, what):
    """Raise ``UserError`` when an option whose default is a bool is given a non-bool.

    >>> check_flags({"bidirectional": "false"}, {"bidirectional": False}, "option")
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: option 'bidirectional' must be True or False, got 'false'.
    """
    for key, value in options.items():
        if isinstance(defaults.get(key), bool) and not isinstance(value, bool):
            raise UserError(f"{what} '{key}' must be True or False, got {value!r}.")


def check_options(options, function, what, *, exclude=(), defaults=None):
    """Check ``options`` against ``function``'s keyword parameters.

    Unknown keys (and those in ``exclude``: parameters the caller sets itself)
    get the closest known name; options whose default (from the signature, or
    ``defaults`` when given) is a bool must be bools. A function taking
    ``**kwargs`` accepts any other key, so only its flags are checked.
    """
    signature = keyword_defaults(function)
    known = [key for key in signature or () if key not in exclude]
    for key in options:
        if key in exclude or (signature is not None and key not in known):
            raise unknown_option(key, known, what)
    check_flags(options, {**(signature or {}), **(defaults or {})}, what)
