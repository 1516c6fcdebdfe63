"""The deployment table: every shipped model in every format, from committed reports.

    $ kerazoo deployment lstm_mnist cnn_gru_captcha    # writes saved_models/NAME/deployment.json
    $ kerazoo deployment --all                         # every shipped model lacking a current one
    $ kerazoo deployment --update-readme README.md     # the README table from those files

``measure`` exports a shipped model as SavedModel, TFLite (float, dynamic,
float16, int8) and ONNX through ``kerazoo.export.report.export`` and keeps,
per format, the size, the parity with Keras (max|diff| on real inputs), the
accuracy on the card's split and the batch-1 latency. The report names the
weights it measured by SHA-256, so a retrained model shows as stale until
``kerazoo deployment NAME`` runs again.
"""

import json
import os
import tempfile
import time
from pathlib import Path

from kerazoo.export.report import FORMATS, export, tflite_name
from kerazoo.json_files import read_json

FILE = "deployment.json"
QUANTIZATIONS = ("none", "dynamic", "float16", "int8")
# Table columns: (title, artifact name in the export report).
COLUMNS = (("SavedModel", "saved_model"),
           *((f"TFLite {'float' if q == 'none' else q}", tflite_name(q, True))
             for q in QUANTIZATIONS),
           ("ONNX", "onnx"))
_KEPT = ("size_bytes", "max_abs_diff", "accuracy", "latency_us_b1", "samples_checked")


def _artifact_summary(artifact):
    return {k: artifact[k] for k in _KEPT if artifact.get(k) is not None}


def summarize(report, card, seconds):
    """The part of an export report the table needs (JSON-ready)."""
    formats = {name: _artifact_summary(report["artifacts"][name])
               for _, name in COLUMNS if name in report["artifacts"]}
    if "onnx" in formats:  # what each recurrent layer became: native op or Loop
        formats["onnx"]["recurrent"] = sorted({f"{r['layer']}: {r['onnx']}"
                                               for r in report["artifacts"]["onnx"]["recurrent"]})
    if report["artifacts"].get("saved_model", {}).get("latency_us_b1") is None:
        formats.get("saved_model", {})["latency_note"] = "first endpoint is not the model"
    return {
        "model": report["model"],
        "weights_sha256": card["artifacts"]["model.keras"]["sha256"],
        "metric": card["metric"],
        "split": report.get("accuracy_split", card.get("split")),
        "source": card.get("source"),
        "num_examples": report.get("accuracy_examples"),
        "keras": {"accuracy": report.get("accuracy_before"),
                  "latency_us_b1": report.get("keras_latency_us_b1")},
        "formats": formats,
        "failed": report.get("failed", {}),
        "accuracy_skipped": report.get("accuracy_skipped"),
        "seconds": round(seconds, 1),
        # Latencies depend on what else ran: keep the 1-minute load average with them.
        "load_average_1min": round(os.getloadavg()[0], 1),
        "versions": report["versions"],
    }


def measure(name, directory=None, eval_batches=32):
    """Export shipped model ``name`` in every format; write and return its ``deployment.json``."""
    from kerazoo import zoo
    from kerazoo.registry import get_spec

    start = time.perf_counter()
    spec, card, model = get_spec(name), zoo.read_card(name), zoo.load(name)
    with tempfile.TemporaryDirectory() as scratch:
        report = export(model, scratch, FORMATS, QUANTIZATIONS, spec=spec, card=card,
                        eval_batches=eval_batches, record_failures=True)
    summary = summarize(report, card, time.perf_counter() - start)
    path = Path(directory or zoo.models_dir()) / name / FILE
    path.write_text(json.dumps(summary, indent=2, default=float) + "\n")
    return summary


def read_reports(directory=None):
    """``{name: (deployment report, card)}`` of every shipped model that has a report."""
    from kerazoo import zoo

    reports = {}
    for path in sorted(Path(directory or zoo.models_dir()).glob(f"*/{FILE}")):
        card = read_json(path.parent / "card.json", "model card")
        reports[path.parent.name] = (read_json(path, "deployment report"), card)
    return reports


def is_current(report, card):
    """Whether ``report`` measured the weights the card ships now."""
    return report["weights_sha256"] == card["artifacts"]["model.keras"]["sha256"]


def _number(value, digits=3):
    return f"{value:.{digits}g}"


def _cell(entry):
    """``size · max|diff| · accuracy · µs`` of one format."""
    accuracy = entry.get("accuracy")
    latency = entry.get("latency_us_b1")
    return " · ".join([f"{entry['size_bytes'] / 1024:,.0f} KB",
                       f"{entry['max_abs_diff']:.1e}",
                       _number(accuracy, 4) if accuracy is not None else "–",
                       f"{latency:,.0f} µs" if latency is not None else "–"])


def _notes(report, card):
    notes = []
    if report.get("load_average_1min") is not None:
        notes.append(f"load average {report['load_average_1min']} when measured")
    if not is_current(report, card):
        notes.append(f"stale: measured other weights; rerun `kerazoo deployment {report['model']}`")
    if report.get("accuracy_skipped"):
        notes.append(f"accuracy –: {report['accuracy_skipped']}")
    if report["formats"].get("saved_model", {}).get("latency_note"):
        notes.append(f"SavedModel µs –: {report['formats']['saved_model']['latency_note']}")
    for title, name in COLUMNS:
        if name in report["failed"]:
            notes.append(f"{title} –: {report['failed'][name]}")
        elif name not in report["formats"]:
            notes.append(f"{title} –: not exported")
    return "; ".join(notes)


def deployment_rows(directory=None):
    """One row per shipped model with a report, as a list of column → text dicts."""
    rows = []
    for name, (report, card) in read_reports(directory).items():
        keras = report["keras"]
        data = f"{report['metric']} ({report.get('source')}, {report['split']}" + (
            f", n={report['num_examples']})" if report.get("num_examples") else ")")
        row = {"model": name, "metric (data)": data,
               "Keras": " · ".join([_number(keras["accuracy"], 4)
                                    if keras.get("accuracy") is not None else "–",
                                    f"{keras['latency_us_b1']:,.0f} µs"
                                    if keras.get("latency_us_b1") else "–"])}
        for title, artifact in COLUMNS:
            entry = report["formats"].get(artifact)
            row[title] = _cell(entry) if entry else "–"
        recurrent = report["formats"].get("onnx", {}).get("recurrent")
        row["ONNX recurrent ops"] = ", ".join(recurrent) if recurrent else "–"
        row["notes"] = _notes(report, card) or "–"
        rows.append(row)
    return rows


def deployment_markdown(directory=None):
    """The deployment table as Markdown (the README's ``deployment`` block)."""
    from kerazoo.markdown import markdown_table

    rows = deployment_rows(directory)
    legend = ("Each format: size · max|diff| vs Keras on real inputs · metric on the card's "
              "split (same examples as the Keras column) · batch-1 latency (median, 1 thread "
              "for TFLite and onnxruntime). Sizes count every endpoint (an ONNX file per endpoint, "
              "each with its own copy of the weights). Generated from `saved_models/*/deployment.json` "
              "by `kerazoo deployment --update-readme README.md`; `kerazoo deployment NAME` "
              "measures a model again.\n\n")
    return legend + (markdown_table(rows) if rows else "_No deployment reports yet._\n")


def update_readme(readme_path, directory=None):
    """Rewrite the ``deployment`` block of ``readme_path``."""
    from kerazoo.markdown import replace_block

    path = Path(readme_path)
    path.write_text(replace_block(path.read_text(), "deployment",
                                  deployment_markdown(directory)))
