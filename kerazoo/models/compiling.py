"""Compile a model with the optimizer, loss and metrics its registry entry names."""

import keras


# XLA (jit_compile=True) is not the default on CPU: on an idle 2-core CPU it
# trained every MNIST entry slower than plain Keras (0.60x BiLSTM to 0.96x
# peephole LSTM, batch 64; `kerazoo bench` keeps both columns). It only looked
# faster on a machine overloaded by other processes. Keras' "auto" turns it on
# where it pays (GPUs); an entry may still set ``TrainConfig.jit_compile``.


def compile_model(model, config, *, learning_rate=None):
    """Compile ``model`` as the ``TrainConfig`` ``config`` says (e.g. ``spec.train``).

    ``config`` names the ``optimizer``, ``learning_rate`` (``learning_rate``
    here replaces it, e.g. with a schedule), ``loss`` (a name, or a
    serialized loss such as a registered custom one), ``metrics`` and
    ``jit_compile``. Gradient clipping uses the optimizer's own
    ``clipnorm``/``clipvalue``/``global_clipnorm``.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_mnist", compile=False)
    >>> config = kerazoo.get_spec("lstm_mnist").train.replace(clipnorm=1.0)
    >>> compile_model(model, config).optimizer.clipnorm
    1.0
    """
    settings = {"learning_rate": config.learning_rate if learning_rate is None else learning_rate}
    for key in ("clipnorm", "clipvalue", "global_clipnorm"):
        if getattr(config, key) is not None:
            settings[key] = getattr(config, key)
    optimizer = keras.optimizers.get({"class_name": config.optimizer, "config": settings})
    loss = config.loss
    if isinstance(loss, dict) and "class_name" in loss:
        loss = keras.losses.get(loss)
    model.compile(optimizer=optimizer, loss=loss, metrics=list(config.metrics),
                  jit_compile=config.jit_compile)
    return model
