"""Text tasks: language modelling, sentiment classification and tagging.

The character table and label names are read from the model itself
(``CharacterEmbedding`` named ``"characters"``, ``LabelledDense`` named
``"labels"``), so any trained ``.keras`` file works without its data set.

    >>> import kerazoo
    >>> kerazoo.generate("char_lstm", "The ", 300, temperature=0.8)  # doctest: +SKIP
    >>> kerazoo.predict("bilstm_sentiment", ["质量很好，很满意"])  # doctest: +SKIP
    [{'input': '质量很好，很满意', 'prediction': 'positive', 'confidence': 0.97, ...}]
    >>> kerazoo.predict("bilstm_tagger", ["迈向 充满 希望 的 新 世纪"])  # doctest: +SKIP
    [{'input': ..., 'prediction': [['迈向', 'v'], ['充满', 'v'], ...]}]

(skipped when the examples run: sampled text varies, and the numbers are
those of the shipped models, which retraining changes)
"""

import math
import weakref

import keras
import numpy as np

from kerazoo.errors import UserError
from kerazoo.models.stepping import initial_states, step_function
from kerazoo.tasks import Task, register_task
from kerazoo.tasks.rollout import compile_function


def _text_inputs(inputs):
    texts = [item.decode("utf-8") if isinstance(item, bytes) else item for item in inputs]
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"text inputs must be non-empty strings, got {text!r}")
    return texts


def _right_padded(rows):
    """Stack 1-D (or 2-D) int arrays of different lengths, 0-padded at the end."""
    length = max(len(row) for row in rows)
    batch = np.zeros((len(rows), length, *rows[0].shape[1:]), dtype=np.int32)
    for i, row in enumerate(rows):
        batch[i, :len(row)] = row
    return batch


def _labels(model):
    return model.get_layer("labels").labels


def _random_ids(rng, model, shape):
    return rng.integers(2, model.get_layer("characters").input_dim, size=shape).astype("int32")


@register_task("language_model")
class LanguageModel(Task):
    """Character language models: score text in bits per character, generate text."""

    def evaluate(self, model, spec, dataset):
        nats = count = 0.0
        for x, y in dataset:
            probabilities = np.asarray(model(x, training=False), dtype="float64")
            y = np.asarray(y)
            chosen = np.take_along_axis(probabilities, y[..., None], axis=-1)[..., 0]
            nats -= float(np.log(np.maximum(chosen, 1e-12)).sum())
            count += y.size
        self.check_not_empty(count)
        return {spec.metric: nats / count / math.log(2), "loss": nats / count,
                "num_characters": int(count)}

    def predict(self, model, spec, inputs, length=100, temperature=0.8, random_seed=0):
        """Each input text's bits per character under the model, and a continuation."""
        table = model.get_layer("characters")
        results = []
        for text in _text_inputs(inputs):
            ids = table.encode(text)[None]
            score = (self.evaluate(model, spec, [(ids[:, :-1], ids[:, 1:])])[spec.metric]
                     if ids.shape[1] > 1 else None)
            results.append({"input": text,
                            "prediction": self.generate(model, spec, text, length,
                                                        temperature=temperature,
                                                        random_seed=random_seed),
                            "bits_per_character": score})
        return results

    def generate(self, model, spec, seed, steps, temperature=0.8, random_seed=None):
        """``seed`` followed by ``steps`` sampled characters (see ``stream``)."""
        return seed + "".join(self.stream(model, spec, seed, steps, temperature=temperature,
                                          random_seed=random_seed))

    def stream(self, model, spec, seed, steps, temperature=0.8, random_seed=None):
        """Yield the ``steps`` characters that follow ``seed``, in pieces of up to
        32 characters, each as soon as it is drawn.

        The model runs one character at a time with its recurrent states
        carried over (``kerazoo.models.stepping``: each recurrent layer's cell,
        in one compiled loop per piece), so a long text costs ``len(seed) +
        steps`` cell steps and no Python work per character.
        ``temperature`` divides the log-probabilities before sampling: 0 picks
        the most likely character, 1 samples the model's own distribution,
        above 1 is wilder.

            >>> for piece in get_task("language_model").stream(  # doctest: +SKIP
            ...         model, spec, "The ", 300):
            ...     print(piece, end="", flush=True)

        (sampled text; skipped when the examples run)
        """
        if not isinstance(seed, str) or not seed:
            raise UserError("the seed must be a non-empty string, e.g. 'The '")
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
            raise UserError(f"steps (--length) must be a positive integer, got {steps!r}")
        if (not isinstance(temperature, (int, float)) or isinstance(temperature, bool)
                or not temperature >= 0 or math.isinf(temperature)):
            raise UserError(f"temperature must be a finite number >= 0, got {temperature!r}")
        return _characters(model, seed, steps, temperature, np.random.default_rng(random_seed))

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        ids = _random_ids(rng, model, (batch_size, 17))
        return ids[:, :-1], ids[:, 1:].astype("int64")


# Characters per compiled call: text streams out in pieces this long.
_CHUNK = 32
# From this length on, the sampling loop is also compiled with XLA: it then ran
# 2-4× faster per character here, but compiling takes a few seconds longer.
_XLA_FROM = 2000
_SAMPLERS = weakref.WeakKeyDictionary()   # model → its compiled _Sampler, built once


def _characters(model, seed, steps, temperature, rng):
    """The generator behind ``LanguageModel.stream`` (arguments already checked)."""
    if model not in _SAMPLERS:
        _SAMPLERS[model] = _Sampler(model)
    sampler = _SAMPLERS[model]
    table = model.get_layer("characters")
    probabilities, states = sampler.read(table.encode(seed))
    sample = sampler.sample_xla if steps >= _XLA_FROM else sampler.sample
    for start in range(0, steps, _CHUNK):
        # One uniform draw per character, as numpy's Generator.choice makes them.
        ids, probabilities, states = sample(probabilities, states, rng.random(_CHUNK),
                                            np.float64(temperature))
        yield table.decode(np.asarray(ids)[:steps - start])


