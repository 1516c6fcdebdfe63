"""Training (TensorFlow-specific).

Modules: ``trainer`` (``train()``: fit, run folder, metrics.json),
``strategy`` (tf.distribute by name), ``multi_worker`` (custom
``strategy.run`` loop), ``tbptt`` (stateful chunks for truncated BPTT),
``curves`` (the run's learning curves as ``curves.png``).

    >>> from kerazoo.train import train
    >>> train("lstm_mnist", source="mnist_5k", output="runs/lstm_mnist")
"""

__all__ = ["train"]


def __getattr__(name):
    # Imported on first use, so that the light modules here (``settings``,
    # ``run_folder``) load without TensorFlow and matplotlib.
    if name == "train":
        from kerazoo.train.trainer import train

        return train
    raise AttributeError(f"module 'kerazoo.train' has no attribute {name!r}")
