"""Attention seq2seq: shapes, masking, EOS decoding, beam search, training, export."""

import re
from pathlib import Path

import keras
import numpy as np
import pytest

import kerazoo
import kerazoo.data
from kerazoo.codec import EOS, SOS
from kerazoo.families.seq2seq.model import seq2seq_attention
from kerazoo.families.seq2seq.decoding import Seq2SeqDecoder
from kerazoo.tasks import get_task

DOC = Path(__file__).resolve().parents[1] / "docs" / "seq2seq.md"


def tiny(**options):
    keras.utils.set_random_seed(0)
    defaults = dict(input_vocab_size=12, output_vocab_size=9, embedding_dim=6, hidden_size=8)
    return seq2seq_attention(**{**defaults, **options})


def tokens(rows, length):
    """Right-padded token rows with ids ≥ 4."""
    out = np.zeros((len(rows), length), np.int32)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("attention", ["bahdanau", "luong"])
@pytest.mark.parametrize("bidirectional", [True, False])
def test_shapes(cell, attention, bidirectional):
    model = tiny(cell=cell, attention=attention, bidirectional_encoder=bidirectional)
    x, d = tokens([[4, 5, 6], [7, 8]], 5), tokens([[SOS, 4, 5, 6]], 4).repeat(2, 0)
    assert model((x, d)).shape == (2, 4, 9)
    decoder = Seq2SeqDecoder(model)
    memory, mask, state = decoder.encoder.predict_on_batch(x)
    assert memory.shape == (2, 5, 8) and mask.tolist() == (x > 0).astype(float).tolist()
    assert state.shape == (2, 16 if cell == "lstm" else 8)
    probs, new_state, weights = decoder.step.predict_on_batch(
        [np.full((2, 1), SOS, np.int32), state, memory, mask])
    assert probs.shape == (2, 9) and np.allclose(probs.sum(-1), 1, atol=1e-5)
    assert new_state.shape == state.shape
    # Attention is a distribution over the real (unpadded) input characters only.
    assert np.allclose(weights.sum(-1), 1, atol=1e-5) and np.all(weights[1, 2:] < 1e-6)


def test_invalid_options_raise():
    with pytest.raises(ValueError, match="attention"):
        tiny(attention="dot")
    with pytest.raises(ValueError, match="odd"):
        tiny(hidden_size=7)
    with pytest.raises(ValueError, match="sampled_softmax"):
        tiny(sampled_softmax=9)


def test_padding_does_not_change_outputs():
    model = tiny(attention="luong")
    x = tokens([[4, 5, 6, 7], [8, 9]], 4)
    d = tokens([[SOS, 4, 5], [SOS, 6]], 3)
    padded_x, padded_d = np.pad(x, ((0, 0), (0, 6))), np.pad(d, ((0, 0), (0, 2)))
    probs = model.predict_on_batch((x, d))
    padded = model.predict_on_batch((padded_x, padded_d))
    np.testing.assert_allclose(padded[:, :3], probs, atol=1e-6)
    decoder = Seq2SeqDecoder(model)
    alone = decoder.greedy(x[1:, :2], max_length=6)[0]
    batched = decoder.greedy(padded_x, max_length=6)[1]
    assert alone["ids"] == batched["ids"]
    np.testing.assert_allclose(batched["attention"][:, :2], alone["attention"], atol=1e-6)


def test_padded_steps_are_left_out_of_the_loss():
    model = tiny()
    model.compile(loss="sparse_categorical_crossentropy")
    x, d = tokens([[4, 5, 6]], 4), tokens([[SOS, 4]], 4)
    y = tokens([[4, EOS]], 4)
    other = y.copy()
    other[0, 2:] = 7   # different labels on padded decoder steps only
    assert model.evaluate((x, d), y, verbose=0) == model.evaluate((x, d), other, verbose=0)
    other[0, 1] = 8    # a real step's label does count
    assert model.evaluate((x, d), y, verbose=0) != model.evaluate((x, d), other, verbose=0)


