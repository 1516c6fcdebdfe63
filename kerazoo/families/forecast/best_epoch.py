"""Keep the weights that forecast the validation part best: ``BestEpoch``.

A series of a few hundred rows gives a forecaster ~100 training windows; its
recurrent part starts at zero on top of a fitted linear part, and can over-fit
them within a run. ``kerazoo train`` (through the family's flags) ends every
forecaster run with the weights of lowest validation loss, counting the
starting weights too, so training keeps what the recurrent part learned only
where it forecasts held-out rows better than the start.

    >>> import keras
    >>> BestEpoch(validation=None).validation is None
    True
"""

import keras


class BestEpoch(keras.callbacks.Callback):
    """At the end of training, set the weights of lowest loss on ``validation``: those
    after an epoch (its ``val_loss``) or the starting ones (evaluated before the first
    epoch; after ``--resume``, the resumed ones). It never stops a run early."""

    def __init__(self, validation, verbose=True):
        super().__init__()
        self.validation, self.verbose = validation, verbose
        self.best = self.best_epoch = self.best_weights = None

    def on_train_begin(self, logs=None):
        start = self.model.evaluate(self.validation, verbose=0, return_dict=True)["loss"]
        self.best, self.best_epoch, self.best_weights = start, 0, self.model.get_weights()

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("val_loss")
        if loss is not None and loss < self.best:
            self.best, self.best_epoch, self.best_weights = loss, epoch + 1, \
                self.model.get_weights()

    def on_train_end(self, logs=None):
        self.model.set_weights(self.best_weights)
        if self.verbose:
            print(f"kept the weights after epoch {self.best_epoch} (0: the starting ones), "
                  f"validation loss {self.best:.4g}")
