"""``kerazoo generate NAME``: seed a trained model and feed its own outputs back.

    $ kerazoo generate char_lstm --seed-text "The " --length 300 --temperature 0.8
    $ kerazoo generate lstm_forecaster --csv series.csv --steps 48

Text models take ``--seed-text``/``--length``; forecasters take ``--csv``
(the history to continue)/``--steps``. ``--option KEY=VALUE`` passes any
other task option. ``--model FILE`` uses a ``.keras`` file (e.g. a run
folder's) instead of the shipped model.
"""

import json

import numpy as np

import kerazoo
from kerazoo.cli._options import parse_assignments


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
        raise ValueError("give exactly one seed: --seed-text TEXT (text models) "
                         "or --csv FILE (forecasters)")
    steps = args.steps if args.steps is not None else args.length
    if steps is None:
        raise ValueError("say how much to generate: --length N (text) or --steps N (series)")
    model = args.name
    if args.model:
        import keras

        kerazoo.get_spec(args.name)  # checks the name and registers custom layers
        model = keras.saving.load_model(args.model, safe_mode=True)
    result = kerazoo.generate(model, seeds[0], steps, name=args.name,
                              **generation_options(args))
    if isinstance(result, np.ndarray):
        result = result.tolist()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=float))
    elif isinstance(result, str):
        print(result)
    else:
        for row in result:
            print(",".join(f"{v:.6g}" for v in np.ravel(row)))
    return 0
