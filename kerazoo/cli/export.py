"""``kerazoo export NAME_OR_PATH``: SavedModel, builtins-only TFLite and ONNX, checked against Keras.

    $ kerazoo export lstm_mnist --format all --output out/
    $ kerazoo export runs/lstm_mnist/model.keras --format tflite --quantize float16
    $ kerazoo export lstm_mnist --format onnx                 # needs kerazoo[onnx]
    $ kerazoo export lstm_mnist --untrained --set hidden_size=32 --format tflite

NAME exports the trained model (``kerazoo.zoo`` finds its weights); when there
is none the command fails and says how to get one, and ``--untrained`` exports
a freshly built, untrained model instead (``--set`` changes its build options,
so it needs ``--untrained``). A path loads that ``.keras`` file; its registry
entry is found from the model's name. The output folder gets the artifacts and
``export_report.json``; the exit code is 1 when a float export differs from
Keras by more than ``--tolerance`` (times the output's magnitude when that
exceeds 1). ``--format all`` includes ONNX when the ``onnx`` extra is installed.
"""

import json
import sys
from pathlib import Path

from kerazoo.cli._options import parse_assignments
from kerazoo.errors import UserError

FORMATS = {"savedmodel": ("savedmodel",), "tflite": ("tflite",), "onnx": ("onnx",),
           "all": ("savedmodel", "tflite", "onnx")}


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "export", help="export to SavedModel / TFLite with a parity report")
    parser.add_argument("model", metavar="NAME_OR_PATH",
                        help="registered model name or path to a .keras file")
    parser.add_argument("--format", default="all", choices=sorted(FORMATS))
    parser.add_argument("--quantize", default="none",
                        choices=("none", "dynamic", "float16", "int8"),
                        help="TFLite weight/activation quantization (default none)")
    parser.add_argument("--output", help="output folder (default exports/<name>)")
    parser.add_argument("--batch-size", type=int, default=1,
                        help="fixed batch size of the TFLite model (default 1)")
    parser.add_argument("--untrained", action="store_true",
                        help="export a freshly built, untrained model of a registered name")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="build option of the --untrained model, e.g. --set hidden_size=32")
    parser.add_argument("--tolerance", type=float, default=1e-5,
                        help="largest accepted |export - Keras| for float exports, "
                             "relative when outputs exceed 1 (default 1e-5)")
    parser.set_defaults(run=run)
    return parser


def load_model(name_or_path, overrides=None, untrained=False):
    """``(model, spec or None, where it came from)`` for a name or a .keras path."""
    import kerazoo
    from kerazoo import zoo

    path = Path(name_or_path)
    if path.suffix == ".keras" or path.is_file():
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist")
        if overrides or untrained:
            raise UserError("--set and --untrained only apply to registered names, "
                            "not to a .keras file")
        import keras

        import kerazoo.models  # noqa: F401  (registers the custom layers the file may hold)
        model = keras.saving.load_model(path, safe_mode=True)
        try:
            spec = kerazoo.get_spec(model.name)
        except ValueError:
            spec = None  # not a zoo model: exported generically
        return model, spec, str(path)
    spec = kerazoo.get_spec(name_or_path)
    if overrides and not untrained:
        raise UserError("--set builds a new, untrained model: add --untrained to export one")
    if untrained:
        return kerazoo.build(spec.name, compile=False, **(overrides or {})), spec, \
            "untrained build"
    try:
        model = zoo.load(spec.name)
    except FileNotFoundError as error:
        raise UserError(f"cannot export '{spec.name}': {error} Published weights: "
                        f"`kerazoo download {spec.name}`; an untrained model: --untrained."
                        ) from None
    return model, spec, "trained"


def _formats(name):
    """The formats of ``--format name``; ``all`` leaves ONNX out, saying so, without the extra."""
    from kerazoo.export.onnx_files import EXTRA_HINT, require_onnx

    if name == "onnx":
        require_onnx()  # before loading anything: the one-line hint comes first
    if name != "all":
        return FORMATS[name]
    try:
        require_onnx()
    except UserError:
        print(f"kerazoo export: ONNX left out of --format all; for it: {EXTRA_HINT}",
              file=sys.stderr)
        return tuple(f for f in FORMATS[name] if f != "onnx")
    return FORMATS[name]


def run(args):
    from kerazoo.export.parity import within_tolerance
    from kerazoo.export.report import export

    if args.batch_size < 1:
        raise ValueError(f"--batch-size must be at least 1, got {args.batch_size}")
    formats = _formats(args.format)
    model, spec, origin = load_model(args.model, parse_assignments(args.set), args.untrained)
    name = spec.name if spec else model.name
    output = Path(args.output or Path("exports") / name)
    print(f"Exporting {name} ({origin}) to {output}/ ...", file=sys.stderr)
    report = export(model, output, formats, args.quantize, args.batch_size, spec=spec)
    summary = {k: report[k] for k in ("format", "quantize", "max_abs_diff", "samples_checked",
                                      "flex_ops", "size_bytes", "latency_us_b1",
                                      "accuracy_before", "accuracy_after", "accuracy_skipped")
               if k in report}
    if "onnx" in report["artifacts"]:
        onnx = report["artifacts"]["onnx"]
        summary["onnx"] = {k: onnx.get(k) for k in ("max_abs_diff", "size_bytes",
                                                     "latency_us_b1", "accuracy")}
    print(json.dumps(summary, default=float))
    print(f"Report: {output / 'export_report.json'}", file=sys.stderr)
    floats = [a for a in report["artifacts"].values() if a.get("quantize", "none") == "none"]
    if floats and not within_tolerance(report, args.tolerance):
        print(f"kerazoo export: error: the export differs from Keras by "
              f"{report['max_abs_diff']:.3g} > {args.tolerance:g} x max(1, output scale "
              f"{report['output_scale']:.3g})", file=sys.stderr)
        return 1
    return 0
