"""Encoder–decoder with attention: character strings in, character strings out.

The training model takes ``(encoder_tokens, decoder_inputs)`` — token ids with
padding id 0 — and returns per-step probabilities over the output vocabulary
(teacher forcing: ``decoder_inputs`` is the target shifted right behind SOS).

    embedding → (bi)LSTM/GRU encoder ─────────── memory ──┐
        └ final state ─→ LSTM/GRU decoder → query ─→ attention → context
                                       [context; query] → tanh Dense → softmax

The attention follows Luong et al. (2015): it reads the decoder's output at
each step, so a step needs only the previous token and state. Its score is
``attention="bahdanau"`` — additive, ``v·tanh(W_q q + W_k k)``
(``keras.layers.AdditiveAttention``) — or ``"luong"`` — multiplicative,
``q·W k`` (``keras.layers.Attention``). Padded encoder steps are masked out of
the attention and of the encoder's final state.

    >>> model = seq2seq_attention(input_vocab_size=20, output_vocab_size=15,
    ...                           embedding_dim=8, hidden_size=16)
    >>> [tuple(t.shape) for t in model.inputs], model.output_shape
    ([(None, None), (None, None)], (None, None, 15))

Greedy and beam-search decoding that stop at EOS live in
``kerazoo.families.seq2seq.decoding``.
"""

import keras

from kerazoo.layers.checks import check_positive_int, check_rate

CELLS = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
ATTENTIONS = ("bahdanau", "luong")


def _check(condition, message):
    if not condition:
        raise ValueError(message)


def attend(attention, query, memory, memory_mask, query_mask=None):
    """``(context, weights)``: ``memory`` read by ``query`` through the named layers.

    ``memory_mask`` keeps padded encoder steps out of the weights; ``query_mask``
    (padded decoder steps) is carried to the output so the loss ignores them."""
    keys = attention["keys"](memory)
    if "query" in attention:
        query = attention["query"](query)
    return attention["layer"]([query, memory, keys], mask=[query_mask, memory_mask],
                              return_attention_scores=True)


def attention_layers(kind, units):
    """The named layers of one attention block (shared by training and decoding)."""
    if kind == "bahdanau":
        return {"query": keras.layers.Dense(units, use_bias=False, name="attention_query"),
                "keys": keras.layers.Dense(units, use_bias=False, name="attention_keys"),
                "layer": keras.layers.AdditiveAttention(name="attention")}
    # Luong's "general" score q·W k; W maps the memory into the query's space.
    return {"keys": keras.layers.Dense(units, use_bias=False, name="attention_keys"),
            "layer": keras.layers.Attention(name="attention")}


