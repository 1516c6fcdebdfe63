"""The GPU checks, run by ``scripts/gpu_check.sh`` under ``KERAS_BACKEND=jax`` or ``torch``.

For lstm_mnist and cnn_gru_captcha it measures training samples/s on one fixed
batch on the accelerator and, in the same run, on this machine's CPU
(``kerazoo.bench.backends``, one subprocess each), then trains a few epochs
with ``kerazoo train`` (real data, the run's own samples/s and test metric),
and with ``--full`` the first round of the cnn_gru_captcha recipe. It writes
``OUTPUT/gpu_check.json`` and ``OUTPUT/gpu_check.md`` (hardware first) and
prints the Markdown. It runs on a CPU-only machine too, just slower, and needs
no TensorFlow and no network.

    KERAS_BACKEND=jax python scripts/gpu_check.py --epochs 3 --output runs/gpu_check
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys

import keras

import kerazoo
from kerazoo.bench import backends

MODELS = ("lstm_mnist", "cnn_gru_captcha")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Each backend's way to hide its accelerator, for the CPU figure of the same run.
CPU_ONLY = {"jax": {"JAX_PLATFORMS": "cpu"}, "torch": {"CUDA_VISIBLE_DEVICES": ""}}


def hardware(backend):
    """What this run ran on: the GPU (nvidia-smi) or CPU, and the backend's devices."""
    info = {"backend": backend, "keras": keras.__version__, "python": platform.python_version(),
            "cpu_cores": os.cpu_count()}
    if shutil.which("nvidia-smi"):
        query = ["nvidia-smi", "--query-gpu=name,memory.total,driver_version",
                 "--format=csv,noheader"]
        info["gpus"] = subprocess.run(query, capture_output=True, text=True).stdout.strip()
    if backend == "jax":
        import jax

        info["jax"] = jax.__version__
        info["devices"] = [str(d) for d in jax.devices()]
    else:
        import torch

        info["torch"] = torch.__version__
        info["devices"] = ([torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
                           or ["cpu"])
    return info


def fixed_batch_rates(backend, models, windows, seconds):
    """``{model: (accelerator samples/s, CPU samples/s)}`` of the fixed-batch step."""
    rates = {}
    for where, env in (("default", None), ("cpu", CPU_ONLY[backend])):
        rows = backends.backend_rows(models, windows=windows, seconds=seconds,
                                     backends=(backend,), env=env)
        for r in rows:
            if r["path"] == backend:
                rates.setdefault(r["model"], {})[where] = r["value"]
    return rates


def train(name, output, *arguments):
    """``kerazoo train NAME ...`` (or a recipe) in a subprocess; its metrics.json."""
    command = ([sys.executable, os.path.join(REPO, "recipes", f"{name}.py")]
               if arguments[:1] == ("--recipe",) else
               [sys.executable, "-c", "import sys; from kerazoo.cli import main; "
                "sys.exit(main(sys.argv[1:]))", "train", name])
    arguments = arguments[1:] if arguments[:1] == ("--recipe",) else arguments
    subprocess.run(command + ["--output", output, "--overwrite", *arguments], check=True)
    with open(os.path.join(output, "metrics.json")) as f:
        metrics = json.load(f)
    metric = kerazoo.get_spec(name).metric
    return {"metric": metric, "test_metric": metrics[f"test_{metric}"],
            **{key: metrics.get(key) for key in ("train_seconds", "train_samples_per_sec")}}


def card_rate(name):
    """samples/s of the shipped model's own training run (the 2-core CPU figure)."""
    path = os.path.join(REPO, "saved_models", name, "card.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f).get("train_samples_per_sec")


def markdown(report):
    """The report as Markdown: hardware, then one line per model."""
    hw = report["hardware"]
    lines = [f"GPU check, KERAS_BACKEND={hw['backend']}: {hw.get('gpus') or 'no NVIDIA GPU'}; "
             f"devices {', '.join(hw['devices'])}; {hw['cpu_cores']} CPU cores; "
             f"Keras {hw['keras']}, {hw['backend']} {hw.get(hw['backend'])}.", "",
             "| model | fixed batch: device samples/s | same machine's CPU | device / CPU "
             f"| {report['epochs']} epochs: samples/s | test metric | card's CPU run samples/s |",
             "|---|---|---|---|---|---|---|"]
    for name, m in report["models"].items():
        device, cpu = m["fixed_batch"].get("default"), m["fixed_batch"].get("cpu")
        ratio = f"{device / cpu:.1f}×" if device and cpu else "–"
        lines.append(f"| `{name}` | {device or 0:,.0f} | {cpu or 0:,.0f} | {ratio} | "
                     f"{m['train_samples_per_sec'] or 0:,.0f} | {m['metric']} "
                     f"{m['test_metric']:.4f} | {m['card_samples_per_sec'] or '–'} |")
    if "full_recipe" in report:
        full = report["full_recipe"]
        lines += ["", f"Full cnn_gru_captcha recipe (round 1): test {full['metric']} "
                      f"{full['test_metric']:.4f} in {full['train_seconds']:.0f} s "
                      f"({full['train_samples_per_sec']:,.0f} samples/s)."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of each short run")
    parser.add_argument("--limit", type=int, help="examples per split (a quicker smoke run)")
    parser.add_argument("--windows", type=int, default=3, help="timed windows per figure")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per window")
    parser.add_argument("--full", action="store_true",
                        help="also train cnn_gru_captcha's full first recipe round")
    parser.add_argument("--output", default="runs/gpu_check")
    args = parser.parse_args(argv)
    backend = keras.backend.backend()
    if backend not in CPU_ONLY:
        parser.error(f"run under KERAS_BACKEND=jax or torch (this is {backend})")
    os.makedirs(args.output, exist_ok=True)
    report = {"hardware": hardware(backend), "epochs": args.epochs, "models": {}}
    rates = fixed_batch_rates(backend, MODELS, args.windows, args.seconds)
    data = ["--data", f"limit={args.limit}"] if args.limit else []
    for name in MODELS:
        metrics = train(name, os.path.join(args.output, name), "--epochs", str(args.epochs),
                        "--quiet", *data)
        report["models"][name] = {"fixed_batch": rates[name], **metrics,
                                  "card_samples_per_sec": card_rate(name)}
    if args.full:
        report["full_recipe"] = train(
            "cnn_gru_captcha", os.path.join(args.output, "cnn_gru_captcha_full"),
            "--recipe", "--seed", "21")
    text = markdown(report)
    with open(os.path.join(args.output, "gpu_check.json"), "w") as f:
        json.dump(report, f, indent=2)
    with open(os.path.join(args.output, "gpu_check.md"), "w") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
