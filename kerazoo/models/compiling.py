"""Compile a model with the optimizer, loss and metrics its registry entry names."""

import keras

from kerazoo.layers.peephole_lstm import PeepholeLSTM

# Layers whose training XLA speeds up on CPU. Measured with `kerazoo bench`
# (2-core shared CPU, batch 64, XLA on / off interleaved in the same run; median
# of 2-4 runs): BiLSTM 1.8x, GRU 2.5x, LSTM 1.2x, 3-layer LSTM 1.3x, peephole LSTM
# 1.1x, SimpleRNN 1.4x (noisy), 7-layer SimpleRNN 0.91x. XLA fuses each step's
# small gate ops, which the generic RNN loop runs one by one. Dropout layers
# lose (dropout-wrapped LSTM 0.8x, probably XLA's CPU random numbers) and so do
# convolutions (cnn_gru_captcha 0.4x: TensorFlow's oneDNN kernels beat XLA's);
# models with any layer outside this list keep Keras' default.
_XLA_FRIENDLY = (keras.layers.InputLayer, keras.layers.Masking, keras.layers.Dense,
                 keras.layers.SimpleRNN, keras.layers.LSTM, keras.layers.GRU,
                 keras.layers.Bidirectional, PeepholeLSTM)


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
                  jit_compile=settings.get("jit_compile",
                                           True if xla_helps(model, loss) else "auto"))
    return model
