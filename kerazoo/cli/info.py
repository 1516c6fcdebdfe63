"""``kerazoo info NAME [--json]``: what a model is, its defaults and parameter count."""

import json

import kerazoo


def add_parser(subparsers):
    parser = subparsers.add_parser("info", help="describe a registered model")
    parser.add_argument("name")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args):
    info = kerazoo.model_info(args.name)
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        print(f"{key:<15} {value}")
    return 0
