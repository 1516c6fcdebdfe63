"""``kerazoo package RUN_DIR [--overwrite]``: ship a training run in saved_models/.

    $ kerazoo package runs/lstm_mnist --overwrite
    $ kerazoo package --refresh saved_models/seq2seq_dates   # descriptive card fields only
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "package", help="copy a run into saved_models/ with its TFLite file and card")
    parser.add_argument("run_dir", help="folder with model.keras and metrics.json "
                                        "(with --refresh: a shipped model's folder)")
    parser.add_argument("--dest", help="zoo folder (default: saved_models/)")
    parser.add_argument("--overwrite", action="store_true", help="replace a shipped model")
    parser.add_argument("--refresh", action="store_true",
                        help="rewrite a shipped card's descriptive fields (description, "
                             "references, readable inputs) from the registry; measured "
                             "fields and artifacts stay as they are")
    parser.set_defaults(run=run)


def run(args):
    from kerazoo.cards import package, refresh_card  # TensorFlow, TFLite converter

    if args.refresh:
        refresh_card(args.run_dir)
        print(f"refreshed {args.run_dir}/card.json")
        return 0
    target = package(args.run_dir, dest=args.dest, overwrite=args.overwrite)
    print(f"packaged {target}")
    return 0
