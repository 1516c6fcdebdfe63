"""``kerazoo bench``: kerazoo's speed next to a PyTorch reference, written as CSV, Markdown, PNG.

    $ kerazoo bench --quick --models lstm_mnist --output out/bench
    $ kerazoo bench --output bench_out --update-readme README.md
    $ kerazoo bench --output bench_out --report-only --update-readme README.md
"""

import json
import os

from kerazoo.bench import machine, plots, readme, report, suite


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "bench", help="benchmark training and inference against reference implementations")
    parser.add_argument("--models", nargs="+",
                        help="registered models (default: the MNIST classifiers and the "
                             "captcha reader; with --quick: lstm_mnist)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny timing windows and a short sequence sweep (CI)")
    parser.add_argument("--output", default="bench_out",
                        help="folder for bench.csv, bench.md and the plots (default: %(default)s)")
    parser.add_argument("--no-xla", dest="xla", action="store_false",
                        help="skip the training run with jit_compile=True")
    parser.add_argument("--update-readme", metavar="README",
                        help="rewrite the README's bench block from the new bench.md")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rebuild bench.md and plots from bench.csv")
    parser.set_defaults(run=run)


def _measure(args):
    settings = (suite.quick_settings if args.quick else suite.full_settings)(args.models)
    settings.xla = args.xla
    rows = []
    for what, new_rows in suite.iter_suite(settings, os.path.join(args.output, "exports")):
        rows += new_rows
        # Saved after every step: a long run that is stopped keeps what it measured.
        report.write_csv(rows, os.path.join(args.output, "bench.csv"))
        print(f"bench: done: {what}", flush=True)
    info = {**machine.describe_machine(), "quick": args.quick}
    with open(os.path.join(args.output, "machine.json"), "w") as f:
        json.dump(info, f, indent=2)
    return rows, info


def _load(args):
    csv_path = os.path.join(args.output, "bench.csv")
    if not os.path.exists(csv_path):
        raise FileNotFoundError(f"{csv_path} does not exist; run `kerazoo bench` first")
    with open(os.path.join(args.output, "machine.json")) as f:
        return report.read_csv(csv_path), json.load(f)


def run(args):
    os.makedirs(args.output, exist_ok=True)
    rows, info = _load(args) if args.report_only else _measure(args)
    mode = "quick run (tiny windows: indicative only)" if info.get("quick") else "full run"
    text = report.markdown(rows, info, settings_line=f"Mode: {mode}.")
    md_path = os.path.join(args.output, "bench.md")
    with open(md_path, "w") as f:
        f.write(text)
    written = [os.path.join(args.output, "bench.csv"), md_path]
    written += plots.save_plots(rows, args.output)
    if args.update_readme:
        readme.update_readme(args.update_readme, md_path)
        written.append(args.update_readme)
    print(text)
    print("bench: wrote " + ", ".join(written))
    return 0
