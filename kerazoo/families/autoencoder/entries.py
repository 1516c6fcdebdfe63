"""The autoencoder family's registry entry (light: no Keras at registration)."""

from kerazoo.registry import register_model
from kerazoo.train.config import TrainConfig


@register_model(builder="kerazoo.families.autoencoder.model:sequence_autoencoder",
                task="autoencoder",
                dataset="mnist_reconstruction", input_shape=(28, 28),
                output="the 28 rows of the digit, rebuilt from a 32-number code",
                metric="mse", defaults=dict(cell="lstm", hidden_size=128, code_size=32),
                train=TrainConfig(epochs=60, batch_size=64, learning_rate=3e-3,
                                  lr_schedule="cosine", loss="mse", metrics=("mae",)),
                test_overrides=dict(hidden_size=16, code_size=8),
                tags=("autoencoder", "lstm", "mnist", "vector_to_seq"))
def lstm_autoencoder():
    """LSTM(128) encoder → 32-number code → RepeatVector → LSTM(128) decoder, on MNIST rows."""
