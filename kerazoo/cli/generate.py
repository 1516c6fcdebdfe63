"""``kerazoo generate NAME``: seed a trained model and feed its own outputs back.

    $ kerazoo generate char_lstm --seed-text "The " --length 300 --temperature 0.8
    $ kerazoo generate lstm_forecaster --csv series.csv --steps 48

Text models take ``--seed-text``/``--length`` and print the text as it is
generated; forecasters take ``--csv`` (the history to continue)/``--steps``.
With ``--json`` the whole result is printed at the end, and a progress bar
runs on stderr meanwhile. ``--option KEY=VALUE`` passes any other task
option. ``--model FILE`` uses a ``.keras`` file (e.g. a run folder's)
instead of the shipped model.
"""

import json
import sys

import kerazoo
from kerazoo.cli._options import parse_assignments
from kerazoo.errors import UserError
from kerazoo.generate import generate_stream


def add_parser(subparsers):
    parser = subparsers.add_parser("generate", help="continue a seed with a model's own outputs")
    parser.add_argument("name", help="registered model name")
    parser.add_argument("--seed-text", help="text to start from (character models)")
    parser.add_argument("--length", type=int, help="characters to generate (text)")
    parser.add_argument("--temperature", type=float,
                        help="sampling temperature: lower is safer, higher is wilder (text)")
    parser.add_argument("--csv", help="CSV whose values are the history to continue "
                                      "(forecasters)")
    parser.add_argument("--steps", type=int, help="values to generate (forecasters)")
    parser.add_argument("--model", metavar="FILE",
                        help="a .keras file to use instead of the shipped model")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="task-specific option")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)
    return parser


def generation_options(args):
    """Task options from the parsed flags (flags left out are not passed)."""
    options = parse_assignments(args.option)
    if args.temperature is not None:
        options["temperature"] = args.temperature
    return options


def run(args):
    seeds = [seed for seed in (args.seed_text, args.csv) if seed is not None]
    if len(seeds) != 1:
        raise UserError("give exactly one seed: --seed-text TEXT (text models) "
                        "or --csv FILE (forecasters)")
    steps = args.steps if args.steps is not None else args.length
    if steps is None:
        raise UserError("say how much to generate: --length N (text) or --steps N (series)")
    model = args.name
    if args.model:
        import keras

        import kerazoo.models  # noqa: F401  (registers the custom layers the file may hold)

        kerazoo.get_spec(args.name)  # checks the name first
        model = keras.saving.load_model(args.model, safe_mode=True)
    pieces = generate_stream(model, seeds[0], steps, name=args.name,
                             **generation_options(args))
    if args.json:
        if args.seed_text is not None:  # text; forecasters draw their own progress bar
            result = args.seed_text + "".join(_with_progress(pieces, steps))
        else:
            import numpy as np

            result = np.concatenate([np.asarray(piece) for piece in pieces]).tolist()
        print(json.dumps(result, indent=2, ensure_ascii=False, default=float))
        return 0
    if args.seed_text is not None:
        sys.stdout.write(args.seed_text)
    for piece in pieces:
        _write(piece)
    if args.seed_text is not None:
        sys.stdout.write("\n")
    return 0


def _write(piece):
    """Text as it comes (flushed, so a long generation reads as it runs); values one row a line."""
    if isinstance(piece, str):
        sys.stdout.write(piece)
    else:
        import numpy as np

        for row in np.asarray(piece):
            sys.stdout.write(",".join(f"{v:.6g}" for v in np.ravel(row)) + "\n")
    sys.stdout.flush()


def _with_progress(pieces, steps):
    """``pieces`` passed through while a bar on stderr counts them (stdout stays JSON)."""
    from tqdm import tqdm

    with tqdm(total=steps, unit="char", file=sys.stderr, leave=False) as bar:
        for piece in pieces:
            bar.update(len(piece))
            yield piece
