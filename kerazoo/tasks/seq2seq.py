"""Sequence-to-sequence task: strings in, decoded strings out.

    >>> import kerazoo
    >>> kerazoo.predict("seq2seq_dates", ["Wednesday, March 4, 1998", "4. März 1998"])
    [{'input': 'Wednesday, March 4, 1998', 'prediction': '1998-03-04', ...}, ...]

Inputs are encoded with the character codecs of the model's data set
(``kerazoo.data.text_codec.get_codecs(spec.dataset)``); outputs are decoded
greedily or with a beam (``beam_width``) until EOS or ``max_output_length``
steps (``kerazoo.models.seq2seq_decoding``). The metric is exact match of the
whole decoded string.
"""

import importlib
import weakref

import numpy as np

from kerazoo.data.text_codec import EOS, PAD, SOS, get_codecs
from kerazoo.models.seq2seq_decoding import Seq2SeqDecoder
from kerazoo.registry import resolve_arguments
from kerazoo.tasks import Task, register_task

_DECODERS = weakref.WeakKeyDictionary()   # model → its encoder/step models, built once
_EVAL_BATCH = 1024


def decoder_for(model):
    """The (cached) ``Seq2SeqDecoder`` of a trained model."""
    if model not in _DECODERS:
        _DECODERS[model] = Seq2SeqDecoder(model)
    return _DECODERS[model]


def _lengths(spec):
    arguments = resolve_arguments(spec.name, {})
    return arguments["max_input_length"], arguments["max_output_length"]


def _labelled_examples(spec, inputs):
    """The data set's ``(input, target, group)`` triples of the split ``inputs``
    come from, in the same order, or ``None`` (e.g. shuffled or limited data)."""
    module = importlib.import_module(f"kerazoo.data.{spec.dataset}")
    for split in ("test", "validation"):
        triples = module.examples(split)
        if (triples and len(triples) == len(inputs) and len(triples[0]) == 3
                and all(t[0] == text for t, text in zip(triples, inputs))):
            return triples
    return None


