"""Greedy and beam-search decoding of a trained ``seq2seq_attention`` model.

The training model is split, sharing its layers and weights, into

* ``encoder``: ``tokens (B, T)`` → ``memory (B, T, M)``, ``memory_mask (B, T)``
  (1.0 for real tokens), ``state (B, S)``;
* ``step``: ``token (B, 1)``, ``state``, ``memory``, ``memory_mask`` →
  ``probs (B, V)``, ``state``, ``attention (B, T)``,

where ``state`` packs the decoder state as one tensor (``[h, c]`` for an LSTM).
Decoding is a numpy loop around these two models. It stops a sequence at EOS
(nothing after EOS is returned) or after ``max_length`` steps.

    >>> decoder = Seq2SeqDecoder(model)  # doctest: +SKIP
    >>> [r["ids"] for r in decoder.greedy(tokens, max_length=11)]  # doctest: +SKIP
    [[7, 12, 4, ...], ...]

(a trained translator and encoded inputs; skipped when the examples run)
"""

import keras
import numpy as np

from kerazoo.codec import EOS, PAD, SOS
from kerazoo.families.seq2seq.model import attend


def _attention_layers(model):
    layers = {"keys": model.get_layer("attention_keys"), "layer": model.get_layer("attention")}
    if any(layer.name == "attention_query" for layer in model.layers):
        layers["query"] = model.get_layer("attention_query")
    return layers


def encoder_model(model):
    """``tokens → [memory, memory_mask, state]`` from ``model``'s encoder layers."""
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    x = model.get_layer("encoder_embedding")(tokens)
    encoder = model.get_layer("encoder")
    memory, *states = encoder(x)
    if isinstance(encoder, keras.layers.Bidirectional):
        half = len(states) // 2
        states = [model.get_layer(f"encoder_state_{i}")([states[i], states[half + i]])
                  for i in range(half)]
    state = states[0] if len(states) == 1 else keras.ops.concatenate(states, axis=-1)
    memory_mask = keras.ops.cast(keras.ops.not_equal(tokens, PAD), "float32")
    return keras.Model(tokens, [memory, memory_mask, state], name="encode")


def step_model(model):
    """``[token, state, memory, memory_mask] → [probs, state, attention]``, one step."""
    decoder = model.get_layer("decoder")
    units = decoder.units
    parts = 2 if isinstance(decoder, keras.layers.LSTM) else 1
    memory_size = model.get_layer("encoder").output[0].shape[-1]
    token = keras.Input((1,), dtype="int32", name="token")
    state = keras.Input((parts * units,), name="state")
    memory = keras.Input((None, memory_size), name="memory")
    memory_mask = keras.Input((None,), name="memory_mask")

    y = model.get_layer("decoder_embedding")(token)
    states = [state[:, i * units:(i + 1) * units] for i in range(parts)]
    query, *new_states = decoder(y, initial_state=states)
    context, weights = attend(_attention_layers(model), query, memory,
                              keras.ops.cast(memory_mask, "bool"))
    joined = keras.ops.concatenate([query, context], axis=-1)
    logits = model.get_layer("output_projection")(model.get_layer("attention_combine")(joined))
    probs = model.get_layer("probabilities")(logits)
    new_state = (new_states[0] if parts == 1
                 else keras.ops.concatenate(new_states, axis=-1))
    return keras.Model([token, state, memory, memory_mask],
                       [probs[:, 0], new_state, weights[:, 0]], name="decode_step")


