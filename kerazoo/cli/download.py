"""``kerazoo download NAME... | --all``: fetch trained weights now, for later offline use.

    $ kerazoo download lstm_mnist seq2seq_dates
    $ KERAZOO_HUB=http://127.0.0.1:8000 kerazoo download --all

Files go to the cache (``$KERAZOO_CACHE``, default ``~/.keras/kerazoo``),
verified against the packaged index; models already found locally (a clone,
``$KERAZOO_MODELS``, the kerazoo-models package) are left where they are.
"""

from kerazoo.errors import UserError


def add_parser(subparsers):
    parser = subparsers.add_parser("download", help="fetch trained weights into the cache")
    parser.add_argument("names", nargs="*", metavar="NAME")
    parser.add_argument("--all", action="store_true", help="every published model")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from kerazoo import zoo

    if bool(args.names) == args.all:
        raise UserError("give model names or --all")
    names = sorted(zoo.published()) if args.all else args.names
    for name in names:
        zoo.locate(name)  # every name is checked before anything is fetched
    for name in names:
        where = zoo.download(name)
        print(f"{name}\t{where}")
    return 0
