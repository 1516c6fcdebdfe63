"""Layers and cells Keras lacks. Backend-agnostic: ``keras.layers``/``keras.ops`` only.

Importing this package registers every custom layer with ``keras.saving``
(serialized as ``kerazoo>ClassName``), so a shipped ``.keras`` file loads.
"""

from kerazoo.layers.ctc import CTCLoss
from kerazoo.layers.forecast import Differences, Harmonics, SeriesScaling
from kerazoo.layers.peephole_lstm import PeepholeLSTM, PeepholeLSTMCell
from kerazoo.layers.text import (BranchAverage, CharacterEmbedding, HashedBigramEmbedding,
                                 HashedNgramBag, LabelledDense, MaskedGlobalMaxPooling1D,
                                 NaiveBayesNgramLogits, WordCharacterEmbedding)

__all__ = ["BranchAverage", "CTCLoss", "CharacterEmbedding", "Differences", "Harmonics",
           "HashedBigramEmbedding", "HashedNgramBag", "LabelledDense",
           "MaskedGlobalMaxPooling1D", "NaiveBayesNgramLogits", "PeepholeLSTM",
           "PeepholeLSTMCell", "SeriesScaling", "WordCharacterEmbedding"]
