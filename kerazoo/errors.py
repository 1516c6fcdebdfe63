"""The one exception type for mistakes a user can fix.

Library code raises ``UserError`` (a ``ValueError``, so ``except ValueError``
keeps working) with a one-line message that names the input and says what to
do. The command line prints such errors in one line and exits with 2; any
other exception is a bug and keeps its traceback.

    >>> from kerazoo.errors import UserError
    >>> raise UserError("--epochs must be a positive integer, got 0")
    Traceback (most recent call last):
    ...
    kerazoo.errors.UserError: --epochs must be a positive integer, got 0
"""


class UserError(ValueError):
    """A mistake in what the user asked for or gave (an option, a file, a name)."""
