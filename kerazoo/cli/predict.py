"""``kerazoo predict NAME INPUT... [--json]``: run a trained model on raw inputs.

Inputs are image paths (MNIST, captchas), strings (seq2seq, text) or CSV
files (forecasters), as the model's task reads them.
"""

import json
import sys

import kerazoo
from kerazoo.cli._options import parse_assignments


def add_parser(subparsers):
    parser = subparsers.add_parser("predict", help="run a trained model on inputs")
    parser.add_argument("name", help="registered model name")
    parser.add_argument("inputs", nargs="+", help="image paths, strings or CSV files")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                        help="task-specific option, e.g. --option beam_width=4")
    parser.add_argument("--steps", type=int,
                        help="forecasters: values to forecast, each fed back as input")
    parser.add_argument("--time-column",
                        help="forecasters: the CSV column that orders the rows (dates or "
                             "numbers); needed by models with calendar inputs")
    parser.add_argument("--plot", metavar="PNG",
                        help="forecasters: save the history and the forecast as a PNG")
    parser.add_argument("--plot-attention", metavar="PNG",
                        help="seq2seq: save one attention heatmap per input as a PNG")
    parser.add_argument("--beam-width", type=int,
                        help="seq2seq: beam-search width (1, the default, is greedy)")
    parser.set_defaults(run=run)
    return parser


def run(args, **options):
    options = {**parse_assignments(args.option), **options}
    options.update({key: value for key, value in (
        ("steps", args.steps), ("plot", args.plot), ("time_column", args.time_column),
        ("plot_attention", args.plot_attention), ("beam_width", args.beam_width))
        if value is not None})
    results = kerazoo.predict(args.name, args.inputs, **options)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False, default=float))
    else:
        for result in results:
            extra = ", ".join(f"{k}={v}" for k, v in result.items()
                              if k not in ("input", "prediction"))
            print(f"{result['input']}\t{result['prediction']}\t{extra}")
    # An answer flagged invalid (seq2seq: 2001-02-30, a wrong sum) must not exit 0.
    invalid = [result for result in results if result.get("valid") is False]
    for result in invalid:
        print(f"not valid: {result['input']!r}: {result['reason']}", file=sys.stderr)
    return 1 if invalid else 0
