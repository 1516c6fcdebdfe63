"""Model parallelism from the tutorials: run a layer on a chosen device.

The tutorials' ``DeviceCellWrapper`` put each layer of a stacked RNN on its
own GPU. ``OnDevice`` does the same for any Keras layer, with
``keras.device`` (so it works under every backend), and it saves and loads
like any wrapper:

    >>> layer = OnDevice(keras.layers.LSTM(8), device="cpu:0")
    >>> tuple(layer(keras.ops.zeros((2, 5, 3))).shape)
    (2, 8)

``place_layers(model, ["gpu:0", "gpu:1"])`` wraps a model's recurrent layers.
"""

import keras


@keras.saving.register_keras_serializable(package="kerazoo")
class OnDevice(keras.layers.Wrapper):
    """Call the wrapped ``layer`` under ``keras.device(device)``.

    Args:
        layer: the layer to place.
        device: a device name such as ``"gpu:1"`` or ``"/cpu:0"``. TensorFlow
            falls back to an available device when it doesn't exist
            (soft placement), so a model saved on GPUs loads on a laptop.
    """

    def __init__(self, layer, device, **kwargs):
        super().__init__(layer, **kwargs)
        if not isinstance(device, str) or not device.strip("/"):
            raise ValueError(f"device must be a name like 'gpu:0', got {device!r}")
        self.device = device
        self.supports_masking = getattr(layer, "supports_masking", False)

    def build(self, input_shape=None):
        with keras.device(self.device):
            self.layer.build(input_shape)
        self.built = True

    def call(self, inputs, *args, **kwargs):
        with keras.device(self.device):
            return self.layer(inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def compute_mask(self, inputs, mask=None):
        return self.layer.compute_mask(inputs, mask)

    def get_config(self):
        return {**super().get_config(), "device": self.device}


def _is_recurrent(layer):
    return isinstance(layer, (keras.layers.RNN, keras.layers.Bidirectional))


def place_layers(model, devices):
    """A copy of functional ``model`` whose recurrent layers run on ``devices``.

    With as many devices as recurrent layers, layer ``i`` runs on device
    ``i``; with fewer, consecutive layers share a device (7 layers on 2 GPUs
    → 4 + 3). Weights are copied, so this works on trained models too.

    >>> model = keras.Sequential([keras.Input((5, 3)), keras.layers.LSTM(4, return_sequences=True),
    ...                           keras.layers.LSTM(4)])
    >>> placed = place_layers(model, ["cpu:0", "cpu:0"])
    >>> [layer.device for layer in placed.layers if isinstance(layer, OnDevice)]
    ['cpu:0', 'cpu:0']
    """
    devices = [devices] if isinstance(devices, str) else list(devices)
    if not devices:
        raise ValueError("place_layers needs at least one device name.")
    recurrent = [layer.name for layer in model.layers if _is_recurrent(layer)]
    if not recurrent:
        raise ValueError(f"model '{model.name}' has no recurrent layers to place.")
    device_of = {name: devices[i * len(devices) // len(recurrent)]
                 for i, name in enumerate(recurrent)}

    def clone(layer):
        copy = layer.__class__.from_config(layer.get_config())
        if layer.name in device_of:
            return OnDevice(copy, device_of[layer.name], name=f"{layer.name}_on_device")
        return copy

    placed = keras.models.clone_model(model, clone_function=clone)
    placed.set_weights(model.get_weights())
    return placed
