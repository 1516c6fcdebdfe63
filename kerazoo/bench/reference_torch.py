"""The PyTorch reference: the same architecture as a kerazoo model, in plain torch.

Built from ``architecture.describe(model)``, so it mirrors whatever
``kerazoo.build`` produced: ``torch.nn.LSTM/GRU/RNN`` layers (CPU kernels),
a small hand-written loop for the peephole LSTM (torch has none), linear
layers, dropout and the captcha backbone's conv/batch-norm/pooling blocks.
Tensors keep Keras' channels-last layout between layers; convolutions see
them as channels-last NCHW views, which torch runs without copying. The reference is only built when the optional ``bench``
extra (``pip install kerazoo[bench]``, i.e. torch) is installed.

    >>> import kerazoo
    >>> from kerazoo.bench.architecture import describe
    >>> net = build_reference(describe(kerazoo.build("gru_mnist", compile=False)))
    >>> net(torch.zeros(2, 28, 28)).shape
    torch.Size([2, 10])
"""

import importlib
import os

# OpenMP threads that spin while waiting slow torch 10-20x when other processes
# share the cores (measured here: 92 vs 1,460 samples/s for LSTM(128) training
# on 2 busy cores); sleeping waits give the reference its best showing.
# Only effective when torch is first imported here.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    torch = importlib.import_module("torch")
except ImportError:  # the optional `bench` extra is not installed
    torch = None


class ReferenceUnavailable(Exception):
    """The reference cannot be built here; the message says why."""


def require_torch():
    """The ``torch`` module, or ``ReferenceUnavailable`` when it is not installed."""
    if torch is None:
        raise ReferenceUnavailable("torch is not installed (pip install kerazoo[bench])")
    return torch


def _peephole_class():
    nn = torch.nn

    class PeepholeLSTM(nn.Module):
        """Peephole LSTM as a per-step loop; equations as kerazoo's PeepholeLSTMCell."""

        def __init__(self, features, units, reverse=False):
            super().__init__()
            self.units, self.reverse = units, reverse
            self.kernel = nn.Parameter(torch.randn(features, 4 * units) * features ** -0.5)
            self.recurrent_kernel = nn.Parameter(torch.randn(units, 4 * units) * units ** -0.5)
            self.bias = nn.Parameter(torch.zeros(4 * units))
            self.peepholes = nn.Parameter(torch.zeros(3, units))

        def forward(self, x):
            batch, steps, _ = x.shape
            # The input projection of all steps at once, as torch.nn.LSTM does.
            projected = torch.matmul(x, self.kernel) + self.bias
            h = x.new_zeros(batch, self.units)
            c = x.new_zeros(batch, self.units)
            order = range(steps - 1, -1, -1) if self.reverse else range(steps)
            outputs = []
            p_i, p_f, p_o = self.peepholes
            for t in order:
                z = projected[:, t] + torch.matmul(h, self.recurrent_kernel)
                z_i, z_f, z_c, z_o = z.chunk(4, dim=1)
                i = torch.sigmoid(z_i + p_i * c)
                f = torch.sigmoid(z_f + p_f * c)
                c = f * c + i * torch.tanh(z_c)
                h = torch.sigmoid(z_o + p_o * c) * torch.tanh(c)
                outputs.append(h)
            if self.reverse:
                outputs.reverse()
            return torch.stack(outputs, dim=1), h

    return PeepholeLSTM


def _recurrent_class():
    nn = torch.nn
    fused = {"lstm": nn.LSTM, "gru": nn.GRU, "simple_rnn": nn.RNN}

    class Recurrent(nn.Module):
        """One (bidirectional) recurrent layer returning Keras' outputs."""

        def __init__(self, layer):
            super().__init__()
            features = layer.input_shape[-1]
            self.return_sequences = layer.return_sequences
            self.peephole = layer.kind == "peephole_lstm"
            if self.peephole:
                make = _peephole_class()
                directions = [make(features, layer.units)]
                if layer.bidirectional:
                    directions.append(make(features, layer.units, reverse=True))
                self.directions = nn.ModuleList(directions)
            else:
                self.rnn = fused[layer.kind](features, layer.units, batch_first=True,
                                             bidirectional=layer.bidirectional)

        def forward(self, x):
            if self.peephole:
                results = [direction(x) for direction in self.directions]
                sequences = [sequence for sequence, _ in results]
                finals = [final for _, final in results]
            else:
                sequence, state = self.rnn(x)
                final = state[0] if isinstance(state, tuple) else state
                sequences, finals = [sequence], list(final)
            # Keras' Bidirectional concatenates [forward, backward] features;
            # the backward layer's last output is its state after reading t=0.
            return torch.cat(sequences if self.return_sequences else finals, dim=-1)

    return Recurrent


