"""``kerazoo results [--markdown] [--update-readme]``: the table of shipped models."""

import sys
from pathlib import Path

from kerazoo.zoo import models_dir


def add_parser(subparsers):
    parser = subparsers.add_parser("results", help="results table built from the model cards")
    parser.add_argument("--markdown", action="store_true", help="print Markdown")
    parser.add_argument("--update-readme", metavar="README",
                        help="regenerate the model and results tables of this README")
    parser.set_defaults(run=run)


def run(args):
    # Imported here: building the parser for every command should stay light.
    from kerazoo.cards import results_markdown, results_rows
    from kerazoo.readme import update_readme_text

    if args.update_readme:
        # Strict: a README regenerated without a model because its card is bad would lie.
        path = Path(args.update_readme)
        path.write_text(update_readme_text(path.read_text()))
        print(f"updated {path}")
    elif args.markdown:
        print(results_markdown(skip_invalid=True), end="")
    else:
        rows = results_rows(skip_invalid=True)
        if not rows:
            print(f"no trained models in {models_dir()}: train one, then "
                  "`kerazoo package RUN_DIR` ships it there", file=sys.stderr)
            return 0
        widths = {k: max(len(k), *(len(r[k]) for r in rows)) for k in rows[0]}
        print("  ".join(k.ljust(w) for k, w in widths.items()))
        for row in rows:
            print("  ".join(row[k].ljust(w) for k, w in widths.items()))
    return 0
