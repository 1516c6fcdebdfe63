"""Layers and cells Keras lacks. Backend-agnostic: ``keras.layers``/``keras.ops`` only.

Importing this package registers every custom layer with ``keras.saving``
(serialized as ``kerazoo>ClassName``), so a shipped ``.keras`` file loads.
"""

from kerazoo.layers.ctc import CTCLoss
from kerazoo.layers.forecast import Differences, SeriesScaling
from kerazoo.layers.peephole_lstm import PeepholeLSTM, PeepholeLSTMCell
from kerazoo.layers.text import (CharacterEmbedding, HashedBigramEmbedding, HashedNgramBag,
                                 LabelledDense, MaskedGlobalMaxPooling1D, WordCharacterEmbedding)

__all__ = ["CTCLoss", "CharacterEmbedding", "Differences", "HashedBigramEmbedding",
           "HashedNgramBag", "LabelledDense", "MaskedGlobalMaxPooling1D", "PeepholeLSTM",
           "PeepholeLSTMCell", "SeriesScaling", "WordCharacterEmbedding"]
