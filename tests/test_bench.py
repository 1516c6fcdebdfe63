"""Tests of ``kerazoo bench``: FLOP formulas, the PyTorch reference, reports, README block."""

import csv
import json
import os
import sys

import numpy as np
import pytest

import kerazoo
from kerazoo.bench import (backends, flops, latency, pipeline, readme, reference_torch, report,
                           suite, timing)
from kerazoo.bench.architecture import Layer, describe
from kerazoo.cli import main

torch = reference_torch.torch
needs_torch = pytest.mark.skipif(torch is None, reason="the bench extra (torch) is not installed")


# --- FLOPs, against numbers worked out by hand -------------------------------------------

@pytest.mark.parametrize("kind, expected", [
    # F=3 inputs, H=2 units: (F + H + 1) = 6 weights+bias per unit and gate, 2 FLOPs each.
    ("simple_rnn", 6 * 2 * 2),                       # 24
    ("lstm", 4 * 6 * 2 * 2),                         # 96
    ("peephole_lstm", 4 * 6 * 2 * 2 + 3 * 2 * 2),    # 96 + 12 for the three c⊙p terms
    ("gru", 3 * 4 * 2 * 2 + 3 * 3 * 2 * 2),          # input part (F+1) + recurrent (H+1)
])
def test_step_flops_match_hand_computed_numbers(kind, expected):
    assert flops.step_flops(kind, 3, 2) == expected


def test_gru_without_reset_after_has_one_bias():
    assert flops.step_flops("gru", 3, 2, reset_after=False) == 3 * 6 * 2 * 2


def test_layer_flops_count_steps_and_directions():
    layer = Layer("lstm", "l", (5, 3), (4,), units=2, bidirectional=True)
    assert flops.layer_flops(layer) == 5 * 96 * 2
    dense = Layer("dense", "d", (5, 4), (5, 10), units=10)
    assert flops.layer_flops(dense) == 5 * (4 + 1) * 10 * 2
    conv = Layer("conv2d", "c", (8, 8, 3), (4, 4, 16), units=16,
                 options=dict(kernel_size=(3, 3), strides=(2, 2), padding="same",
                              use_bias=False))
    assert flops.layer_flops(conv) == 4 * 4 * (3 * 3 * 3) * 16 * 2


def test_model_flops_of_a_built_model():
    model = kerazoo.build("lstm_mnist", hidden_size=4, compile=False)
    assert flops.model_flops(model) == 28 * 4 * (28 + 4 + 1) * 4 * 2 + (4 + 1) * 10 * 2


def test_unknown_cell_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown recurrent kind 'lstmm'"):
        flops.step_flops("lstmm", 3, 2)


# --- reading the architecture, and the reference built from it -------------------------

def test_describe_reads_units_directions_and_stacking():
    stacked = [l for l in describe(kerazoo.build("stacked_lstm_mnist", hidden_size=8,
                                                  compile=False)) if l.is_recurrent]
    assert [(l.kind, l.units, l.return_sequences) for l in stacked] == [
        ("lstm", 8, True), ("lstm", 8, True), ("lstm", 8, False)]
    (bi,) = [l for l in describe(kerazoo.build("bilstm_mnist", compile=False)) if l.is_recurrent]
    assert (bi.units, bi.bidirectional, bi.output_shape) == (64, True, (128,))


def _copy_lstm(keras_layer, torch_lstm, suffix=""):
    kernel, recurrent, bias = (w.numpy() for w in keras_layer.weights)
    # Keras and torch both order the LSTM gates i, f, c(g), o.
    params = dict(torch_lstm.named_parameters())
    params[f"weight_ih_l0{suffix}"].data = torch.from_numpy(kernel.T.copy())
    params[f"weight_hh_l0{suffix}"].data = torch.from_numpy(recurrent.T.copy())
    params[f"bias_ih_l0{suffix}"].data = torch.from_numpy(bias.copy())
    params[f"bias_hh_l0{suffix}"].data.zero_()


def _copy_dense(keras_layer, linear):
    kernel, bias = (w.numpy() for w in keras_layer.weights)
    linear.weight.data = torch.from_numpy(kernel.T.copy())
    linear.bias.data = torch.from_numpy(bias.copy())


def _probabilities(net, x):
    with torch.no_grad():
        return torch.softmax(net(torch.from_numpy(x)), -1).numpy()


