"""Which character codecs (``kerazoo.codec.CharCodec``) each seq2seq data set uses,
and the ``(encoder_tokens, decoder_inputs), targets`` pairs built with them.

Data sets register their codecs (``register_codecs("dates", ...)``) so that
tasks find them from a model's ``spec.dataset``; a trained model keeps working
as long as its data set's codecs are unchanged.
"""

from kerazoo.data.batches import Batches, Spec, gather, in_order, shuffled

_CODECS = {}


def register_codecs(dataset, *, source, target):
    """Declare the input (``source``) and output (``target``) codecs of ``dataset``."""
    _CODECS[dataset] = (source, target)


def get_codecs(dataset):
    """``(source_codec, target_codec)`` of a registered text data set."""
    if dataset not in _CODECS:
        import kerazoo.data
        kerazoo.data._discover()
    if dataset not in _CODECS:
        raise ValueError(f"Data set '{dataset}' has no character codecs. "
                         f"Known: {', '.join(sorted(_CODECS))}.")
    return _CODECS[dataset]


def encoded_pairs(inputs, outputs, *, dataset, input_length, output_length):
    """``((encoder_tokens, decoder_inputs), targets)`` int32 arrays from lists of
    strings, encoded with ``dataset``'s codecs."""
    source, target = get_codecs(dataset)
    encoder_tokens = source.encode_batch(inputs, input_length)
    decoder_inputs, targets = target.teacher_forcing_batch(outputs, output_length)
    return (encoder_tokens, decoder_inputs), targets


def pair_spec(input_length, output_length):
    """The ``Spec`` of a batch of ``encoded_pairs``."""
    return ((Spec("int32", (None, input_length)), Spec("int32", (None, output_length))),
            Spec("int32", (None, output_length)))


def pairs_dataset(inputs, outputs, *, dataset, input_length, output_length, batch_size,
                  shuffle=False, seed=0, examples_per_epoch=None):
    """``Batches`` of ``((encoder_tokens, decoder_inputs), targets)``.

    With ``shuffle`` the order changes every epoch (seeded), and
    ``examples_per_epoch`` makes each epoch a fresh random sample of that many
    (large data sets: shorter epochs, so checkpoints and schedules step more often).
    """
    if examples_per_epoch and not shuffle:
        raise ValueError("examples_per_epoch needs a shuffled (train) split.")
    arrays = encoded_pairs(inputs, outputs, dataset=dataset, input_length=input_length,
                           output_length=output_length)
    plan = (shuffled(len(inputs), batch_size, seed, examples_per_epoch or None) if shuffle
            else in_order(len(inputs), batch_size))
    return Batches(plan, gather(arrays), pair_spec(input_length, output_length), seed=seed)