class _Sampler:
    """A language model's compiled step (``kerazoo.models.stepping``) and sampling loop.

    ``read(ids)`` runs the model over ``ids`` and returns the next-character
    probabilities and the recurrent states; ``sample(probabilities, states,
    uniforms, temperature)`` (or ``sample_xla``, the same compiled with XLA)
    draws ``len(uniforms)`` characters, each fed back as the next input, in
    one compiled loop. Ids 0 (padding) and 1 (unknown character) are never
    drawn; temperature 0 takes the argmax, any other divides the
    log-probabilities and picks by inverse CDF with the given uniform, exactly
    as numpy's ``Generator.choice`` does with its own draw.
    """

    def __init__(self, model):
        self._step = step_function(model)
        self.zero_states = initial_states(model)
        self._advance = compile_function(self._step)
        self.sample = compile_function(self._sample_chunk)   # traced on first use
        self.sample_xla = compile_function(self._sample_chunk, jit_compile=True)

    def read(self, ids):
        states = self.zero_states
        for character_id in ids:
            probabilities, states = self._advance(np.array([character_id], "int32"), states)
        return probabilities, states

    def _sample_chunk(self, probabilities, states, uniforms, temperature):
        ops = keras.ops
        length = uniforms.shape[0]

        def draw(i, carry):
            probabilities, states, ids = carry
            logits = ops.log(ops.maximum(ops.cast(probabilities[0, 2:], "float64"), 1e-12))
            scaled = logits / ops.where(temperature > 0, temperature, 1.0)
            weights = ops.exp(scaled - ops.max(scaled))
            cdf = ops.cumsum(weights / ops.sum(weights))
            drawn = ops.searchsorted(cdf / cdf[-1], ops.take(uniforms, i)[None], side="right")
            next_id = ops.cast(ops.where(temperature > 0, drawn[0], ops.argmax(logits)),
                               "int32") + 2
            ids = ops.where(ops.arange(length) == i, next_id, ids)
            probabilities, states = self._step(next_id[None], states)
            return probabilities, states, ids

        probabilities, states, ids = ops.fori_loop(
            0, length, draw, (probabilities, states, ops.zeros((length,), "int32")))
        return ids, probabilities, states


@register_task("sentiment")
class Sentiment(Task):
    """Text classifiers: a string in, a label with its probability out."""

    def _probabilities(self, model, texts):
        table = model.get_layer("characters")
        return np.asarray(model.predict_on_batch(_right_padded([table.encode(t) for t in texts])),
                          dtype="float64")

    def predict(self, model, spec, inputs, **options):
        self.check_no_options(spec, options)
        texts = _text_inputs(inputs)
        labels = _labels(model)
        return [{"input": text, "prediction": labels[int(p.argmax())],
                 "confidence": float(p.max()),
                 "probabilities": {label: float(v) for label, v in zip(labels, p)}}
                for text, p in zip(texts, self._probabilities(model, texts))]

    def evaluate(self, model, spec, dataset):
        correct = total = 0
        for x, y in dataset:
            predicted = np.asarray(model(x, training=False)).argmax(-1)
            correct += int((predicted == np.asarray(y)).sum())
            total += int(np.asarray(y).size)
        self.check_not_empty(total)
        return {spec.metric: correct / total, "num_examples": total}

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        x = _random_ids(rng, model, (batch_size, 12))
        for row, length in enumerate(rng.integers(3, 13, size=batch_size)):
            x[row, length:] = 0  # right padding, as the data sets produce it
        y = rng.integers(0, len(_labels(model)), size=batch_size).astype("int64")
        return x, y


@register_task("tagging")
class Tagging(Task):
    """Sequence labelling: one tag per word, padding masked out of the metric."""

    def predict(self, model, spec, inputs, **options):
        """Tag each input: ``prediction`` is a list of ``[word, tag]`` pairs.

        An input containing whitespace is taken as already segmented into
        words; otherwise snownlp's segmenter (trained on the same corpus)
        splits it into words.
        """
        self.check_no_options(spec, options)
        texts = _text_inputs(inputs)
        sentences = [_words(text) for text in texts]
        table = model.get_layer("characters")
        batch = _right_padded([table.encode_words(words) for words in sentences])
        probabilities = np.asarray(model.predict_on_batch(batch), dtype="float64")
        tags = _labels(model)
        return [{"input": text,
                 "prediction": [[word, tags[int(p.argmax())]] for word, p in zip(words, row)],
                 "confidence": [float(p.max()) for p in row[:len(words)]]}
                for text, words, row in zip(texts, sentences, probabilities)]

    def evaluate(self, model, spec, dataset):
        correct = total = 0
        for x, y in dataset:
            x, y = np.asarray(x), np.asarray(y)
            predicted = np.asarray(model(x, training=False)).argmax(-1)
            words = x[..., 0] != 0  # padding words are not scored
            correct += int(((predicted == y) & words).sum())
            total += int(words.sum())
        self.check_not_empty(total)
        return {spec.metric: correct / total, "num_words": total}

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        x = _random_ids(rng, model, (batch_size, 10, model.input_shape[-1]))
        y = rng.integers(0, len(_labels(model)), size=(batch_size, 10)).astype("int64")
        for row, length in enumerate(rng.integers(3, 11, size=batch_size)):
            x[row, length:] = 0
            y[row, length:] = 0
        return x, y


def _words(text):
    if any(c.isspace() for c in text.strip()):
        return text.split()
    from snownlp import seg

    return list(seg.seg(text))
