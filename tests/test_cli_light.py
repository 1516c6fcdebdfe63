"""The light commands (``--help``, ``list``, ``info``) answer without Keras, TensorFlow or torch.

Each runs in a fresh interpreter, so what it imports is what a user waits for.
The budget is CPU seconds of that process (user + system), not wall time:
other work on the machine makes it wait, not compute more.
"""

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HEAVY = ("tensorflow", "keras", "torch", "jax", "matplotlib", "scipy", "pandas", "onnx")
CPU_BUDGET_S = 1.5  # the "under 1.5 s on an idle core"

DRIVER = """
import json, sys
from kerazoo.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:  # --help
    code = stop.code
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
raise SystemExit(code)
"""


def _run(*argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", DRIVER, *argv], capture_output=True,
                          text=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    modules = json.loads(done.stderr.rsplit("MODULES ", 1)[1])
    return done, modules, cpu


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["list", "*gru*", "--task", "classification"],
                                  ["info", "lstm_mnist"], ["info", "lstm_mnist", "--json"],
                                  ["train", "--help"]], ids=" ".join)
def test_light_commands_import_no_framework_and_stay_in_budget(argv):
    done, modules, cpu = _run(*argv)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    heavy = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert heavy == [], f"`kerazoo {' '.join(argv)}` imported {heavy}"
    assert cpu < CPU_BUDGET_S, f"`kerazoo {' '.join(argv)}` took {cpu:.2f} CPU s"


def test_info_counts_parameters_only_when_asked_to_build(capsys):
    done, _, _ = _run("info", "lstm_mnist", "--json")
    info = json.loads(done.stdout)
    assert info["name"] == "lstm_mnist" and "num_params" not in info  # not built, not guessed
    card = json.loads((ROOT / "saved_models" / "lstm_mnist" / "card.json").read_text())
    assert info["shipped_num_params"] == card["num_params"]
    assert "--build" in _run("info", "lstm_mnist")[0].stdout
    from kerazoo.cli import main

    assert main(["info", "lstm_mnist", "--build", "--json"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert built["num_params"] == card["num_params"] and built["cudnn_eligible"] is True


def test_a_reader_that_goes_away_ends_the_command_quietly():
    # `kerazoo list | head -1`: the reader has closed the pipe before kerazoo writes.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-c", DRIVER, "list"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.returncode == 141  # what a tool killed by SIGPIPE returns
