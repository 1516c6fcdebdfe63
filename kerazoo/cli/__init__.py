"""The ``kerazoo`` command line. One module per sub-command in this package.

A command module defines ``add_parser(subparsers)``, which registers the
sub-command and sets ``run=<function(args) -> exit code>`` as its default.
Modules whose names start with ``_`` hold shared helpers.

    $ kerazoo list "*lstm*"
    $ kerazoo info lstm_mnist --json
    $ kerazoo --debug train lstm_mnist --epochs 0     # traceback even for user errors

Mistakes a user can fix (``kerazoo.errors.UserError`` and the other errors in
``user_errors()``: bad values, missing or unreadable files, a locked run
folder, corrupt zip/JSON files) print one line, ``kerazoo CMD: error: ...``,
and exit with 2. Anything else is a bug and keeps its traceback.
"""

import argparse
import importlib
import json
import os
import pkgutil
import select
import sys
import zipfile

from kerazoo.errors import UserError


def user_errors():
    """The exception types that mean "the user's input was wrong", not "kerazoo has a bug".

    ``ValueError`` covers ``UserError`` and ``json.JSONDecodeError``; the
    ``OSError``\\ s are paths that are missing, not readable, or of the wrong kind;
    a ``ConversionError`` is a model the TFLite converter cannot take as asked.
    """
    errors = [UserError, ValueError, json.JSONDecodeError, zipfile.BadZipFile,
              FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError,
              FileExistsError]
    # Raised only by modules already imported, so look them up instead of importing them.
    image = sys.modules.get("PIL.Image")
    if image is not None:
        errors.append(image.DecompressionBombError)
    converter = sys.modules.get("kerazoo.export.convert")
    if converter is not None:  # the model cannot become that TFLite file (e.g. int8)
        errors.append(converter.ConversionError)
    return tuple(errors)


def _stdout_reader_gone():
    """True when standard output is a pipe whose reading end was closed."""
    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLERR)
    except (AttributeError, OSError, ValueError):  # no real file behind it (e.g. captured)
        return False
    return bool(poll.poll(0))


def _command_modules():
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            yield importlib.import_module(f"{__name__}.{module.name}")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="kerazoo", description="A Keras 3 model zoo for recurrent networks.")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of every error")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.add_parser(subparsers)
    return parser


def main(argv=None):
    """Run the command line; returns the exit code (2 for a usage error)."""
    args = build_parser().parse_args(argv)
    try:
        code = args.run(args) or 0
        sys.stdout.flush()  # a reader that has gone (`| head -1`) shows here, not at exit
        return code
    except BrokenPipeError:
        if not _stdout_reader_gone():
            raise  # a socket's or a subprocess's pipe: a real error
        # Like other command-line tools: stop quietly, with SIGPIPE's exit status.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13
    except user_errors() as error:
        if args.debug:
            raise
        # The first line: a converter's or a parser's details follow under --debug.
        message = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(f"kerazoo {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"kerazoo {args.command}: interrupted", file=sys.stderr)
        return 130
