"""Text tasks: language modelling, sentiment classification and tagging.

The character table and label names are read from the model itself
(``CharacterEmbedding`` named ``"characters"``, ``LabelledDense`` named
``"labels"``), so any trained ``.keras`` file works without its data set.

    >>> import kerazoo
    >>> kerazoo.generate("char_lstm", "The ", 300, temperature=0.8)
    >>> kerazoo.predict("bilstm_sentiment", ["质量很好，很满意"])
    [{'input': '质量很好，很满意', 'prediction': 'positive', 'confidence': 0.97, ...}]
    >>> kerazoo.predict("bilstm_tagger", ["迈向 充满 希望 的 新 世纪"])
    [{'input': ..., 'prediction': [['迈向', 'v'], ['充满', 'v'], ...]}]
"""

import math

import keras
import numpy as np

from kerazoo.tasks import Task, register_task


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
        if not count:
            raise ValueError("cannot evaluate on an empty data set")
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
        """``seed`` followed by ``steps`` sampled characters.

        The model runs one character at a time with its recurrent state carried
        over (each recurrent layer's cell is stepped), so a long text costs
        ``len(seed) + steps`` cell steps. ``temperature`` divides the
        log-probabilities before sampling: 0 picks the most likely character,
        1 samples the model's own distribution, above 1 is wilder.
        """
        if not isinstance(seed, str) or not seed:
            raise ValueError("the seed must be a non-empty string, e.g. 'The '")
        if not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be a positive integer, got {steps!r}")
        if not isinstance(temperature, (int, float)) or temperature < 0:
            raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
        table = model.get_layer("characters")
        stepper = _Stepper(model)
        rng = np.random.default_rng(random_seed)
        for character_id in table.encode(seed):
            probabilities = stepper.step(character_id)
        generated = []
        for _ in range(steps):
            next_id = _sample(probabilities, temperature, rng)
            generated.append(next_id)
            probabilities = stepper.step(next_id)
        return seed + table.decode(generated)

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        ids = _random_ids(rng, model, (batch_size, 17))
        return ids[:, :-1], ids[:, 1:].astype("int64")


def _sample(probabilities, temperature, rng):
    # Ids 0 (padding) and 1 (unknown character) are never generated.
    logits = np.log(np.maximum(probabilities[2:], 1e-12))
    if temperature == 0:
        return int(logits.argmax()) + 2
    logits = logits / temperature
    weights = np.exp(logits - logits.max())
    return int(rng.choice(len(weights), p=weights / weights.sum())) + 2


class _Stepper:
    """Runs a sequential language model one step at a time, keeping RNN states.

    The model's layers are applied in order; each recurrent layer is replaced
    by its cell, called with the state it returned at the previous step.
    """

    def __init__(self, model):
        self.layers = [layer for layer in model.layers
                       if not isinstance(layer, keras.layers.InputLayer)]
        for layer in self.layers:
            if isinstance(layer, keras.layers.Bidirectional):
                raise ValueError("a bidirectional model cannot generate: it reads the future")
        self.states = {}

    def step(self, character_id):
        x = keras.ops.convert_to_tensor(np.array([character_id], dtype="int32"))
        for layer in self.layers:
            if isinstance(layer, keras.layers.RNN):
                state = self.states.get(layer.name)
                if state is None:
                    state = layer.cell.get_initial_state(batch_size=1)
                x, state = layer.cell(x, state, training=False)
                self.states[layer.name] = state
            else:
                x = layer(x, training=False)
        return np.asarray(x, dtype="float64")[0]


@register_task("sentiment")
class Sentiment(Task):
    """Text classifiers: a string in, a label with its probability out."""

    def _probabilities(self, model, texts):
        table = model.get_layer("characters")
        return np.asarray(model.predict_on_batch(_right_padded([table.encode(t) for t in texts])),
                          dtype="float64")

    def predict(self, model, spec, inputs, **options):
        if options:
            raise ValueError(f"sentiment takes no options, got {sorted(options)}")
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
        if not total:
            raise ValueError("cannot evaluate on an empty data set")
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
        if options:
            raise ValueError(f"tagging takes no options, got {sorted(options)}")
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
        if not total:
            raise ValueError("cannot evaluate on an empty data set")
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
