"""``kerazoo package RUN_DIR [--overwrite]``: ship a training run in saved_models/."""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "package", help="copy a run into saved_models/ with its TFLite file and card")
    parser.add_argument("run_dir", help="folder with model.keras and metrics.json")
    parser.add_argument("--dest", help="zoo folder (default: saved_models/)")
    parser.add_argument("--overwrite", action="store_true", help="replace a shipped model")
    parser.set_defaults(run=run)


def run(args):
    from kerazoo.export.cards import package  # TensorFlow and the TFLite converter

    target = package(args.run_dir, dest=args.dest, overwrite=args.overwrite)
    print(f"packaged {target}")
    return 0
