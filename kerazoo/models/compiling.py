"""Compile a model with the optimizer, loss and metrics its registry entry names."""

import keras


# XLA (jit_compile=True) is not the default on CPU: on an idle 2-core CPU it
# trained every MNIST entry slower than plain Keras (0.60x BiLSTM to 0.96x
# peephole LSTM, batch 64; `kerazoo bench` keeps both columns). It only looked
# faster on a machine overloaded by other processes. Keras' "auto" turns it on
# where it pays (GPUs); an entry may still set ``jit_compile`` in ``train``.


def compile_model(model, spec, *, learning_rate=None, clipnorm=None,
                  clipvalue=None, global_clipnorm=None):
    """Compile ``model`` with ``spec.train`` settings; arguments override them.

    ``spec.train`` may set ``optimizer`` (default ``"adam"``), ``learning_rate``,
    ``loss`` (default sparse categorical cross-entropy), ``metrics`` and
    ``jit_compile`` (default: Keras' "auto").
    Gradient clipping uses the optimizer's own ``clipnorm``/``clipvalue``/
    ``global_clipnorm``.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_mnist", compile=False)
    >>> model = compile_model(model, kerazoo.registry.get_spec("lstm_mnist"), clipnorm=1.0)
    """
    settings = spec.train
    config = {"learning_rate": learning_rate or settings.get("learning_rate", 1e-3)}
    for key, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                       ("global_clipnorm", global_clipnorm)):
        value = value if value is not None else settings.get(key)
        if value is not None:
            config[key] = value
    optimizer = keras.optimizers.get(
        {"class_name": settings.get("optimizer", "adam"), "config": config})
    loss = settings.get("loss", "sparse_categorical_crossentropy")
    if isinstance(loss, dict) and "class_name" in loss:
        # A serialized loss (JSON-ready in the spec), e.g. a registered custom one.
        loss = keras.losses.get(loss)
    model.compile(optimizer=optimizer, loss=loss,
                  metrics=list(settings.get("metrics", ["accuracy"])),
                  jit_compile=settings.get("jit_compile", "auto"))
    return model
