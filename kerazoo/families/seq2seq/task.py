"""Sequence-to-sequence task: strings in, decoded strings out.

    >>> import kerazoo
    >>> kerazoo.predict("seq2seq_dates", ["Wednesday, March 4, 1998", "4. März 1998"])
    [{'input': 'Wednesday, March 4, 1998', 'prediction': '1998-03-04', ..., 'valid': True}, ...]
    >>> kerazoo.predict("seq2seq_dates", "February 30, 2001")[0]["reason"]
    'the answer 2001-02-30 is not a real calendar date'

Inputs are encoded with the character codecs of the model's data set
(``kerazoo.data.text_codec.get_codecs(spec.dataset)``); outputs are decoded
greedily or with a beam (``beam_width``) until EOS or ``max_output_length``
steps (``kerazoo.families.seq2seq.decoding``). Each answer is checked against
its input (``kerazoo.families.seq2seq.checks``): ``"valid": False`` and a
``"reason"`` mark one that cannot be right. The metric is exact match of the
whole decoded string.
"""

import weakref

import numpy as np

from kerazoo.codec import EOS, PAD, SOS, UNK
from kerazoo.data.text_codec import get_codecs
from kerazoo.errors import UserError
from kerazoo.families.seq2seq.decoding import Seq2SeqDecoder
from kerazoo.registry import resolve_arguments
from kerazoo.tasks import Task, register_task
from kerazoo.families.seq2seq.checks import CHECKS

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


def _problem(spec, source, text, output, max_length):
    """Why ``output`` (``prediction``, ``stopped``) for ``text`` cannot be trusted, or ``None``."""
    unknown = sorted({c for c in text if source.ids(c) == [UNK]})
    if unknown:
        return (f"{''.join(unknown)!r} not in the characters {spec.name} reads "
                f"({source.characters!r})")
    if output["stopped"] != "eos":
        return f"no end of the answer within {max_length} characters"
    checks = CHECKS.get(spec.dataset)
    return checks.problem(text, output["prediction"]) if checks else None


@register_task("seq2seq")
class Seq2Seq(Task):
    """Encoder–decoder models over character vocabularies (dates, addition)."""

    def predict(self, model, spec, inputs, beam_width=1, return_attention=False,
                plot_attention=None, max_length=None):
        """Decode each input string; ``plot_attention`` saves heatmaps to that path.

        Every answer carries ``"valid"``: ``False`` with a ``"reason"`` when the
        input is outside what the model reads (unknown characters, operands out
        of range) or the answer cannot be right (``2001-02-30``, a date the input
        does not name, a wrong sum; see ``kerazoo.families.seq2seq.checks``). The
        model's answer is still reported. An input the model cannot read at all
        (empty, or longer than ``max_input_length``) is a ``UserError``."""
        source, target = get_codecs(spec.dataset)
        max_input, max_output = _lengths(spec)
        texts = [str(text) for text in inputs]
        for text in texts:
            length = len(source.ids(text))
            if not length:
                raise UserError(f"{spec.name} got an empty input: give the text to read.")
            if length > max_input:
                raise UserError(f"{text!r} has {length} characters; {spec.name} reads at most "
                                f"{max_input}. Shorten it.")
        tokens = source.encode_batch(texts, max(len(source.ids(t)) for t in texts))
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
            reason = _problem(spec, source, text, output, max_length)
            output["valid"] = reason is None
            if reason:
                output["reason"] = reason
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

    def input_range(self, spec):
        """What the model reads (for its card and docs): length, characters, and
        the data set's own range (dates and formats, or operands)."""
        source, _ = get_codecs(spec.dataset)
        max_input, _ = _lengths(spec)
        readable = {"max_characters": max_input,
                    "characters": source.characters + (" (any case)" if source.lowercase
                                                       else "")}
        checks = CHECKS.get(spec.dataset)
        return {**readable, **(checks.readable() if checks else {})}

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
        batches), and how many answers the validity checks flag (``flagged_invalid``,
        of which ``correct_flagged_invalid`` should be 0); dates also get
        ``exact_match_by_format``."""
        source, target = get_codecs(spec.dataset)
        _, max_output = _lengths(spec)
        tokens, targets = [], []
        for (encoder_tokens, _), batch_targets in dataset:  # tf.data or a PyDataset
            tokens.append(np.asarray(encoder_tokens))
            targets.append(np.asarray(batch_targets))
        tokens, targets = np.concatenate(tokens), np.concatenate(targets)
        decoder = decoder_for(model)
        predictions = []
        for start in range(0, len(tokens), _EVAL_BATCH):
            chunk = tokens[start:start + _EVAL_BATCH]
            results = (decoder.greedy(chunk, max_output) if beam_width == 1
                       else decoder.beam_search(chunk, max_output, beam_width))
            predictions += [{"prediction": target.decode(r["ids"]), "stopped": r["stopped"]}
                            for r in results]
        truths = [target.decode(row) for row in targets]
        correct = np.array([p["prediction"] == t for p, t in zip(predictions, truths)])
        metrics = {"exact_match": float(correct.mean()), "num_examples": int(len(correct))}
        # How often predict would flag an answer: a correct one should never be.
        flagged = np.array([_problem(spec, source, source.decode(row), p, max_output) is not None
                            for row, p in zip(tokens, predictions)])
        metrics["flagged_invalid"] = float(flagged.mean())
        metrics["correct_flagged_invalid"] = int((flagged & correct).sum())
        metrics["wrong_flagged_invalid"] = int((flagged & ~correct).sum())
        formats = getattr(dataset, "formats", None)   # set by kerazoo.families.seq2seq.data_dates
        if formats is not None and len(formats) == len(correct):
            groups = {}
            for group, ok in zip(formats, correct):
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
