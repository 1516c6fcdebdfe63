"""Model cards: package a training run into ``saved_models/<name>/`` and tabulate the zoo.

    $ kerazoo package runs/lstm_mnist            # model.keras, model.tflite, card.json
    $ kerazoo results --markdown                 # the README's results table

A card is written only by this code, from the run's own ``metrics.json`` and
from measuring the exported TFLite file, so every number in it was measured.
"""

import ast
import datetime
import json
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import keras

import kerazoo
from kerazoo.errors import UserError
from kerazoo.json_files import read_json
from kerazoo.registry import get_spec, option_defaults
from kerazoo.versions import versions
from kerazoo.tasks import get_task
from kerazoo.zoo import models_dir, sha256

_RUN_FIELDS = ("source", "split", "num_examples", "seed", "epochs", "batch_size",
               "learning_rate", "lr_schedule", "mixed_precision", "train_seconds",
               "train_samples_per_sec", "strategy", "num_replicas", "data_options",
               "overrides", "init_from", "init_from_run", "command")


def _metric_values(metrics):
    skip = set(_RUN_FIELDS) | {"model", "dataset", "history", "versions"}
    return {k: v for k, v in metrics.items() if k not in skip
            and isinstance(v, (int, float, dict)) and not isinstance(v, bool)}


def reproduce_command(name, metrics):
    """The recipe call that repeats the run recorded in ``metrics``.

    Every recorded choice the recipe would not make by itself is spelled out:
    the seed, a concrete ``--source`` (``auto`` may choose differently on
    another machine), epochs, batch size and learning rate that differ from
    the entry's, and ``--data``/``--set`` for data and model options that
    differ from the entry's defaults. For a continuation it is the last round
    (``init_from_run`` describes the rounds before).

        >>> reproduce_command("lstm_mnist", {"seed": 0, "source": "mnist_5k", "epochs": 40})
        'python recipes/lstm_mnist.py --source mnist_5k --epochs 40'
        >>> reproduce_command("lstm_mnist", {"seed": 3, "overrides": {"cell": "gru"}})
        'python recipes/lstm_mnist.py --seed 3 --set cell=gru'
    """
    spec = get_spec(name)
    continued = "init_from" in metrics
    options = [f"--seed {metrics['seed']}"] if metrics.get("seed") else []
    if metrics.get("source", "auto") != "auto":
        options.append(f"--source {shlex.quote(str(metrics['source']))}")
    if continued:
        options.append(f"--init-from {shlex.quote(str(metrics['init_from']))}")
    for key in ("epochs", "batch_size", "learning_rate"):
        always = continued and key != "batch_size"  # a continuation's round is its own
        if key in metrics and (always or metrics[key] != getattr(spec.train, key)):
            options.append(f"--{key.replace('_', '-')} {metrics[key]:g}")
    if metrics.get("mixed_precision"):
        options.append("--mixed-precision")
    data = _recorded_data_options(spec, metrics["data_options"]) if "data_options" in metrics else {}
    for flag, recorded, defaults in (
            ("--data", data, spec.train.data),
            ("--set", metrics.get("overrides", {}), option_defaults(name))):
        options += [f"{flag} {_assignment(key, value)}" for key, value in recorded.items()
                    if key not in defaults or defaults[key] != value]
    return " ".join([f"python recipes/{name}.py", *options])


def _recorded_data_options(spec, recorded):
    """The run's data options, with the loader's default for each one the entry sets now
    but the run did not record (it had none then: an entry may gain options later)."""
    from kerazoo.data import option_defaults as loader_defaults

    defaults = loader_defaults(spec.dataset)
    unrecorded = [key for key in spec.train.data if key not in recorded]
    return {**{key: defaults[key] for key in unrecorded if key in defaults}, **recorded}


def _assignment(key, value):
    """``KEY=VALUE`` as the command line reads it back (``--data``/``--set``), shell-quoted."""
    text = value if isinstance(value, str) and not _is_literal(value) else repr(value)
    return shlex.quote(f"{key}={text}")


def _is_literal(text):
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text.strip().lower() in ("true", "false")
    return True