@register_task("seq2seq")
class Seq2Seq(Task):
    """Encoder–decoder models over character vocabularies (dates, addition)."""

    def predict(self, model, spec, inputs, beam_width=1, return_attention=False,
                plot_attention=None, max_length=None):
        """Decode each input string; ``plot_attention`` saves heatmaps to that path."""
        source, target = get_codecs(spec.dataset)
        max_input, max_output = _lengths(spec)
        texts = [str(text) for text in inputs]
        tokens = source.encode_batch(texts, max(len(source.ids(t)) for t in texts))
        if tokens.shape[1] > max_input:
            raise ValueError(f"Inputs longer than {max_input} characters do not fit "
                             f"{spec.name}; got {tokens.shape[1]}.")
        decoder = decoder_for(model)
        max_length = int(max_length or max_output)
        beam_width = int(beam_width)
        results = (decoder.greedy(tokens, max_length) if beam_width == 1
                   else decoder.beam_search(tokens, max_length, beam_width))
        outputs = []
        for text, row, result in zip(texts, tokens, results):
            output = {"input": text, "prediction": target.decode(result["ids"]),
                      "confidence": float(np.exp(result["log_prob"])),
                      "stopped": result["stopped"]}
            if return_attention:
                length = int(np.count_nonzero(row))
                output["attention"] = result["attention"][:, :length].tolist()
                output["input_tokens"] = source.token_names(row[:length])
                output["output_tokens"] = target.token_names(
                    result["ids"] + ([EOS] if result["stopped"] == "eos" else []))
            outputs.append(output)
        if plot_attention:
            self._plot(texts, tokens, results, source, target, plot_attention)
        return outputs

    @staticmethod
    def _plot(texts, tokens, results, source, target, path):
        """One attention heatmap per input (rows: output characters, columns: input)."""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(len(texts), 1, figsize=(8, 2.6 * len(texts)), squeeze=False)
        for ax, text, row, result in zip(axes[:, 0], texts, tokens, results):
            length = int(np.count_nonzero(row))
            weights = result["attention"][:, :length]
            ax.imshow(weights, cmap="viridis", aspect="auto", vmin=0.0, vmax=1.0)
            ax.set_xticks(range(length), source.token_names(row[:length]))
            ids = result["ids"] + ([EOS] if result["stopped"] == "eos" else [])
            ax.set_yticks(range(len(weights)), target.token_names(ids[:len(weights)]))
            ax.set_title(f"{text!r} → {target.decode(result['ids'])!r}")
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)

    def evaluate(self, model, spec, dataset, beam_width=1):
        """Exact match of greedy decoding on ``dataset`` (``((tokens, _), targets)``
        batches); dates also get ``exact_match_by_format``."""
        source, target = get_codecs(spec.dataset)
        _, max_output = _lengths(spec)
        tokens, targets = [], []
        for (encoder_tokens, _), batch_targets in dataset.as_numpy_iterator():
            tokens.append(encoder_tokens)
            targets.append(batch_targets)
        tokens, targets = np.concatenate(tokens), np.concatenate(targets)
        decoder = decoder_for(model)
        predictions = []
        for start in range(0, len(tokens), _EVAL_BATCH):
            chunk = tokens[start:start + _EVAL_BATCH]
            results = (decoder.greedy(chunk, max_output) if beam_width == 1
                       else decoder.beam_search(chunk, max_output, beam_width))
            predictions += [target.decode(r["ids"]) for r in results]
        truths = [target.decode(row) for row in targets]
        correct = np.array([p == t for p, t in zip(predictions, truths)])
        metrics = {"exact_match": float(correct.mean()), "num_examples": int(len(correct))}
        triples = _labelled_examples(spec, [source.decode(row) for row in tokens])
        if triples is not None:
            groups = {}
            for (_, _, group), ok in zip(triples, correct):
                groups.setdefault(group, []).append(ok)
            metrics["exact_match_by_format"] = {g: float(np.mean(v)) for g, v in groups.items()}
            metrics["num_examples_by_format"] = {g: len(v) for g, v in groups.items()}
        return metrics

    def example_batch(self, model, spec, batch_size=4, seed=0):
        """Random well-formed ``((encoder_tokens, decoder_inputs), targets)``."""
        rng = np.random.default_rng(seed)
        input_vocab = model.get_layer("encoder_embedding").input_dim
        output_vocab = model.get_layer("decoder_embedding").input_dim
        max_input, max_output = _lengths(spec)
        tokens = np.full((batch_size, max_input), PAD, dtype=np.int32)
        decoder_inputs = np.full((batch_size, max_output), PAD, dtype=np.int32)
        targets = np.full((batch_size, max_output), PAD, dtype=np.int32)
        for row in range(batch_size):
            n_in = rng.integers(1, max_input + 1)
            n_out = rng.integers(1, max_output)
            tokens[row, :n_in] = rng.integers(4, input_vocab, n_in)
            ids = rng.integers(4, output_vocab, n_out)
            decoder_inputs[row, :n_out + 1] = [SOS, *ids]
            targets[row, :n_out + 1] = [*ids, EOS]
        return (tokens, decoder_inputs), targets

    def export_endpoints(self, model, spec, batch_size=1):
        """``encode(tokens) → {memory, memory_mask, state}`` and
        ``decode_step(token, state, memory, memory_mask) → {probs, state, attention}``.

        Inputs are padded to the model's ``max_input_length`` (fixed shapes keep
        the TFLite graph to builtin ops); ``state`` packs ``[h, c]`` of an LSTM.
        Greedy decoding with them is shown in ``docs/seq2seq.md``."""
        import keras

        decoder = decoder_for(model)
        max_input, _ = _lengths(spec)
        state_size = decoder.step.inputs[1].shape[-1]
        memory_size = decoder.step.inputs[2].shape[-1]

        def encode(tokens):
            memory, memory_mask, state = decoder.encoder(tokens, training=False)
            return {"memory": memory, "memory_mask": memory_mask, "state": state}

        def decode_step(token, state, memory, memory_mask):
            probs, new_state, attention = decoder.step(
                [token, state, memory, memory_mask], training=False)
            return {"probs": probs, "state": new_state, "attention": attention}

        spec_of = keras.InputSpec
        return {
            "encode": (encode, [spec_of(shape=(batch_size, max_input), dtype="int32",
                                        name="tokens")]),
            "decode_step": (decode_step, [
                spec_of(shape=(batch_size, 1), dtype="int32", name="token"),
                spec_of(shape=(batch_size, state_size), dtype="float32", name="state"),
                spec_of(shape=(batch_size, max_input, memory_size), dtype="float32",
                        name="memory"),
                spec_of(shape=(batch_size, max_input), dtype="float32", name="memory_mask"),
            ]),
        }