class ScriptedStep:
    """Stands in for the one-step model: emits the scripted token per row and step."""

    def __init__(self, script, vocab=9):
        self.script, self.vocab, self.calls = script, vocab, 0

    def predict_on_batch(self, inputs):
        token, state, memory, mask = inputs
        probs = np.full((len(token), self.vocab), 0.01, np.float32)
        for row in range(len(token)):
            probs[row, self.script[min(self.calls, len(self.script) - 1)][row % 2]] = 0.9
        self.calls += 1
        return probs, state, mask / mask.sum(-1, keepdims=True)


def scripted_decoder(script):
    decoder = Seq2SeqDecoder(tiny())
    decoder.step = ScriptedStep(script)
    return decoder


def test_greedy_stops_each_row_at_eos_and_at_max_length():
    # Row 0 says 5 then EOS; row 1 never ends: 5, 6, 7, 7, ...
    decoder = scripted_decoder([(5, 5), (EOS, 6), (7, 7)])
    first, second = decoder.greedy(tokens([[4, 5], [4]], 3), max_length=5)
    assert first["ids"] == [5] and first["stopped"] == "eos"
    assert len(first["attention"]) == 2            # the EOS step is included
    assert second["ids"] == [5, 6, 7, 7, 7] and second["stopped"] == "max_length"
    assert len(second["attention"]) == 5


def test_greedy_stops_early_when_every_row_ended():
    decoder = scripted_decoder([(EOS, EOS)])
    results = decoder.greedy(tokens([[4], [5]], 2), max_length=9)
    assert [r["ids"] for r in results] == [[], []]
    assert decoder.step.calls == 1


def test_beam_search_respects_eos_and_max_length():
    decoder = scripted_decoder([(5, 5), (EOS, EOS)])
    (result,) = decoder.beam_search(tokens([[4]], 1), max_length=5, beam_width=3)
    assert result["ids"] == [5] and result["stopped"] == "eos"
    decoder = scripted_decoder([(6, 6)])
    (result,) = decoder.beam_search(tokens([[4]], 1), max_length=4, beam_width=2)
    assert result["ids"] == [6, 6, 6, 6] and result["stopped"] == "max_length"
    with pytest.raises(ValueError, match="beam_width"):
        decoder.beam_search(tokens([[4]], 1), max_length=4, beam_width=0)


@pytest.mark.parametrize("attention", ["bahdanau", "luong"])
def test_beam_width_one_is_greedy(attention):
    model = tiny(attention=attention, hidden_size=16)
    # Larger weights make the untrained model's choices vary with the input.
    for weight in model.weights:
        weight.assign(np.asarray(weight) * 3)
    decoder = Seq2SeqDecoder(model)
    x = tokens([[4, 5, 6], [7, 8, 9, 10, 11], [11], [6, 6, 4]], 5)
    greedy = decoder.greedy(x, max_length=7)
    beam = decoder.beam_search(x, max_length=7, beam_width=1)
    assert len({tuple(g["ids"]) for g in greedy}) > 1
    for g, b in zip(greedy, beam):
        assert g["ids"] == b["ids"] and g["stopped"] == b["stopped"]
        assert g["log_prob"] == pytest.approx(b["log_prob"], abs=1e-4)
    wider = decoder.beam_search(x, max_length=7, beam_width=4)
    for g, w in zip(greedy, wider):
        if w["stopped"] == g["stopped"] == "eos":
            assert w["log_prob"] >= g["log_prob"] - 1e-4


def test_task_predict_reports_attention_and_plots(tmp_path):
    spec = kerazoo.get_spec("seq2seq_dates")
    model = kerazoo.build("seq2seq_dates", hidden_size=8, embedding_dim=4, compile=False)
    plot = tmp_path / "attention.png"
    results = get_task("seq2seq").predict(model, spec, ["4. März 1998", "Mar 4, 1998"],
                                          return_attention=True, plot_attention=str(plot))
    assert [r["input"] for r in results] == ["4. März 1998", "Mar 4, 1998"]
    for result in results:
        attention = np.array(result["attention"])
        assert attention.shape == (len(result["output_tokens"]), len(result["input_tokens"]))
        assert len(result["prediction"]) <= 11
    assert results[0]["input_tokens"][:4] == list("4. m")
    assert plot.stat().st_size > 1000
    with pytest.raises(ValueError, match="at most|do not fit"):
        get_task("seq2seq").predict(model, spec, ["x" * 40])


