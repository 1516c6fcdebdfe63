"""Training under any Keras backend (``KERAS_BACKEND``: tensorflow, jax, torch).

Modules: ``trainer`` (``train()``: resolve -> build -> fit -> record),
``config`` (``TrainConfig``, the typed settings), ``backend`` (what differs
per backend: data feed, logs, throughput), ``strategy`` (tf.distribute or
keras.distribution by name), ``multi_worker`` (TensorFlow's custom
``strategy.run`` loop), ``tbptt`` (stateful chunks for truncated BPTT),
``curves`` (the run's learning curves as ``curves.png``).

    >>> from kerazoo.train import train
    >>> train("lstm_mnist", source="mnist_5k", output="runs/lstm_mnist")  # doctest: +SKIP
"""

__all__ = ["train"]


def __getattr__(name):
    # Imported on first use, so that the light modules here (``config``,
    # ``run_folder``) load without TensorFlow and matplotlib.
    if name == "train":
        from kerazoo.train.trainer import train

        return train
    raise AttributeError(f"module 'kerazoo.train' has no attribute {name!r}")
