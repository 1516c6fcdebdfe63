"""Tell whether a model's recurrent layers can run on the fused cuDNN kernels."""

import keras

from kerazoo.layers.peephole_lstm import PeepholeLSTM


def _layer_reasons(layer):
    name = layer.name
    if isinstance(layer, keras.layers.SimpleRNN):
        return [f"{name}: SimpleRNN has no cuDNN kernel"]
    if isinstance(layer, PeepholeLSTM):
        return [f"{name}: peephole LSTM has no cuDNN kernel"]
    if not isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
        return []
    reasons = []
    if layer.cell.activation is not keras.activations.tanh:
        reasons.append(f"{name}: activation must be tanh")
    if layer.cell.recurrent_activation is not keras.activations.sigmoid:
        reasons.append(f"{name}: recurrent_activation must be sigmoid")
    if layer.cell.recurrent_dropout:
        reasons.append(f"{name}: recurrent_dropout must be 0")
    if layer.unroll:
        reasons.append(f"{name}: unroll must be False")
    if not layer.cell.use_bias:
        reasons.append(f"{name}: use_bias must be True")
    if isinstance(layer, keras.layers.GRU) and not layer.cell.reset_after:
        reasons.append(f"{name}: GRU needs reset_after=True")
    return reasons


def _recurrent_layers(layer):
    if isinstance(layer, keras.layers.Bidirectional):
        return [layer.forward_layer, layer.backward_layer]
    if isinstance(layer, keras.layers.RNN):
        return [layer]
    inner = getattr(layer, "layer", None)  # wrappers such as TimeDistributed
    if isinstance(inner, keras.layers.Layer):
        return _recurrent_layers(inner)
    return [l for sub in getattr(layer, "layers", []) for l in _recurrent_layers(sub)]


def cudnn_report(model):
    """``(eligible, reasons)``: eligible when every recurrent layer can use cuDNN.

    Masks must also be right-padded at run time for cuDNN to be used.

    >>> import kerazoo
    >>> cudnn_report(kerazoo.build("lstm_mnist", compile=False))
    (True, [])
    """
    rnns = [l for layer in model.layers for l in _recurrent_layers(layer)]
    reasons = [r for layer in rnns for r in _layer_reasons(layer)]
    return bool(rnns) and not reasons, reasons
