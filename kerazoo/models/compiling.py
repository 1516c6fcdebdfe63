"""Compile a model with the optimizer, loss and metrics its registry entry names."""

import keras

from kerazoo.layers.peephole_lstm import PeepholeLSTM

# Layers whose training XLA was measured to speed up on CPU (`kerazoo bench`,
# 2-core CPU, batch 64, XLA on / off in the same run: SimpleRNN 2.05x, LSTM
# 1.39x, GRU 1.33x, peephole LSTM 1.00x): fusing each step's small element-wise
# gate ops is what the generic RNN loop lacks. Convolutions lose (cnn_gru_captcha
# 0.46x: TensorFlow's oneDNN kernels beat XLA's), and other layers are unmeasured,
# so any model with a layer outside this list keeps Keras' default.
_XLA_FRIENDLY = (keras.layers.InputLayer, keras.layers.Masking, keras.layers.Dropout,
                 keras.layers.Dense, keras.layers.SimpleRNN, keras.layers.LSTM,
                 keras.layers.GRU, keras.layers.Bidirectional, PeepholeLSTM)


def xla_helps(model, loss):
    """Whether ``model`` should train with ``jit_compile=True`` rather than Keras' "auto".

    True for recurrent classifiers (only the layers above and a built-in loss)
    on TensorFlow when every device is a CPU and no ``tf.distribute`` strategy
    is in use; "auto" already turns XLA on for GPUs and off under strategies.

    >>> import kerazoo
    >>> xla_helps(kerazoo.build("lstm_mnist", compile=False), "sparse_categorical_crossentropy")
    True
    """
    if keras.config.backend() != "tensorflow" or not isinstance(loss, str):
        return False
    if not all(device.lower().startswith("cpu") for device in keras.distribution.list_devices()):
        return False
    # The attribute Keras' own "auto" resolution checks: set inside a strategy scope.
    if getattr(model, "_distribute_strategy", None) is not None:
        return False
    return all(isinstance(layer, _XLA_FRIENDLY) for layer in model.layers)


def compile_model(model, spec, *, learning_rate=None, clipnorm=None,
                  clipvalue=None, global_clipnorm=None):
    """Compile ``model`` with ``spec.train`` settings; arguments override them.

    ``spec.train`` may set ``optimizer`` (default ``"adam"``), ``learning_rate``,
    ``loss`` (default sparse categorical cross-entropy), ``metrics`` and
    ``jit_compile`` (default: True where ``xla_helps``, else Keras' "auto").
    Gradient clipping uses the optimizer's own ``clipnorm``/``clipvalue``/
    ``global_clipnorm``.

    >>> import kerazoo
    >>> model = kerazoo.build("lstm_mnist", compile=False)
    >>> compile_model(model, kerazoo.registry.get_spec("lstm_mnist"), clipnorm=1.0)
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
                  jit_compile=settings.get("jit_compile",
                                           True if xla_helps(model, loss) else "auto"))
    return model
