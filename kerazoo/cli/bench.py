"""``kerazoo bench``: kerazoo's speed next to a PyTorch reference, written as CSV, Markdown, PNG.

    $ kerazoo bench --quick --models lstm_mnist --output out/bench
    $ kerazoo bench --output bench_out --update-readme README.md
    $ kerazoo bench --output bench_out --report-only --update-readme README.md
    $ kerazoo bench --models cnn_gru_captcha --sections latency --merge-into docs/bench
    $ kerazoo bench --models lstm_mnist cnn_gru_captcha --sections backends --merge-into docs/bench
    $ kerazoo bench --output docs/bench --report-only --update-readme README.md

``docs/bench/bench.csv`` (committed) holds the rows the README shows;
``--merge-into`` replaces the rows of the models just measured, section by
section, so each model's rows of one section still come from one run.
``--backends`` adds training throughput under every installed Keras backend
(TensorFlow, JAX, PyTorch; one subprocess each) next to the PyTorch reference.
Measuring imports TensorFlow and matplotlib; building the parser does not.
"""

import json
import os

from kerazoo.bench.rows import DEFAULT_SECTIONS, SECTIONS


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
    parser.add_argument("--sections", nargs="+", choices=SECTIONS,
                        default=list(DEFAULT_SECTIONS),
                        help="what to measure (default: %(default)s)")
    parser.add_argument("--backends", action="store_true",
                        help="also measure training under every installed Keras backend "
                             "(the `backends` section), next to the PyTorch reference")
    parser.add_argument("--merge-into", metavar="FOLDER",
                        help="replace the measured models' rows of FOLDER/bench.csv with the "
                             "new ones and rebuild FOLDER/bench.md (e.g. docs/bench)")
    parser.add_argument("--update-readme", metavar="README",
                        help="rewrite the README's bench block from the new bench.md")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rebuild bench.md and plots from bench.csv")
    parser.set_defaults(run=run)


def _measure(args):
    from kerazoo.bench import machine, report, suite

    settings = (suite.quick_settings if args.quick else suite.full_settings)(args.models)
    settings.xla = args.xla
    settings.sections = tuple(dict.fromkeys(args.sections + ["backends"] * args.backends))
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


def _load(folder):
    from kerazoo.bench import report

    csv_path = os.path.join(folder, "bench.csv")
    if not os.path.exists(csv_path):
        raise FileNotFoundError(f"{csv_path} does not exist; run `kerazoo bench` first")
    with open(os.path.join(folder, "machine.json")) as f:
        return report.read_csv(csv_path), json.load(f)


def _merge(rows, info, folder):
    """``folder``'s rows with each (section, model) measured in ``rows`` replaced, in place
    of the old ones; the machine record lists the merged run."""
    from kerazoo.bench import machine, report

    old_rows, old_info = _load(folder)
    new = {}
    for r in rows:
        new.setdefault((r["section"], r["model"]), []).append(r)
    merged = []
    for r in old_rows:
        key = (r["section"], r["model"])
        if key not in new:
            merged.append(r)
        elif not any((m["section"], m["model"]) == key for m in merged):
            merged += new[key]
    merged += [r for key, group in new.items() if key not in {(m["section"], m["model"])
                                                            for m in old_rows} for r in group]
    models = ", ".join(sorted({model for _, model in new}))
    sections = ", ".join(sorted({section for section, _ in new}))
    old_info.setdefault("provenance", []).append(
        f"Rows of {models} ({sections}) come from a later run on {machine.one_line(info)}")
    report.write_csv(merged, os.path.join(folder, "bench.csv"))
    with open(os.path.join(folder, "machine.json"), "w") as f:
        json.dump(old_info, f, indent=2)
    return merged, old_info


def run(args):
    from kerazoo.bench import plots, readme, report

    os.makedirs(args.output, exist_ok=True)
    rows, info = _load(args.output) if args.report_only else _measure(args)
    folder = args.output
    if args.merge_into:
        rows, info = _merge(rows, info, args.merge_into)
        folder = args.merge_into
    mode = "quick run (tiny windows: indicative only)" if info.get("quick") else "full run"
    provenance = "".join(f" {line}" for line in info.get("provenance", []))
    text = report.markdown(rows, info, settings_line=f"Mode: {mode}.{provenance}")
    md_path = os.path.join(folder, "bench.md")
    with open(md_path, "w") as f:
        f.write(text)
    written = [os.path.join(folder, "bench.csv"), md_path]
    written += plots.save_plots(rows, folder)
    if args.update_readme:
        readme.update_readme(args.update_readme, md_path)
        written.append(args.update_readme)
    print(text)
    print("bench: wrote " + ", ".join(written))
    return 0
