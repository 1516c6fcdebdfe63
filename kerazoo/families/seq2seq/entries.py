"""The seq2seq family's registry entries (light: no Keras at registration)."""

from kerazoo.registry import register_model
from kerazoo.train.config import TrainConfig


def _translator(dataset, max_input_length, max_output_length, output, defaults, train,
                reference, tags):
    """An attention encoder–decoder entry; every one trains alike (cosine, clipnorm 1)."""
    return register_model(
        builder="kerazoo.families.seq2seq.model:seq2seq_attention", task="seq2seq",
        dataset=dataset, input_shape=(max_input_length,), input_dtype="int32", output=output,
        metric="exact_match",
        defaults=dict(embedding_dim=32, cell="lstm", bidirectional_encoder=True,
                      max_input_length=max_input_length,
                      max_output_length=max_output_length, **defaults),
        train=TrainConfig(batch_size=128, learning_rate=3e-3, lr_schedule="cosine",
                          clipnorm=1.0, **train),
        reference={"issue": {"metric": "exact_match", **reference}},
        test_overrides=dict(embedding_dim=8, hidden_size=16),
        sampled_softmax="sampled_softmax",
        tags=tags)


# Each epoch is a fresh random 100k of the 723k training pairs.
@_translator("dates", 36, 11, "ISO date 'YYYY-MM-DD' (character probabilities per step)",
             dict(input_vocab_size=50, output_vocab_size=15, hidden_size=64,
                  attention="bahdanau"),
             dict(epochs=6, data=dict(examples_per_epoch=100_000)),
             {"value": 0.995, "data": "held-out dates, all 22 formats"},
             ("seq2seq", "attention", "bahdanau", "lstm", "bidirectional", "dates"))
def seq2seq_dates():
    """Human-written dates in 22 English/German/French/Spanish/Italian formats
    (e.g. "Wednesday, March 4, 1998", "4. März 1998") → ISO "1998-03-04":
    biLSTM(2×32) encoder, LSTM(64) decoder, Bahdanau attention."""


# Each epoch: a fresh random 200k of the 980k training problems, half of
# them spread evenly over operand lengths so short sums are learned too.
@_translator("addition", 7, 5, "the sum's digits (character probabilities per step)",
             dict(input_vocab_size=15, output_vocab_size=14, hidden_size=96,
                  attention="luong"),
             dict(epochs=5, data=dict(examples_per_epoch=200_000, digit_balance=0.5)),
             {"value": 0.99, "data": "held-out problems a+b, a, b < 1000"},
             ("seq2seq", "attention", "luong", "lstm", "bidirectional", "addition"))
def seq2seq_addition():
    """Addition read as text, "535+61" → "596" (operands up to 3 digits):
    biLSTM(2×48) encoder, LSTM(96) decoder, Luong attention."""
