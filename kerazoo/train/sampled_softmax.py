"""Sampled-softmax training for seq2seq models with large output vocabularies.

A full softmax costs ``O(vocabulary)`` per decoder step; ``tf.nn.sampled_softmax_loss``
scores the true class against ``num_sampled`` sampled ones instead (Jean et
al. 2015). Only training changes: the wrapped model keeps its full softmax for
evaluation, decoding and export.

    >>> import kerazoo
    >>> model = kerazoo.build("seq2seq_dates", sampled_softmax=8, compile=False)
    >>> trainer = SampledSoftmaxTrainer(model, num_sampled=8)
    >>> trainer.compile(optimizer="adam")

Training takes minutes, so these lines are not run here:

    >>> trainer.fit(kerazoo.data.load("dates", "train", batch_size=128), epochs=1)  # doctest: +SKIP
    >>> model.save("dates.keras")      # the original, trained model  # doctest: +SKIP

The wrapper reads the features that enter the model's ``output_projection``
layer and uses that layer's kernel and bias as the sampled-softmax weights;
padded decoder steps (decoder input 0) are left out of the loss.
"""

import keras
import tensorflow as tf


class SampledSoftmaxTrainer(keras.Model):
    """Trains ``model`` (a ``seq2seq_attention`` model) with a sampled softmax loss."""

    def __init__(self, model, num_sampled, **kwargs):
        super().__init__(**kwargs)
        projection = model.get_layer("output_projection")
        classes = projection.units
        if not isinstance(num_sampled, int) or not 0 < num_sampled < classes:
            raise ValueError(f"num_sampled must be an integer in [1, {classes}) (the output "
                             f"vocabulary), got {num_sampled!r}.")
        self.model = model
        self.num_sampled = num_sampled
        self.projection = projection
        # The projection's input: features after the attention combine + dropout.
        self.features = keras.Model(model.inputs, projection.input)
        self.sampled_tracker = keras.metrics.Mean(name="sampled_loss")
        self.loss_tracker = keras.metrics.Mean(name="loss")
        # No weights of its own: built as soon as the wrapped model is, which
        # checkpointing callbacks such as BackupAndRestore require.
        self.built = model.built

    @property
    def metrics(self):
        # Listed trackers are reset by fit/evaluate at each epoch.
        return [self.sampled_tracker, self.loss_tracker]

    def call(self, inputs, training=False):
        return self.model(inputs, training=training)

    def sampled_loss(self, inputs, targets, training=True):
        """Mean sampled-softmax loss over the non-padded decoder steps."""
        features = self.features(inputs, training=training)
        steps = tf.not_equal(inputs[1], 0)
        labels = tf.cast(tf.boolean_mask(targets, steps), tf.int64)[:, None]
        # Uniform candidates: the default log-uniform sampler assumes ids sorted
        # by frequency and almost never samples the last ids of a character
        # vocabulary, whose logits then never learn to go down.
        candidates = tf.random.uniform_candidate_sampler(
            true_classes=labels, num_true=1, num_sampled=self.num_sampled, unique=True,
            range_max=self.projection.units)
        losses = tf.nn.sampled_softmax_loss(
            weights=tf.transpose(self.projection.kernel), biases=self.projection.bias,
            labels=labels, inputs=tf.boolean_mask(features, steps),
            num_sampled=self.num_sampled, num_classes=self.projection.units,
            sampled_values=candidates)
        return tf.reduce_mean(losses)

    def train_step(self, data):
        inputs, targets = data[0], data[1]
        with tf.GradientTape() as tape:
            loss = self.sampled_loss(inputs, targets)
        variables = self.model.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        self.sampled_tracker.update_state(loss)
        return {"sampled_loss": self.sampled_tracker.result()}

    def test_step(self, data):
        # Validation reports the full softmax: what inference actually uses.
        inputs, targets = data[0], data[1]
        probs = self.model(inputs, training=False)
        steps = tf.cast(tf.not_equal(inputs[1], 0), probs.dtype)
        losses = keras.losses.sparse_categorical_crossentropy(targets, probs)
        self.loss_tracker.update_state(tf.reduce_sum(losses * steps) / tf.reduce_sum(steps))
        return {"loss": self.loss_tracker.result()}
