"""``kerazoo deployment``: measure shipped models in every format; the README's deployment table.

    $ kerazoo deployment lstm_mnist rnn_mnist        # saved_models/NAME/deployment.json
    $ kerazoo deployment --all                       # every shipped model without a current one
    $ kerazoo deployment --update-readme README.md   # rewrite the table from those files

Measuring a model exports it as SavedModel, TFLite float/dynamic/float16/int8
and ONNX (the ``onnx`` extra), checks each against Keras and scores each on
the card's split; it takes minutes per model (int8 calibration, accuracy).
"""

import sys
import time


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "deployment", help="every shipped model in every format: size, parity, accuracy, latency")
    parser.add_argument("models", nargs="*", metavar="NAME", help="shipped models to measure")
    parser.add_argument("--all", action="store_true",
                        help="measure every shipped model whose report is missing or stale")
    parser.add_argument("--eval-batches", type=int, default=32,
                        help="score each format on at most this many batches of 64 of the "
                             "card's split (default 32)")
    parser.add_argument("--update-readme", metavar="README",
                        help="rewrite the README's deployment block from the reports")
    parser.set_defaults(run=run)


def _pending():
    """Shipped models whose deployment report is missing or measured other weights."""
    from kerazoo.cards import read_cards
    from kerazoo.export.deployment import is_current, read_reports

    reports = read_reports()
    return [card["name"] for card in read_cards()
            if card["name"] not in reports or not is_current(*reports[card["name"]])]


def run(args):
    from kerazoo.errors import UserError
    from kerazoo.export import deployment
    from kerazoo.export.onnx_files import require_onnx
    from kerazoo.registry import get_spec

    if args.eval_batches < 1:
        raise UserError(f"--eval-batches must be at least 1, got {args.eval_batches}")
    names = list(args.models) + (_pending() if args.all else [])
    if not names and not args.update_readme:
        raise UserError("name models to measure, or pass --all or --update-readme README")
    for name in names:
        get_spec(name)  # unknown names fail now, with suggestions
    if names:
        require_onnx()
    for name in names:
        start = time.perf_counter()
        report = deployment.measure(name, eval_batches=args.eval_batches)
        print(f"deployment: {name} done in {time.perf_counter() - start:.0f} s "
              f"({', '.join(report['formats'])}"
              + (f"; failed: {', '.join(report['failed'])}" if report["failed"] else "") + ")",
              file=sys.stderr, flush=True)
    if args.update_readme:
        deployment.update_readme(args.update_readme)
        print(f"deployment: rewrote the deployment block of {args.update_readme}", file=sys.stderr)
    return 0
