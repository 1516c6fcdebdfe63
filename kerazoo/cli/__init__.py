"""The ``kerazoo`` command line. One module per sub-command in this package.

A command module defines ``add_parser(subparsers)``, which registers the
sub-command and sets ``run=<function(args) -> exit code>`` as its default.
Modules whose names start with ``_`` hold shared helpers.

    $ kerazoo list "*lstm*"
    $ kerazoo info lstm_mnist --json
"""

import argparse
import importlib
import pkgutil
import sys


def _command_modules():
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            yield importlib.import_module(f"{__name__}.{module.name}")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="kerazoo", description="A Keras 3 model zoo for recurrent networks.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.add_parser(subparsers)
    return parser


def main(argv=None):
    """Run the command line; returns the exit code (2 for a usage error)."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except (ValueError, FileNotFoundError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"kerazoo {args.command}: error: {message}", file=sys.stderr)
        return 2
