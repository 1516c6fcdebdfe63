"""What every recipe shares: its command line, ``--quick`` and the call to ``train``.

A recipe is a tiny file; its docstring states the exact command and the
result measured with it:

    from _recipe import main

    if __name__ == "__main__":
        main("lstm_mnist")

The options become the run's ``TrainConfig`` exactly as for ``kerazoo train``
(``kerazoo.cli.train.training_kwargs``); one it refuses (``--epochs 0``) is a
usage error, exit status 2. ``--quick`` is the smoke test used by
``tests/test_recipes.py``: one epoch on a few batches (a ``limit`` on every
split), written to ``runs/<name>_quick`` unless ``--output`` says otherwise;
an explicit ``--epochs``/``--batch-size`` is honoured. Its own ``runs/<name>_quick`` folder is a throw-away smoke run, so
running it again replaces it; a folder named with ``--output`` keeps the usual
``--resume``/``--overwrite`` rule.
"""

import argparse
import os
import sys

# Running `python recipes/x.py` from a source checkout works without installing.
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kerazoo.errors import UserError  # noqa: E402
from kerazoo.families.hooks import add_family_arguments, with_family_options  # noqa: E402
from kerazoo.cli.train import add_training_arguments, training_kwargs  # noqa: E402

QUICK_EXAMPLES = 96
QUICK_BATCH_SIZE = 32


def _parser(name):
    parser = argparse.ArgumentParser(prog=f"recipes/{name}.py",
                                     description=f"Train {name} (kerazoo recipe).")
    add_training_arguments(parser)
    add_family_arguments(parser)  # the options of `kerazoo train`, exactly
    parser.set_defaults(name=name)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 1 epoch on a few batches")
    return parser


def parse_args(name, argv=None):
    return _parser(name).parse_args(argv)


def main(name, argv=None):
    """Train ``name`` with the recipe's command line; returns the metrics."""
    from kerazoo.train import train

    parser = _parser(name)
    args = parser.parse_args(argv)
    if args.quick:  # one epoch of small batches, unless the command line says otherwise
        args.epochs = 1 if args.epochs is None else args.epochs
        args.batch_size = QUICK_BATCH_SIZE if args.batch_size is None else args.batch_size
    try:
        kwargs = with_family_options(args, training_kwargs(args))
    except UserError as error:
        parser.error(str(error))
    if args.quick:
        kwargs.update(verbose=2,
                      output=args.output or os.path.join("runs", f"{name}_quick"),
                      overwrite=kwargs["overwrite"] or not (args.output or args.resume),
                      data_options={**kwargs["data_options"], "limit": QUICK_EXAMPLES})
    return train(name, **kwargs)