class Seq2SeqDecoder:
    """Greedy and beam-search decoding with a trained model's layers.

    Each result is ``{"ids": [...], "attention": (steps, T) array, "stopped":
    "eos" | "max_length", "log_prob": float}``; ``ids`` exclude EOS, ``attention``
    has one row per decoding step (the EOS step included).
    """

    def __init__(self, model):
        self.encoder = encoder_model(model)
        self.step = step_model(model)

    def greedy(self, tokens, max_length):
        """Decode a ``(B, T)`` batch of token ids, the most likely token at each step."""
        tokens = np.asarray(tokens, dtype=np.int32)
        memory, memory_mask, state = self.encoder.predict_on_batch(tokens)
        batch = len(tokens)
        token = np.full((batch, 1), SOS, dtype=np.int32)
        ids = np.zeros((batch, max_length), dtype=np.int32)
        attention = np.zeros((batch, max_length, tokens.shape[1]), dtype=np.float32)
        log_prob = np.zeros(batch)
        length = np.full(batch, max_length)
        for t in range(max_length):
            probs, state, weights = self.step.predict_on_batch(
                [token, state, memory, memory_mask])
            best = probs.argmax(axis=-1)
            running = length == max_length
            log_prob[running] += np.log(probs[running, best[running]] + 1e-12)
            ids[:, t], attention[:, t] = best, weights
            length[running & (best == EOS)] = t   # position of EOS
            if not (length == max_length).any():
                break
            token = best[:, None].astype(np.int32)
        return [{"ids": ids[i, :length[i]].tolist(),
                 "attention": attention[i, :min(length[i] + 1, max_length)],
                 "stopped": "eos" if length[i] < max_length else "max_length",
                 "log_prob": float(log_prob[i])} for i in range(batch)]

    def beam_search(self, tokens, max_length, beam_width=4):
        """Decode each row of ``tokens`` keeping the ``beam_width`` best prefixes.

        Hypotheses are ranked by their total log-probability; the best finished
        one (ended by EOS) is returned once no running prefix can beat it, so
        width 1 is exactly greedy decoding."""
        if not isinstance(beam_width, int) or beam_width < 1:
            raise ValueError(f"beam_width must be a positive integer, got {beam_width!r}")
        return [self._beam_search_one(row, max_length, beam_width)
                for row in np.asarray(tokens, dtype=np.int32)]

    def _beam_search_one(self, tokens, max_length, beam_width):
        memory, memory_mask, state = self.encoder.predict_on_batch(tokens[None])
        # Running hypotheses: (log_prob, ids, attention rows), with states stacked.
        beams, states = [(0.0, [], [])], state
        finished = []
        for _ in range(max_length):
            count = len(beams)
            probs, new_states, weights = self.step.predict_on_batch([
                np.array([[b[1][-1] if b[1] else SOS] for b in beams], dtype=np.int32),
                states, np.repeat(memory, count, 0), np.repeat(memory_mask, count, 0)])
            scores = np.array([b[0] for b in beams])[:, None] + np.log(probs + 1e-12)
            survivors, rows = [], []
            # As in fairseq: an EOS candidate ends a hypothesis only when it ranks
            # within the best beam_width; the next best non-EOS ones keep running.
            for rank, flat in enumerate(np.argsort(-scores, axis=None)[:2 * beam_width]):
                row, token = divmod(int(flat), scores.shape[1])
                score, ids, rows_so_far = beams[row]
                grown = (float(scores[row, token]), ids + [token], rows_so_far + [weights[row]])
                if token == EOS:
                    if rank < beam_width:
                        finished.append(grown)
                elif len(survivors) < beam_width:
                    survivors.append(grown)
                    rows.append(row)
            best_finished = max((f[0] for f in finished), default=-np.inf)
            # Log-probabilities only fall as a prefix grows: stop once no running
            # hypothesis can overtake the best finished one.
            if not survivors or best_finished >= survivors[0][0]:
                return _result(max(finished, key=lambda f: f[0]), "eos")
            beams, states = survivors, new_states[rows]
        # The max-length guard: the likeliest prefix is cut off here (it beats
        # every finished hypothesis, or decoding would have stopped above).
        return _result(beams[0], "max_length")


def _result(hypothesis, stopped):
    score, ids, rows = hypothesis
    return {"ids": ids[:-1] if stopped == "eos" else ids, "attention": np.array(rows),
            "stopped": stopped, "log_prob": score}
