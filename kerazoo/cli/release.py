"""``kerazoo release``: publish the zoo (index, upload-ready folder, weights wheel).

    $ kerazoo release --index-only                  # rewrite kerazoo/hub_index.json
    $ kerazoo release --output release/             # hashed artifacts + hub_index.json
    $ kerazoo release --wheel dist/ --models lstm_mnist

Everything is read from ``saved_models/`` (or ``$KERAZOO_MODELS``). Run
``--index-only`` after packaging models, before building the kerazoo wheel.
"""

import sys

from kerazoo.errors import UserError


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "release", help="write the hub index, a release folder or a kerazoo-models wheel")
    parser.add_argument("--index-only", action="store_true",
                        help="only regenerate the packaged index kerazoo/hub_index.json")
    parser.add_argument("--output", metavar="DIR",
                        help="write an upload-ready folder (serve it as KERAZOO_HUB)")
    parser.add_argument("--wheel", metavar="DIR", help="build the kerazoo-models wheel into DIR")
    parser.add_argument("--models", nargs="+", metavar="NAME",
                        help="only these models (default: every shipped one)")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from kerazoo.hub_index import INDEX_PATH, write_index
    from kerazoo.hub_release import build_weights_wheel, write_release
    from kerazoo.zoo import models_dir

    if args.index_only == bool(args.output or args.wheel):
        raise UserError("give --index-only, or --output DIR and/or --wheel DIR")
    if args.index_only:
        if args.models:
            raise UserError("--index-only always indexes every shipped model; drop --models")
        index = write_index(models_dir())
        print(f"{INDEX_PATH}: {len(index['models'])} models", file=sys.stderr)
    if args.output:
        index = write_release(models_dir(), args.output, args.models)
        print(f"{args.output}: {len(index['models'])} models; upload its files, then point "
              f"KERAZOO_HUB at them", file=sys.stderr)
    if args.wheel:
        print(build_weights_wheel(models_dir(), args.wheel, args.models))
    return 0