def seq2seq_attention(*, input_vocab_size, output_vocab_size, embedding_dim=32,
                      hidden_size=128, cell="lstm", bidirectional_encoder=True,
                      attention="bahdanau", max_input_length=64, max_output_length=32,
                      dropout=0.0, sampled_softmax=0, name=None):
    """Build the teacher-forcing training model of an attention seq2seq.

    Args:
        input_vocab_size, output_vocab_size: token ids, reserved ids 0–3
            (PAD, SOS, EOS, UNK) included.
        embedding_dim: size of both embeddings.
        hidden_size: decoder state size; a bidirectional encoder uses
            ``hidden_size // 2`` per direction so its state fits the decoder.
        cell: ``"lstm"`` or ``"gru"`` for encoder and decoder.
        bidirectional_encoder: read the input both ways.
        attention: ``"bahdanau"`` (additive) or ``"luong"`` (multiplicative).
        max_input_length, max_output_length: the longest input the model
            accepts and the decoding guard (steps, EOS included).
        dropout: rate on embeddings and before the output projection.
        sampled_softmax: ``K > 0`` trains with a sampled softmax over ``K``
            classes (``kerazoo.train.sampled_softmax``); inference always uses
            the full softmax. A training setting, not saved in ``.keras`` files:
            the entry declares it (``ModelSpec.sampled_softmax``) and the
            trainer asks ``kerazoo.registry.sampled_classes``.
    """
    _check(cell in CELLS, f"Unknown cell '{cell}'. Choose one of: {', '.join(CELLS)}.")
    _check(attention in ATTENTIONS,
           f"Unknown attention '{attention}'. Choose one of: {', '.join(ATTENTIONS)}.")
    for arg, value in (("input_vocab_size", input_vocab_size),
                       ("output_vocab_size", output_vocab_size),
                       ("embedding_dim", embedding_dim), ("hidden_size", hidden_size),
                       ("max_input_length", max_input_length),
                       ("max_output_length", max_output_length)):
        check_positive_int(arg, value)
    _check(min(input_vocab_size, output_vocab_size) > 4,
           "Vocabularies need the 4 reserved ids (PAD, SOS, EOS, UNK) and at least one more.")
    _check(not bidirectional_encoder or hidden_size % 2 == 0,
           f"A bidirectional encoder splits hidden_size in two; got odd {hidden_size}.")
    check_rate("dropout", dropout)
    _check(isinstance(sampled_softmax, int) and 0 <= sampled_softmax < output_vocab_size,
           f"sampled_softmax must be 0 (off) or a number of sampled classes below "
           f"output_vocab_size={output_vocab_size}, got {sampled_softmax!r}")

    encoder_tokens = keras.Input((None,), dtype="int32", name="encoder_tokens")
    decoder_inputs = keras.Input((None,), dtype="int32", name="decoder_inputs")
    memory_mask = keras.ops.not_equal(encoder_tokens, 0)

    # Encoder: masking (mask_zero) keeps padding out of the final state.
    x = keras.layers.Embedding(input_vocab_size, embedding_dim, mask_zero=True,
                               name="encoder_embedding")(encoder_tokens)
    x = keras.layers.Dropout(dropout, name="encoder_dropout")(x)
    rnn = CELLS[cell]
    if bidirectional_encoder:
        encoder = keras.layers.Bidirectional(
            rnn(hidden_size // 2, return_sequences=True, return_state=True), name="encoder")
        memory, *states = encoder(x)
        half = len(states) // 2   # forward states, then backward states
        states = [keras.layers.Concatenate(name=f"encoder_state_{i}")(
            [states[i], states[half + i]]) for i in range(half)]
    else:
        memory, *states = rnn(hidden_size, return_sequences=True, return_state=True,
                              name="encoder")(x)

    # Decoder, teacher-forced; its initial state is the encoder's final state.
    y = keras.layers.Embedding(output_vocab_size, embedding_dim, mask_zero=True,
                               name="decoder_embedding")(decoder_inputs)
    y = keras.layers.Dropout(dropout, name="decoder_dropout")(y)
    query, *_ = rnn(hidden_size, return_sequences=True, return_state=True,
                    name="decoder")(y, initial_state=states)
    context, _ = attend(attention_layers(attention, hidden_size), query, memory,
                        memory_mask, keras.ops.not_equal(decoder_inputs, 0))
    probs = output_head(hidden_size, output_vocab_size, dropout)(query, context)
    return keras.Model([encoder_tokens, decoder_inputs], probs, name=name or "seq2seq")


def output_head(hidden_size, output_vocab_size, dropout):
    """``[query; context] → tanh Dense → dropout → logits → softmax`` as a function.

    The projection is its own layer (``output_projection``) so that sampled
    softmax can use its kernel and bias directly."""
    combine = keras.layers.Dense(hidden_size, activation="tanh", name="attention_combine")
    drop = keras.layers.Dropout(dropout, name="output_dropout")
    project = keras.layers.Dense(output_vocab_size, name="output_projection")
    softmax = keras.layers.Activation("softmax", name="probabilities")

    def apply(query, context):
        joined = keras.layers.Concatenate(name="query_context")([query, context])
        return softmax(project(drop(combine(joined))))

    return apply


# Vocabulary sizes and lengths match the data sets' codecs (kerazoo.families.seq2seq.data_dates,
# kerazoo.families.seq2seq.data_addition): 4 reserved ids + the characters.