@needs_torch
def test_reference_bilstm_computes_what_the_keras_model_computes():
    model = kerazoo.build("bilstm_mnist", hidden_size=6, compile=False)
    net = reference_torch.build_reference(describe(model)).eval()
    bidirectional = model.get_layer("rnn_0")
    _copy_lstm(bidirectional.forward_layer, net[0].rnn)
    _copy_lstm(bidirectional.backward_layer, net[0].rnn, "_reverse")
    _copy_dense(model.get_layer("classifier"), net[1][0])
    x = np.random.default_rng(0).random((3, 28, 28), dtype=np.float32)
    np.testing.assert_allclose(_probabilities(net, x), model.predict_on_batch(x), atol=1e-5)


@needs_torch
def test_reference_peephole_cell_computes_what_kerazoos_cell_computes():
    model = kerazoo.build("peephole_lstm_mnist", hidden_size=5, compile=False)
    cell = model.get_layer("rnn_0").cell
    rng = np.random.default_rng(1)
    for weight in cell.weights:  # non-zero peepholes, so they are really compared
        weight.assign(rng.normal(scale=0.3, size=weight.shape).astype("float32"))
    net = reference_torch.build_reference(describe(model)).eval()
    direction = net[0].directions[0]
    direction.kernel.data = torch.from_numpy(cell.kernel.numpy())
    direction.recurrent_kernel.data = torch.from_numpy(cell.recurrent_kernel.numpy())
    direction.bias.data = torch.from_numpy(cell.bias.numpy())
    direction.peepholes.data = torch.from_numpy(np.stack(
        [cell.peephole_i.numpy(), cell.peephole_f.numpy(), cell.peephole_o.numpy()]))
    _copy_dense(model.get_layer("classifier"), net[1][0])
    x = rng.random((2, 28, 28), dtype=np.float32)
    np.testing.assert_allclose(_probabilities(net, x), model.predict_on_batch(x), atol=1e-5)


@needs_torch
@pytest.mark.parametrize("name", ["gru_mnist", "rnn7_mnist", "cnn_gru_captcha"])
def test_reference_has_the_keras_output_shape(name):
    model = kerazoo.build(name, compile=False)
    net = reference_torch.build_reference(describe(model)).eval()
    with torch.no_grad():
        out = net(torch.zeros(2, *model.input_shape[1:]))
    assert tuple(out.shape) == (2, *model.output_shape[1:])


def test_reference_refuses_layers_it_cannot_mirror():
    if torch is None:
        pytest.skip("torch is not installed")
    odd = Layer("unsupported", "GaussianNoise", (28, 28), (28, 28))
    with pytest.raises(reference_torch.ReferenceUnavailable, match="GaussianNoise"):
        reference_torch.build_reference([odd])


# --- without torch the reference is skipped with a note -------------------------------

class _FakeKerasTraining:
    """Stands in for Keras training, so the test times nothing heavy."""

    def __init__(self, model, x, y, jit_compile=None):
        self.batch_size = len(x)

    def run(self, steps):
        return 1000.0


def test_training_without_torch_reports_a_note(monkeypatch):
    monkeypatch.setattr(reference_torch, "torch", None)
    monkeypatch.setattr(suite.training, "KerasTraining", _FakeKerasTraining)
    settings = suite.Settings(models=["rnn_mnist"], train_windows=1, train_seconds=0.01,
                              xla=False)
    rows = suite.training_rows("rnn_mnist", settings)
    by_path = {r["path"]: r for r in rows}
    assert by_path["keras"]["value"] == 1000.0
    assert by_path["pytorch"]["value"] is None
    assert "torch is not installed" in by_path["pytorch"]["note"]


def test_latency_without_torch_reports_a_note(monkeypatch, tmp_path):
    monkeypatch.setattr(reference_torch, "torch", None)
    model = kerazoo.build("rnn_mnist", hidden_size=4, compile=False)
    calls, notes = latency.path_calls(model, {1: np.zeros((1, 28, 28), "float32")}, tmp_path,
                                      paths=("keras", "pytorch"))
    assert list(calls[1]) == ["keras"]
    assert any("pytorch: not measured" in n and "torch is not installed" in n for n in notes)


def test_latency_times_onnxruntime_with_one_and_two_threads(tmp_path):
    model = kerazoo.build("rnn_mnist", hidden_size=4, compile=False)
    inputs = {b: np.zeros((b, 28, 28), "float32") for b in (1, 3)}
    calls, notes = latency.path_calls(model, inputs, tmp_path,
                                      paths=("onnxruntime_1t", "onnxruntime_2t"))
    assert notes == [] and all(sorted(c) == ["onnxruntime_1t", "onnxruntime_2t"]
                               for c in calls.values())
    assert calls[3]["onnxruntime_2t"]()[0].shape == (3, 10)