_ACTIVATIONS = {"linear": "Identity", "relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid",
                # The loss applies (log-)softmax, as Keras' cross-entropy does.
                "softmax": "Identity"}


def _activation(name):
    if name not in _ACTIVATIONS:
        raise ReferenceUnavailable(f"activation '{name}' has no reference mapping")
    return getattr(torch.nn, _ACTIVATIONS[name])()


def _channels_last_class():
    class ChannelsLast(torch.nn.Module):
        """Runs an NCHW torch module on an NHWC tensor (a channels-last view, no copy)."""

        def __init__(self, module):
            super().__init__()
            self.module = module

        def forward(self, x):
            return self.module(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)

    return ChannelsLast


def _lambda_class():
    class Lambda(torch.nn.Module):
        """A parameter-free reshaping or scaling step."""

        def __init__(self, function):
            super().__init__()
            self.function = function

        def forward(self, x):
            return self.function(x)

    return Lambda


def _padding(layer):
    if layer.options["padding"] == "valid":
        return 0
    if any(s != 1 for s in layer.options["strides"]):
        # torch's padding="same" needs stride 1; Keras pads the bottom/right
        # side more, a fixed padding of k//2 gives the same output size.
        return tuple(k // 2 for k in layer.options["kernel_size"])
    return "same"


def _spatial_module(layer):
    nn = torch.nn
    channels_last = _channels_last_class()
    if layer.kind == "conv2d":
        conv = nn.Conv2d(layer.input_shape[-1], layer.units, layer.options["kernel_size"],
                         stride=layer.options["strides"], padding=_padding(layer),
                         bias=layer.options["use_bias"])
        return nn.Sequential(channels_last(conv), _activation(layer.activation))
    if layer.kind == "batch_norm":
        return channels_last(nn.BatchNorm2d(layer.input_shape[-1],
                                            eps=layer.options["epsilon"],
                                            momentum=1 - layer.options["momentum"]))
    if layer.kind == "max_pool2d":
        if layer.options["padding"] != "valid":
            raise ReferenceUnavailable(f"{layer.name}: only 'valid' pooling is mirrored")
        return channels_last(nn.MaxPool2d(layer.options["pool_size"],
                                          stride=layer.options["strides"]))
    return None


def _reshaping_module(layer):
    lambda_ = _lambda_class()
    if layer.kind == "leaky_relu":
        return torch.nn.LeakyReLU(layer.options["slope"])
    if layer.kind == "rescaling":
        scale, offset = layer.options["scale"], layer.options["offset"]
        return lambda_(lambda x: x * scale + offset)
    if layer.kind == "permute":
        order = (0, *layer.options["dims"])
        return lambda_(lambda x: x.permute(*order))
    if layer.kind == "reshape":
        shape = layer.output_shape
        return lambda_(lambda x: x.reshape(x.shape[0], *shape))
    if layer.kind == "repeat_vector":
        n = layer.options["n"]
        return lambda_(lambda x: x.unsqueeze(1).expand(-1, n, -1))
    return None


def _module(layer):
    nn = torch.nn
    module = _spatial_module(layer) or _reshaping_module(layer)
    if module is not None:
        return module
    if layer.is_recurrent:
        return _recurrent_class()(layer)
    if layer.kind == "dense":
        return nn.Sequential(nn.Linear(layer.input_shape[-1], layer.units),
                             _activation(layer.activation))
    if layer.kind == "dropout":
        return nn.Dropout(layer.options["rate"])
    if layer.kind == "identity":
        return nn.Identity()
    raise ReferenceUnavailable(f"layer {layer.name} ({layer.kind}) has no reference mapping")


def build_reference(layers):
    """A ``torch.nn.Sequential`` equivalent to the described chain of layers.

    Raises ``ReferenceUnavailable`` when torch is missing or a layer has no
    torch counterpart here, or when the layers do not form a single chain.
    """
    require_torch()
    for previous, layer in zip(layers, layers[1:]):
        if previous.output_shape != layer.input_shape:
            raise ReferenceUnavailable(f"{layer.name} does not read {previous.name}'s output: "
                                       "only chains of layers are mirrored")
    return torch.nn.Sequential(*[_module(layer) for layer in layers])


def training_step(net, optimizer):
    """A function ``step(x, y)`` doing one Adam step on cross-entropy, like Keras' fit."""
    loss_function = torch.nn.CrossEntropyLoss()

    def step(x, y):
        optimizer.zero_grad(set_to_none=True)
        logits = net(x)
        loss = loss_function(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        optimizer.step()
        return loss

    return step
