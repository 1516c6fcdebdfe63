"""Training: tf.distribute strategies, the trainer and its callbacks (TensorFlow-specific)."""

from kerazoo.train.trainer import train

__all__ = ["train"]
