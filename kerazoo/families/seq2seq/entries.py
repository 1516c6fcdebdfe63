"""The seq2seq family's registry entries (light: no Keras at registration)."""

from kerazoo.registry import register_model


@register_model(
    builder="kerazoo.families.seq2seq.model:seq2seq_attention",
    task="seq2seq", dataset="dates", input_shape=(36,),
    input_dtype="int32", output="ISO date 'YYYY-MM-DD' (character probabilities per step)",
    metric="exact_match",
    defaults=dict(input_vocab_size=50, output_vocab_size=15, embedding_dim=32,
                  hidden_size=64, cell="lstm", bidirectional_encoder=True,
                  attention="bahdanau", max_input_length=36, max_output_length=11),
    # Each epoch is a fresh random 100k of the 723k training pairs.
    train=dict(epochs=6, batch_size=128, learning_rate=3e-3, lr_schedule="cosine",
               clipnorm=1.0, data=dict(examples_per_epoch=100_000)),
    reference={"issue": {"metric": "exact_match", "value": 0.995,
                         "data": "held-out dates, all 22 formats"}},
    test_overrides=dict(embedding_dim=8, hidden_size=16),
    sampled_softmax="sampled_softmax",
    tags=("seq2seq", "attention", "bahdanau", "lstm", "bidirectional", "dates"))
def seq2seq_dates():
    """Human-written dates in 22 English/German/French/Spanish/Italian formats
    (e.g. "Wednesday, March 4, 1998", "4. März 1998") → ISO "1998-03-04":
    biLSTM(2×32) encoder, LSTM(64) decoder, Bahdanau attention."""


@register_model(
    builder="kerazoo.families.seq2seq.model:seq2seq_attention",
    task="seq2seq", dataset="addition", input_shape=(7,),
    input_dtype="int32", output="the sum's digits (character probabilities per step)",
    metric="exact_match",
    defaults=dict(input_vocab_size=15, output_vocab_size=14, embedding_dim=32,
                  hidden_size=96, cell="lstm", bidirectional_encoder=True,
                  attention="luong", max_input_length=7, max_output_length=5),
    # Each epoch: a fresh random 200k of the 980k training problems, half of
    # them spread evenly over operand lengths so short sums are learned too.
    train=dict(epochs=5, batch_size=128, learning_rate=3e-3, lr_schedule="cosine",
               clipnorm=1.0, data=dict(examples_per_epoch=200_000, digit_balance=0.5)),
    reference={"issue": {"metric": "exact_match", "value": 0.99,
                         "data": "held-out problems a+b, a, b < 1000"}},
    test_overrides=dict(embedding_dim=8, hidden_size=16),
    sampled_softmax="sampled_softmax",
    tags=("seq2seq", "attention", "luong", "lstm", "bidirectional", "addition"))
def seq2seq_addition():
    """Addition read as text, "535+61" → "596" (operands up to 3 digits):
    biLSTM(2×48) encoder, LSTM(96) decoder, Luong attention."""