def test_example_batch_is_well_formed():
    spec = kerazoo.get_spec("seq2seq_addition")
    model = kerazoo.build("seq2seq_addition", hidden_size=8, compile=False)
    (x, d), y = get_task("seq2seq").example_batch(model, spec, 5, seed=1)
    assert x.shape == (5, 7) and d.shape == y.shape == (5, 5)
    assert np.all(d[:, 0] == SOS) and np.all((y == EOS).sum(1) == 1)
    np.testing.assert_array_equal(d[:, 1:][d[:, 1:] > 0], y[y > EOS])
    assert model((x, d)).shape == (5, 5, 14)


def test_sampled_softmax_trains_and_keeps_full_softmax():
    from kerazoo.train.sampled_softmax import SampledSoftmaxTrainer

    keras.utils.set_random_seed(0)
    model = kerazoo.build("seq2seq_addition", hidden_size=16, sampled_softmax=4,
                          compile=False)
    data = kerazoo.data.load("addition", "train", batch_size=16, max_digits=1)
    trainer = SampledSoftmaxTrainer(model, num_sampled=kerazoo.registry.sampled_classes(
        "seq2seq_addition", {"sampled_softmax": 4}))
    trainer.compile(optimizer=keras.optimizers.Adam(1e-2))
    before = trainer.evaluate(data, verbose=0, return_dict=True)["loss"]
    trainer.optimizer.build(trainer.trainable_variables)  # one trace of the step (conftest.py)
    history = trainer.fit(data, epochs=8, verbose=0, shuffle=False).history
    assert history["sampled_loss"][-1] < history["sampled_loss"][0]
    # The full-softmax loss (what inference uses) fell too.
    assert trainer.evaluate(data, verbose=0, return_dict=True)["loss"] < 0.8 * before
    assert model.output_shape == (None, None, 14)
    with pytest.raises(ValueError, match="num_sampled"):
        SampledSoftmaxTrainer(kerazoo.build("seq2seq_addition", compile=False),
                              num_sampled=kerazoo.registry.sampled_classes("seq2seq_addition", {}))


def _doc_code():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    namespace = {}
    exec(next(b for b in blocks if "def greedy_tflite" in b), namespace)
    return namespace["greedy_tflite"]


@pytest.fixture(scope="module")
def addition_model():
    """A 1-digit addition model trained for a few seconds."""
    keras.utils.set_random_seed(0)
    model = kerazoo.build("seq2seq_addition", hidden_size=32, embedding_dim=16)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    data = kerazoo.data.load("addition", "train", batch_size=16, max_digits=1)
    model.fit(data.repeat(), steps_per_epoch=100, epochs=6, verbose=0, shuffle=False)
    return model


@pytest.mark.slow
def test_learns_one_digit_addition(addition_model):
    spec = kerazoo.get_spec("seq2seq_addition")
    task = get_task("seq2seq")
    train = kerazoo.data.load("addition", "train", batch_size=64, max_digits=1)
    metrics = task.evaluate(addition_model, spec, train)
    assert metrics["num_examples"] == 97 and metrics["exact_match"] >= 0.9
    held_out = kerazoo.data.load("addition", "validation", batch_size=64, max_digits=1)
    assert task.evaluate(addition_model, spec, held_out)["num_examples"] == 3
    results = task.predict(addition_model, spec, ["3+4", "9+9"])
    assert [r["prediction"] for r in results] == ["7", "18"]


@pytest.mark.slow
def test_tflite_signatures_match_keras(addition_model, tmp_path):
    from kerazoo.export import to_tflite

    path = tmp_path / "addition.tflite"
    report = to_tflite(addition_model, path)
    assert report["flex_ops"] == [] and report["signatures"][:2] == ["encode", "decode_step"]
    assert report["max_abs_diff"] < 1e-4
    texts = [f"{a}+{b}" for a in range(10) for b in range(0, 10, 3)]
    keras_strings = [r["prediction"] for r in get_task("seq2seq").predict(
        addition_model, kerazoo.get_spec("seq2seq_addition"), texts)]
    assert _doc_code()(path, texts, "addition", max_steps=5) == keras_strings
