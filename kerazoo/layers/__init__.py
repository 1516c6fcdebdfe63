"""Layers and cells Keras lacks. Backend-agnostic: ``keras.layers``/``keras.ops`` only."""

from kerazoo.layers.ctc import CTCLoss
from kerazoo.layers.peephole_lstm import PeepholeLSTM, PeepholeLSTMCell

__all__ = ["CTCLoss", "PeepholeLSTM", "PeepholeLSTMCell"]