def write_card(folder, spec, metrics, tflite_report):
    """Write ``card.json`` for the artifacts already in ``folder``; returns the card."""
    model = keras.saving.load_model(folder / "model.keras", safe_mode=True)
    artifacts = {p.name: {"size_bytes": p.stat().st_size, "sha256": sha256(p)}
                 for p in sorted(folder.iterdir()) if p.suffix in (".keras", ".tflite")}
    card = {
        "name": spec.name,
        "version": kerazoo.__version__,
        "task": spec.task,
        "description": spec.description,
        "dataset": spec.dataset,
        "metric": spec.metric,
        "metrics": _metric_values(metrics),
        "num_params": int(model.count_params()),
        "artifacts": artifacts,
        "tflite": tflite_report,
        "reference": spec.reference,
        "packaged": datetime.date.today().isoformat(),
        **{k: metrics[k] for k in _RUN_FIELDS if k in metrics},
    }
    card.setdefault("command", reproduce_command(spec.name, metrics))
    card.update(_described(spec))
    # Versions the run recorded win over those present at packaging time.
    card["versions"] = {**versions(), **metrics.get("versions", {})}
    (folder / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return card


def _described(spec):
    """The card fields that describe the entry rather than measure the model."""
    fields = {"description": spec.description, "reference": spec.reference}
    input_range = getattr(get_task(spec.task), "input_range", None)  # what the model reads
    if input_range is not None:
        fields["readable_inputs"] = input_range(spec)
    return fields


def refresh_card(folder):
    """Rewrite the descriptive fields of a shipped card from its registry entry.

    Measured fields (metrics, artifacts and their hashes, the TFLite report,
    how the model was trained) are kept as they are: this is for documentation
    that changed after the model was packaged, e.g. what a model can read, and
    the ``command`` that repeats the recorded run (``reproduce_command``).

        >>> refresh_card(Path("saved_models/seq2seq_dates"))  # doctest: +SKIP
    """
    path = Path(folder) / "card.json"
    card = read_card(path)
    card.update(_described(get_spec(card["name"])))
    card["command"] = reproduce_command(card["name"], card)  # the card holds the run's fields
    path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return card


def _inference_copy(source, destination):
    """Save the trained weights without optimizer state (a third of the size).

    Shipped models are for inference and fine-tuning: ``kerazoo.load(name,
    compile=True)`` compiles them afresh with the entry's defaults.
    """
    trained = keras.saving.load_model(source, safe_mode=True)
    model = type(trained).from_config(trained.get_config())
    model.set_weights(trained.get_weights())
    model.save(destination)
    return model


def package(run_dir, *, dest=None, overwrite=False):
    """Copy a run's ``model.keras`` into the zoo with its TFLite file and card.

    The folder is assembled aside, beside the zoo folder rather than in it
    (``.NAME.packaging-*``, removed whatever happens, Ctrl-C included; only a
    hard kill can leave one there), and moved into place at the end, so a
    failed export never leaves a half-written model or a stray folder in the
    zoo; an existing model is only replaced with ``overwrite=True``.
    """
    from kerazoo.export.tflite import to_tflite

    run_dir = Path(run_dir)
    metrics = read_json(run_dir / "metrics.json", "run record (metrics.json of a training run)")
    if not isinstance(metrics.get("model"), str):
        raise UserError(f"{run_dir / 'metrics.json'} names no model; is {run_dir} a run folder?")
    spec = get_spec(metrics["model"])
    zoo = Path(dest or models_dir())
    target = zoo / spec.name
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} exists; pass overwrite=True (--overwrite) to replace it.")
    zoo.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{spec.name}.packaging-", dir=zoo.parent))
    try:
        built = staging / spec.name
        built.mkdir()
        model = _inference_copy(run_dir / "model.keras", built / "model.keras")
        report = to_tflite(model, built / "model.tflite", spec=spec)
        tflite_report = {k: report[k] for k in ("ops", "max_abs_diff", "latency_us_b1",
                                                "samples_checked") if k in report}
        write_card(built, spec, metrics, tflite_report)
        if target.exists():
            target.rename(staging / "replaced")
        built.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


# What every card holds (``results_rows`` reads them).
_CARD_FIELDS = {"name": str, "task": str, "dataset": str, "metric": str, "metrics": dict,
                "num_params": int, "artifacts": dict}


def read_card(path):
    """The card at ``path``; raises ``UserError`` naming the file when it is not one."""
    card = read_json(path, "model card")
    for field, kind in _CARD_FIELDS.items():
        if not isinstance(card.get(field), kind):
            raise UserError(f"{path}: not a valid model card ('{field}' should be a "
                            f"{kind.__name__}, got {card.get(field)!r}); repackage the model "
                            "with `kerazoo package RUN_DIR --overwrite`")
    return card


def read_cards(directory=None, *, skip_invalid=False):
    """All cards in the zoo, sorted by model name.

    An invalid card raises ``UserError`` naming it, or with ``skip_invalid``
    is left out with a one-line warning on stderr (the others still count).
    """
    directory = Path(directory or models_dir())
    cards = []
    for path in sorted(directory.glob("*/card.json")):
        try:
            cards.append(read_card(path))
        except UserError as error:
            if not skip_invalid:
                raise
            print(f"kerazoo: warning: skipping {error}", file=sys.stderr)
    return cards


def _reference(card, keys):
    """The first reference value among ``keys`` (None: any key but tutorial/issue)."""
    references = card.get("reference", {})
    keys = keys or [k for k in references if k not in ("tutorial", "issue")]
    values = [references[k]["value"] for k in keys
              if isinstance(references.get(k, {}).get("value"), (int, float))]
    return f"{values[0]:.4g}" if values else "–"


def results_rows(directory=None, *, skip_invalid=False):
    """One row per shipped model, as a list of column → text dicts (see ``read_cards``)."""
    rows = []
    for card in read_cards(directory, skip_invalid=skip_invalid):
        value = card["metrics"].get(card["metric"])
        rows.append({
            "model": card["name"],
            "task": card["task"],
            "data": f"{card['dataset']} ({card.get('source', '?')}, {card.get('split', '?')}"
                    f"{', n=' + str(card['num_examples']) if 'num_examples' in card else ''})",
            "metric": card["metric"],
            "ours": f"{value:.4g}" if isinstance(value, (int, float)) else "–",
            "tutorial": _reference(card, ["tutorial"]),
            "best public": _reference(card, None),
            "target": _reference(card, ["issue"]),
            "params": f"{card['num_params']:,}",
            "TFLite KB": f"{card['artifacts']['model.tflite']['size_bytes'] / 1024:.0f}"
                         if "model.tflite" in card["artifacts"] else "–",
            "TFLite µs (b=1)": f"{card['tflite']['latency_us_b1']:.0f}"
                               if card.get("tflite", {}).get("latency_us_b1") else "–",
        })
    return rows


def results_markdown(directory=None, *, skip_invalid=False):
    """The results table as Markdown (what the README shows)."""
    from kerazoo.markdown import markdown_table

    rows = results_rows(directory, skip_invalid=skip_invalid)
    return markdown_table(rows) if rows else "_No trained models shipped yet._\n"
