"""Training (TensorFlow-specific).

Modules: ``trainer`` (``train()``: fit, run folder, metrics.json),
``strategy`` (tf.distribute by name), ``multi_worker`` (custom
``strategy.run`` loop), ``tbptt`` (stateful chunks for truncated BPTT),
``curves`` (the run's learning curves as ``curves.png``).

    >>> from kerazoo.train import train
    >>> train("lstm_mnist", source="mnist_5k", output="runs/lstm_mnist")
"""

from kerazoo.train.trainer import train

__all__ = ["train"]
