"""MNIST read as a sequence: each 28×28 image is 28 time steps of 28 pixels.

Input ``(batch, 28, 28)`` floats in [0, 1]; output 10 class probabilities.
References are the tutorials' numbers on full MNIST.
"""

from kerazoo.registry import register_model
from kerazoo.train.config import TrainConfig

_TUTORIAL_LSTM = {"tutorial": {"metric": "accuracy", "value": 0.9171, "data": "MNIST 10k test",
                               "setup": "LSTM(100), Adam 1e-4, batch 50, 6 epochs"}}
_TUTORIAL_RNN7 = {"tutorial": {"metric": "accuracy", "value": 0.9446, "data": "MNIST 10k test",
                               "setup": "7 x SimpleRNN(64), 3 epochs"}}
# Checked on the validation split only (500 of mnist_5k's 4000 training
# digits): with these settings every entry ended at 97.6-98.4 % validation
# accuracy, so none needed its own. Augmentation (small rotations, scaling,
# shifts) fights over-fitting on the 3500 training digits; cosine decay
# settles the last epochs. Digits that users photograph are printed, bold or
# thin, blurred or low-resolution: ``distort=2`` adds two photographed copies
# of every training digit and ``printed=24`` 3840 printed digits in 16 fonts,
# all read by the same ``images.mnist_like`` as ``kerazoo predict`` (see
# ``kerazoo.families.mnist.data``). An epoch is then 14340 digits, so 20 epochs.
_TRAIN = TrainConfig(epochs=20, batch_size=64, learning_rate=2e-3, lr_schedule="cosine",
                     data=dict(augment=True, distort=2, printed=24))


def _mnist_entry(defaults, reference=None, tags=(), train=_TRAIN):
    # Registry-wide tests build each entry at hidden size 8, stacks 2 deep.
    tiny = dict(hidden_size=8, **({"num_layers": 2} if defaults.get("num_layers") else {}))
    return register_model(
        builder="kerazoo.models.recurrent:recurrent_classifier", task="classification",
        dataset="mnist", input_shape=(28, 28), output="10 class probabilities",
        defaults=defaults, train=train,
        reference=reference or _TUTORIAL_LSTM, tags=("mnist",) + tuple(tags),
        test_overrides=tiny)


@_mnist_entry(dict(cell="simple_rnn", hidden_size=128), _TUTORIAL_RNN7, ("simple_rnn",),
              train=_TRAIN.replace(learning_rate=1e-3))
def rnn_mnist():
    """A single SimpleRNN(128) reading MNIST row by row."""


@_mnist_entry(dict(cell="simple_rnn", hidden_size=64, num_layers=7), _TUTORIAL_RNN7,
              ("simple_rnn", "stacked"), train=_TRAIN.replace(learning_rate=1e-3))
def rnn7_mnist():
    """Seven stacked SimpleRNN(64) layers, the tutorials' deep RNN."""


@_mnist_entry(dict(cell="lstm", hidden_size=128), tags=("lstm",))
def lstm_mnist():
    """LSTM(128) over the 28 rows of a digit (the tutorials' LSTM(100), a little wider)."""


@_mnist_entry(dict(cell="gru", hidden_size=128), tags=("gru",))
def gru_mnist():
    """GRU(128) over the 28 rows of a digit."""


@_mnist_entry(dict(cell="peephole_lstm", hidden_size=128), tags=("peephole_lstm",))
def peephole_lstm_mnist():
    """Peephole LSTM(128): gates also see the cell state (Gers & Schmidhuber 2000)."""


@_mnist_entry(dict(cell="lstm", hidden_size=64, bidirectional=True),
              tags=("lstm", "bidirectional"))
def bilstm_mnist():
    """Bidirectional LSTM(64): rows read top-down and bottom-up, concatenated."""


@_mnist_entry(dict(cell="lstm", hidden_size=128, num_layers=3), tags=("lstm", "stacked"))
def stacked_lstm_mnist():
    """Three stacked LSTM(128) layers (the tutorials' MultiRNNCell)."""


@_mnist_entry(dict(cell="lstm", hidden_size=128, input_dropout=0.1, output_dropout=0.3),
              tags=("lstm", "dropout"))
def lstm_dropout_mnist():
    """LSTM(128) wrapped in input and output dropout (active in training only)."""
