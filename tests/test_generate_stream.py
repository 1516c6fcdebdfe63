"""Fast, streamed text generation: one compiled loop, the full model's text, shown as it comes.

Small untrained character models from the registry keep every test to seconds;
what is checked (greedy argmax, sampling draws) holds for any weights.
"""

import json
import sys

import keras
import numpy as np
import pytest

import kerazoo
from kerazoo.cli import main
from kerazoo.errors import UserError
from kerazoo.generate import generate_stream
from kerazoo.models.stepping import initial_states, step_function
from kerazoo.families.text.model import ENGLISH_CHARACTERS
from kerazoo.layers.text import character_ids
from kerazoo.families.text import task as text


def _char_model(**options):
    keras.utils.set_random_seed(1)
    return kerazoo.build("char_lstm", **{"hidden_size": 16, "embedding_size": 8, **options})


def _full_model_probabilities(model, text):
    """Next-character probabilities at every position of ``text``, one full-sequence call."""
    ids = character_ids(text, ENGLISH_CHARACTERS)
    return np.asarray(model(ids[None, :-1], training=False), dtype="float64")[0], ids


@pytest.fixture(params=["graph", "xla"])
def compiled_with(request, monkeypatch):
    """Both compiled sampling loops: the plain graph, and XLA (used for long texts)."""
    if request.param == "xla":
        monkeypatch.setattr(text, "_XLA_FROM", 1)
    return request.param


def test_greedy_text_is_the_full_models_argmax_for_hundreds_of_characters(compiled_with):
    model = _char_model()
    seed = "The "
    text = kerazoo.generate(model, seed, 300, name="char_lstm", temperature=0)
    assert text.startswith(seed) and len(text) == 304
    probabilities, ids = _full_model_probabilities(model, text)
    # Ids 0 and 1 (padding, unknown) are never generated.
    greedy = probabilities[:, 2:].argmax(-1) + 2
    assert greedy[len(seed) - 1:].tolist() == ids[len(seed):].tolist()


def test_sampling_draws_from_the_full_models_distribution_with_the_same_random_stream(
        compiled_with):
    model = _char_model()
    text = kerazoo.generate(model, "a", 200, name="char_lstm", temperature=0.7, random_seed=5)
    probabilities, ids = _full_model_probabilities(model, text)
    # What the old per-character loop drew: numpy's choice over p**(1/T), one draw a step.
    rng = np.random.default_rng(5)
    expected = []
    for p in probabilities:
        logits = np.log(np.maximum(p[2:], 1e-12)) / 0.7
        weights = np.exp(logits - logits.max())
        expected.append(int(rng.choice(len(weights), p=weights / weights.sum())) + 2)
    assert ids[1:].tolist() == expected
    assert len(set(text)) > 10  # really sampled, not greedy


def test_the_step_model_is_traced_not_called_per_character(monkeypatch):
    """The rollout is compiled: the LSTM cell's Python code runs while tracing, not per step."""
    model = _char_model()
    calls = []
    original = keras.layers.LSTMCell.call
    monkeypatch.setattr(keras.layers.LSTMCell, "call",
                        lambda self, *args, **kwargs: calls.append(1) or original(self, *args,
                                                                                   **kwargs))
    kerazoo.generate(model, "The ", 400, name="char_lstm", temperature=0)
    assert len(calls) < 20


@pytest.mark.parametrize("cell", ["lstm", "gru", "simple_rnn", "peephole_lstm"])
def test_stepping_reproduces_the_sequence_model(cell):
    model = _char_model(cell=cell, num_layers=2)
    step = step_function(model)
    ids = character_ids("Step by step.", ENGLISH_CHARACTERS)
    states, outputs = initial_states(model), []
    for i in ids:
        probabilities, states = step(np.array([i], "int32"), states)
        outputs.append(np.asarray(probabilities)[0])
    np.testing.assert_allclose(outputs, np.asarray(model(ids[None], training=False))[0],
                               atol=1e-5)


def test_stepping_refuses_models_that_read_the_future():
    with pytest.raises(ValueError, match="bidirectional|one chain"):
        step_function(kerazoo.build("bilstm_sentiment", hidden_size=4, embedding_size=4,
                                 dense_size=4))


def test_stream_yields_the_text_in_pieces_as_it_is_generated():
    model = _char_model()
    pieces = list(generate_stream(model, "The ", 100, name="char_lstm", temperature=0))
    assert len(pieces) >= 3 and all(isinstance(p, str) and p for p in pieces)
    assert "The " + "".join(pieces) == kerazoo.generate(model, "The ", 100, name="char_lstm",
                                                        temperature=0)


@pytest.mark.parametrize("temperature", [float("nan"), float("inf"), -1.0])
def test_bad_temperatures_are_user_errors(temperature):
    with pytest.raises(UserError, match="temperature"):
        kerazoo.generate(_char_model(), "a", 5, name="char_lstm", temperature=temperature)


class _Recorder:
    """A stdout that keeps each write separately, to see text arrive in pieces."""

    def __init__(self):
        self.writes = []

    def write(self, text):
        self.writes.append(text)

    def flush(self):
        self.writes.append(None)


def _saved(tmp_path):
    path = tmp_path / "char.keras"
    model = _char_model()
    model.save(path)
    return path, model


def test_generate_command_prints_text_as_it_comes(tmp_path, monkeypatch):
    path, model = _saved(tmp_path)
    recorder = _Recorder()
    monkeypatch.setattr(sys, "stdout", recorder)
    assert main(["generate", "char_lstm", "--model", str(path), "--seed-text", "The ",
                 "--length", "100", "--temperature", "0"]) == 0
    text_writes = [w for w in recorder.writes if w is not None]
    assert "".join(text_writes) == kerazoo.generate(model, "The ", 100, name="char_lstm",
                                                    temperature=0) + "\n"
    # The seed first, then several flushed pieces rather than one print at the end.
    assert text_writes[0] == "The " and recorder.writes.count(None) >= 3


def test_generate_json_shows_progress_on_stderr_only(tmp_path, capsys):
    path, model = _saved(tmp_path)
    assert main(["generate", "char_lstm", "--model", str(path), "--seed-text", "The ",
                 "--length", "100", "--temperature", "0", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == kerazoo.generate(model, "The ", 100, name="char_lstm",
                                                        temperature=0)
    assert "/100" in captured.err and "char" in captured.err
