"""``kerazoo evaluate NAME [--source SRC] [--json]``: re-measure a shipped model."""

import json

import kerazoo


def add_parser(subparsers):
    parser = subparsers.add_parser("evaluate", help="re-measure a shipped model on its card's split")
    parser.add_argument("name")
    parser.add_argument("--source", help="data source (default: the card's)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args):
    result = kerazoo.evaluate(args.name, source=args.source)
    if args.json:
        print(json.dumps(result, indent=2, default=float))
    else:
        card = "–" if result["card"] is None else f"{result['card']:.4f}"
        print(f"{result['model']}: {result['metric']} = {result['measured']:.4f} "
              f"(card: {card}) on {result['source']} {result['split']}")
    return 0