def test_latency_without_the_onnx_extra_reports_a_note(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime now fails
    model = kerazoo.build("rnn_mnist", hidden_size=4, compile=False)
    calls, notes = latency.path_calls(model, {1: np.zeros((1, 28, 28), "float32")}, tmp_path,
                                      paths=("keras", "onnxruntime_1t"))
    assert list(calls[1]) == ["keras"]
    assert len(notes) == 1 and "kerazoo[onnx]" in notes[0]


def test_unknown_latency_path_is_rejected(tmp_path):
    model = kerazoo.build("rnn_mnist", hidden_size=4, compile=False)
    with pytest.raises(ValueError, match="tensorrt"):
        latency.path_calls(model, {1: np.zeros((1, 28, 28), "float32")}, tmp_path,
                           paths=("keras", "tensorrt"))


# --- timing, report and README ---------------------------------------------------------

def test_interleaved_timing_needs_a_window():
    with pytest.raises(ValueError, match="windows"):
        timing.interleaved_per_call({"a": lambda: None}, windows=0)


def _rows():
    row = suite.row
    return [row("flops", "m", "analytic", 2_000_000, "FLOPs", 1),
            row("training", "m", "keras", 1500.0, "samples/s", 64, gflop_per_s=9.0),
            row("training", "m", "keras_xla", 3000.0, "samples/s", 64, gflop_per_s=18.0,
                note="kerazoo default"),
            row("training", "m", "pytorch", 2000.0, "samples/s", 64, gflop_per_s=12.0),
            row("latency", "m", "keras", 1000.0, "µs", 1, gflop_per_s=0.002),
            row("latency", "m", "tflite_1t", 50.0, "µs", 1, gflop_per_s=0.04),
            row("latency", "m", "onnxruntime", None, "µs", 1, note="not measured, no tf2onnx"),
            *[row("sequence_length", "lstm(128)", "keras", 10.0 + 2 * t, "µs", 1, t)
              for t in (28, 56, 112)]]


def test_markdown_reports_ratios_fastest_path_and_a_straight_line():
    text = report.markdown(_rows(), {"cpu": "Test CPU", "cores": 2, "tensorflow": "2.21",
                                     "keras": "3.15", "torch": None, "sgemm_gflop_per_s": 50})
    assert "Test CPU, 2 cores" in text and "torch not installed" in text
    # keras 1500 / pytorch 2000, keras_xla 3000 / 2000, default (xla) / pytorch
    assert "| 0.75× | 1.50× | 1.50× |" in text
    assert "| tflite_1t | 1.00× |" in text
    assert "2 (1.000)" in text  # 2 µs per step, R² of a line = 1
    assert "onnxruntime: not measured, no tf2onnx" in text


def test_csv_round_trip(tmp_path):
    path = tmp_path / "bench.csv"
    report.write_csv(_rows(), path)
    assert report.read_csv(path) == _rows()


def test_readme_block_is_rewritten_and_the_rest_kept(tmp_path):
    readme_path, bench_md = tmp_path / "README.md", tmp_path / "bench.md"
    readme_path.write_text("# x\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\n## After\n")
    bench_md.write_text("Machine: a CPU.\n\n### Training throughput\n\n| a |\n")
    readme.update_readme(readme_path, bench_md)
    text = readme_path.read_text()
    assert "old" not in text and "#### Training throughput" in text
    assert text.startswith("# x\n") and text.endswith("## After\n")
    readme.update_readme(readme_path, bench_md)  # idempotent
    assert readme_path.read_text() == text


def test_readme_without_markers_is_a_clear_error(tmp_path):
    (tmp_path / "README.md").write_text("# x\n")
    (tmp_path / "bench.md").write_text("tables\n")
    with pytest.raises(ValueError, match="bench:start"):
        readme.update_readme(tmp_path / "README.md", tmp_path / "bench.md")


# --- the command -----------------------------------------------------------------------

@pytest.mark.slow
def test_quick_bench_writes_csv_markdown_and_plots(tmp_path):
    assert main(["bench", "--quick", "--models", "lstm_mnist", "--output", str(tmp_path)]) == 0
    for name in ("bench.csv", "bench.md", "training.png", "latency.png", "sequence_length.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    with open(tmp_path / "bench.csv") as f:
        rows = list(csv.DictReader(f))
    sections = {r["section"] for r in rows}
    assert sections == {"flops", "training", "latency", "sequence_length", "input_pipeline"}
    keras_rate = [r for r in rows if r["section"] == "training" and r["path"] == "keras"]
    assert float(keras_rate[0]["value"]) > 0
    # --report-only rebuilds the Markdown from the CSV without measuring.
    os.remove(tmp_path / "bench.md")
    assert main(["bench", "--report-only", "--output", str(tmp_path)]) == 0
    assert "Training throughput" in (tmp_path / "bench.md").read_text()


def test_unknown_model_is_a_usage_error(tmp_path, capsys):
    assert main(["bench", "--quick", "--models", "lstm_mnistt", "--output", str(tmp_path)]) == 2
    assert "lstm_mnist" in capsys.readouterr().err


def _bench_folder(folder, rows, **machine):
    os.makedirs(folder, exist_ok=True)
    report.write_csv(rows, os.path.join(folder, "bench.csv"))
    with open(os.path.join(folder, "machine.json"), "w") as f:
        json.dump({"cpu": "Test CPU", "cores": 2, "tensorflow": "2.21", "keras": "3.15",
                   "torch": None, "sgemm_gflop_per_s": 50, **machine}, f)


def test_merge_replaces_only_the_remeasured_rows_in_place(tmp_path):
    row = suite.row
    committed = [row("latency", "a", "keras", 1.0, "µs", 1),
                 row("latency", "b", "keras", 2.0, "µs", 1),
                 row("latency", "b", "tflite_1t", 3.0, "µs", 1),
                 row("latency", "c", "keras", 4.0, "µs", 1)]
    fresh = [row("latency", "b", "keras", 20.0, "µs", 1),
             row("latency", "b", "onnxruntime_1t", 5.0, "µs", 1)]
    _bench_folder(tmp_path / "docs", committed)
    _bench_folder(tmp_path / "new", fresh, cpu="Other CPU")
    readme_path = tmp_path / "README.md"
    readme_path.write_text("<!-- bench:start -->\n<!-- bench:end -->\n")
    assert main(["bench", "--report-only", "--output", str(tmp_path / "new"), "--merge-into",
                 str(tmp_path / "docs"), "--update-readme", str(readme_path)]) == 0
    merged = report.read_csv(tmp_path / "docs" / "bench.csv")
    assert [(r["model"], r["path"], r["value"]) for r in merged] == [
        ("a", "keras", 1.0), ("b", "keras", 20.0), ("b", "onnxruntime_1t", 5.0),
        ("c", "keras", 4.0)]
    text = readme_path.read_text()
    assert "Rows of b (latency) come from a later run on Other CPU" in text
    assert f"Generated from `{tmp_path / 'docs'}/bench.csv`" in text


def test_sections_limit_what_is_measured():
    settings = suite.Settings(models=["rnn_mnist"], sections=("nonsense",))
    with pytest.raises(ValueError, match="Unknown bench sections"):
        list(suite.iter_suite(settings, "unused"))


# --- training under each Keras backend (`kerazoo bench --backends`) ----------------------

def _backend_rows():
    row = suite.row
    return [row("backends", "m", "tensorflow", 1000.0, "samples/s", 64, gflop_per_s=5.0,
                note="jit_compile=False"),
            row("backends", "m", "pytorch@tensorflow", 2000.0, "samples/s", 64),
            row("backends", "m", "jax", 3000.0, "samples/s", 64, note="jit_compile=True"),
            row("backends", "m", "pytorch@jax", 1500.0, "samples/s", 64),
            row("backends", "m", "torch", None, "samples/s",
                note="not measured: torch is not installed")]


def test_backend_table_divides_each_backend_by_the_reference_timed_beside_it():
    text = report.markdown(_rows() + _backend_rows(), {
        "cpu": "Test CPU", "cores": 2, "tensorflow": "2.21", "keras": "3.15", "torch": None,
        "jax": "0.10.2", "sgemm_gflop_per_s": 50})
    assert "### Training throughput per Keras backend" in text and "jax 0.10.2" in text
    # tensorflow 1000 / its 2000, jax 3000 / its 1500; reference column: median 1,750
    assert "| `m` | 64 | 1,000 (5) | 3,000 | – | 1,750 | 0.50× | 2.00× | – |" in text
    assert "torch: not measured: torch is not installed" in text


def test_markdown_without_backend_rows_has_no_backend_table():
    text = report.markdown(_rows(), {"cpu": "c", "cores": 2, "tensorflow": "2.21",
                                     "keras": "3.15", "sgemm_gflop_per_s": 50})
    assert "per Keras backend" not in text


def test_backends_that_are_not_installed_get_a_row_saying_so(monkeypatch):
    monkeypatch.setattr(backends, "installed_backends", lambda: [])
    rows = backends.backend_rows(["rnn_mnist"])
    assert [(r["path"], r["value"]) for r in rows] == [(b, None) for b in backends.BACKENDS]
    assert all(r["note"] == f"not measured: {r['path']} is not installed" for r in rows)


def test_a_failing_backend_worker_is_an_error_naming_the_backend(monkeypatch):
    class Failed:
        returncode, stdout, stderr = 1, "", "Traceback ...\nImportError: no jaxlib\n"

    calls = []
    monkeypatch.setattr(backends, "installed_backends", lambda: ["jax"])
    monkeypatch.setattr(backends.subprocess, "run", lambda *a, **k: calls.append(k) or Failed())
    with pytest.raises(RuntimeError, match="(?s)KERAS_BACKEND=jax failed.*no jaxlib"):
        backends.backend_rows(["rnn_mnist"], backends=("jax",), env={"JAX_PLATFORMS": "cpu"})
    assert calls[0]["env"]["KERAS_BACKEND"] == "jax"
    assert calls[0]["env"]["JAX_PLATFORMS"] == "cpu"  # scripts/gpu_check.py's CPU figure


def test_the_worker_measures_this_process_backend_next_to_the_reference(monkeypatch):
    # KerasBatchTraining for real (train_on_batch), the torch reference faked away.
    monkeypatch.setattr(reference_torch, "torch", None)
    rows = backends.measure(["rnn_mnist"], windows=1, seconds=0.01)
    import keras
    by_path = {r["path"]: r for r in rows}
    this = keras.backend.backend()
    assert by_path[this]["value"] > 0 and by_path[this]["note"].startswith("jit_compile=")
    assert by_path[backends.reference_path(this)]["value"] is None


def test_backends_flag_adds_the_section(monkeypatch, tmp_path):
    seen = {}

    def fake_suite(settings, workdir):
        seen["sections"] = settings.sections
        yield "nothing", [suite.row("backends", "m", "jax", 1.0, "samples/s", 8)]

    monkeypatch.setattr(suite, "iter_suite", fake_suite)
    monkeypatch.setattr("kerazoo.bench.machine.sgemm_gflop_per_s", lambda: 1.0)
    assert main(["bench", "--quick", "--backends", "--sections", "training",
                 "--output", str(tmp_path)]) == 0
    assert seen["sections"] == ("training", "backends")
    assert "per Keras backend" in (tmp_path / "bench.md").read_text()


@pytest.mark.slow
def test_backends_section_measures_every_installed_backend_in_one_run(tmp_path):
    assert main(["bench", "--quick", "--models", "rnn_mnist", "--sections", "backends",
                 "--output", str(tmp_path)]) == 0
    rows = report.read_csv(tmp_path / "bench.csv")
    for backend in backends.installed_backends():
        assert [r["value"] > 0 for r in rows if r["path"] == backend] == [True]


def test_markdown_shows_only_the_measured_sections():
    text = report.markdown(_backend_rows(), {"cpu": "c", "cores": 2, "tensorflow": "2.21",
                                            "keras": "3.15", "sgemm_gflop_per_s": 50})
    assert "per Keras backend" in text
    assert "### Training throughput\n" not in text and "Inference latency" not in text


def test_input_pipeline_rows_time_both_views_of_one_definition():
    kinds = [("mnist", "mnist", {"source": "mnist_5k", "limit": 130})]
    rows = pipeline.pipeline_rows(kinds, batch_size=64, windows=1, seconds=0.01)
    assert {(r["model"], r["path"], r["unit"]) for r in rows} == {
        ("mnist", "tf.data", "samples/s"), ("mnist", "pydataset", "samples/s"),
        ("mnist", "tf.data_cpu", "samples/CPU-s"), ("mnist", "pydataset_cpu", "samples/CPU-s")}
    assert all(r["value"] > 0 and r["batch_size"] == 64 for r in rows)
    text = report.markdown(rows, {"cpu": "c", "cores": 2, "tensorflow": "2.21",
                                  "keras": "3.15", "sgemm_gflop_per_s": 50})
    assert "### Input pipeline throughput" in text
    line = next(l for l in text.splitlines() if l.startswith("| mnist |"))
    tf_rate = next(r["value"] for r in rows if r["path"] == "tf.data")
    py_rate = next(r["value"] for r in rows if r["path"] == "pydataset")
    assert f"{tf_rate / py_rate:.2f}×" in line
