"""Captcha reading: images in, text out (digits and lower-case letters).

    >>> import kerazoo
    >>> kerazoo.predict("cnn_gru_captcha", ["captcha.png"])  # doctest: +SKIP
    [{'input': 'captcha.png', 'prediction': 'x7kq', 'confidence': 0.99}]

(skipped when the examples run: it reads your file)

Inputs are image paths (any PNG/JPG, resized to 160x60 RGB) or ``(60, 160, 3)``
arrays. Two tasks share everything but decoding:
    ``captcha``      a fixed number of per-character distributions ``(b, L, 36)``.
    ``captcha_ctc``  per-column logits ``(b, T, 37)``, greedy CTC decoding in numpy
                     (so TFLite exports need no Flex ops: they output logits).
``confidence`` is the probability of the decoded string under the model: the
product of the chosen characters' (or best CTC path's) probabilities.
Metrics: ``full_string_accuracy`` (whole text right), ``char_accuracy``
(1 - character error rate: edit distance over label length), ``num_examples``.
"""

import numpy as np

from kerazoo.families.captcha.data import ALPHABET, PAD, decode, load_image
from kerazoo.tasks import Task, input_label, is_path, register_task


def decode_fixed(probabilities):
    """``(texts, confidences)`` from per-character probabilities ``(b, L, 36)``."""
    probabilities = np.asarray(probabilities, dtype="float64")
    ids = probabilities.argmax(-1)
    confidences = probabilities.max(-1).prod(-1)
    return [decode(row) for row in ids], confidences.tolist()


def ctc_greedy_decode(logits, blank_index=-1):
    """``(texts, confidences)`` from CTC logits ``(b, T, classes)``, best path.

    The most likely class per step; repeats merged, then blanks dropped.

    >>> logits = np.log(np.eye(37)[[10, 10, 36, 10, 3]])[None]   # "a a - a 3"
    >>> ctc_greedy_decode(logits)[0]
    ['aa3']
    """
    logits = np.asarray(logits, dtype="float64")
    blank_index %= logits.shape[-1]
    shifted = logits - logits.max(-1, keepdims=True)
    probabilities = np.exp(shifted) / np.exp(shifted).sum(-1, keepdims=True)
    best = probabilities.argmax(-1)
    texts = []
    for path in best:
        merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
        texts.append(decode([k for k in merged if k != blank_index]))
    return texts, probabilities.max(-1).prod(-1).tolist()


def edit_distance(a, b):
    """Levenshtein distance between two strings."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _as_image(item):
    if is_path(item):
        return load_image(item)
    return load_image(np.asarray(item))


class _CaptchaTask(Task):
    """What both captcha tasks share; subclasses say how outputs become text."""

    def decode(self, outputs):
        raise NotImplementedError

    def label_length(self, model):
        raise NotImplementedError

    def predict(self, model, spec, inputs, **options):
        self.check_no_options(spec, options)
        batch = np.stack([_as_image(item) for item in inputs]).astype("float32")
        texts, confidences = self.decode(model.predict_on_batch(batch))
        return [{"input": input_label(item), "prediction": text, "confidence": float(p)}
                for item, text, p in zip(inputs, texts, confidences)]

    def evaluate(self, model, spec, dataset):
        strings_right = errors = characters = total = 0
        for x, y in dataset:
            # predict_on_batch runs a compiled function (an eager call steps the GRU
            # loop in Python); exported LiteRT models are callables instead.
            run = getattr(model, "predict_on_batch", None) or model
            texts, _ = self.decode(np.asarray(run(np.asarray(x, dtype="float32"))))
            for text, ids in zip(texts, np.asarray(y)):
                truth = decode(ids)
                strings_right += text == truth
                errors += edit_distance(text, truth)
                characters += len(truth)
                total += 1
        self.check_not_empty(total)
        return {"full_string_accuracy": strings_right / total,
                "char_accuracy": max(0.0, 1 - errors / characters),
                "num_examples": total}

    def example_batch(self, model, spec, batch_size=4, seed=0):
        rng = np.random.default_rng(seed)
        x = rng.integers(0, 256, size=(batch_size, *model.input_shape[1:])).astype("float32")
        return x, self.random_labels(model, rng, batch_size)


@register_task("captcha")
class Captcha(_CaptchaTask):
    """Fixed-length readers: one softmax over 36 characters per position."""

    def decode(self, outputs):
        return decode_fixed(outputs)

    def random_labels(self, model, rng, batch_size):
        length = model.output_shape[1]
        return rng.integers(0, len(ALPHABET), size=(batch_size, length)).astype("int32")


@register_task("captcha_ctc")
class CaptchaCTC(_CaptchaTask):
    """Variable-length readers trained with CTC: logits per image column, blank last."""

    def decode(self, outputs):
        return ctc_greedy_decode(outputs)

    def random_labels(self, model, rng, batch_size, lengths=(4, 6)):
        labels = np.full((batch_size, lengths[1]), PAD, dtype="int32")
        for row in labels:
            length = rng.integers(lengths[0], lengths[1] + 1)
            row[:length] = rng.integers(0, len(ALPHABET), size=length)
        return labels
