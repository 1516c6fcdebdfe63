"""Tell whether a model's recurrent layers can run on the fused cuDNN kernels."""

import keras

from kerazoo.layers.peephole_lstm import PeepholeLSTM
from kerazoo.models.recurrent import recurrent_layers


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


def cudnn_report(model):
    """``(eligible, reasons)``: eligible when every recurrent layer can use cuDNN.

    Masks must also be right-padded at run time for cuDNN to be used.

    >>> import kerazoo
    >>> cudnn_report(kerazoo.build("lstm_mnist", compile=False))
    (True, [])
    """
    rnns = list(recurrent_layers(model))
    reasons = [r for layer in rnns for r in _layer_reasons(layer)]
    return bool(rnns) and not reasons, reasons
