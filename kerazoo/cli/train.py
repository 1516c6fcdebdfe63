"""``kerazoo train NAME [options]``: train a registered model into a run folder.

    $ kerazoo train lstm_mnist --source mnist_5k --output runs/lstm_mnist
    $ kerazoo train rnn7_mnist --strategy mirrored --set layer_devices=gpu:0,gpu:1

The training options become the run's ``TrainConfig``: the entry's
``spec.train`` with the options given put in (a value it refuses, such as
``--epochs 0``, is one error line and exit status 2). Other commands may add
their own options with ``add_arguments``-style helpers below.
"""

from kerazoo.cli._options import parse_assignments
from kerazoo.families.hooks import add_family_arguments, with_family_options
from kerazoo.train.config import STRATEGIES, TrainConfig


def add_training_arguments(parser):
    """The options shared by ``kerazoo train`` and the recipes."""
    parser.add_argument("--strategy", default="auto", choices=STRATEGIES,
                        help="distribution: tf.distribute strategies under TensorFlow, "
                             "data_parallel (keras.distribution) under JAX (default: auto)")
    parser.add_argument("--epochs", type=int, help="training epochs")
    parser.add_argument("--batch-size", type=int,
                        help="global batch size, split across replicas")
    parser.add_argument("--learning-rate", type=float, help="peak learning rate")
    parser.add_argument("--source", default="auto",
                        help="data source, e.g. tfds or mnist_5k (default: auto)")
    parser.add_argument("--output", help="run folder (default: runs/NAME)")
    parser.add_argument("--init-from", metavar="MODEL_KERAS",
                        help="start from these trained weights (same architecture)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the run folder's last checkpoint "
                             "(--epochs is the run's total)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace a finished or interrupted run in the run folder")
    parser.add_argument("--mixed-precision", action="store_true",
                        help="compute in float16 (GPUs), keep float32 variables")
    parser.add_argument("--clipnorm", type=float, help="clip each gradient's norm")
    parser.add_argument("--clipvalue", type=float, help="clip gradient values")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="model option, e.g. --set hidden_size=256 "
                             "or --set layer_devices=gpu:0,gpu:1")
    parser.add_argument("--data", action="append", default=[], metavar="KEY=VALUE",
                        help="data loader option, e.g. --data augment=True")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def training_kwargs(args):
    """Keyword arguments for ``kerazoo.train.train`` of model ``args.name`` from parsed options.

    ``config`` is the entry's ``TrainConfig`` with the training options given
    (``--epochs``, ``--batch-size``, ``--learning-rate``, ``--clipnorm``,
    ``--clipvalue``). ``--set``/``--data`` values are read by the type of the
    option's default, so a flag takes only true/false (yes/no, 1/0):
    ``--set bidirectional=false``.
    """
    import kerazoo.data
    from kerazoo.registry import get_spec, option_defaults

    name, spec = args.name, get_spec(args.name)
    config = TrainConfig.of(spec, epochs=args.epochs, batch_size=args.batch_size,
                            learning_rate=args.learning_rate, clipnorm=args.clipnorm,
                            clipvalue=args.clipvalue)
    return dict(config=config, source=args.source, output=args.output, seed=args.seed,
                overrides=parse_assignments(args.set, option_defaults(name)),
                data_options=parse_assignments(
                    args.data, kerazoo.data.option_defaults(spec.dataset)),
                verbose=2 if args.quiet else "auto", strategy=args.strategy,
                resume=args.resume, overwrite=args.overwrite,
                mixed_precision=args.mixed_precision, init_from=args.init_from)


def add_parser(subparsers):
    parser = subparsers.add_parser("train", help="train a model into a run folder")
    parser.add_argument("name", help="registered model name")
    add_training_arguments(parser)
    add_family_arguments(parser)
    parser.set_defaults(run=run)
    return parser


def run(args):
    from kerazoo.train import train  # imports the backend: only when training

    train(args.name, **with_family_options(args, training_kwargs(args)))
    return 0
