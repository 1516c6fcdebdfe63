"""Train ``cnn_gru_captcha``: 4-character captchas, CNN → BiGRU encoder → GRU decoder.

    nice -n 5 python recipes/cnn_gru_captcha.py            # --resume continues a stopped run

Result: see ``runs/cnn_gru_captcha/metrics.json`` (full-string accuracy on the
10000 fixed ``test`` captchas); measured figures are in the model card.
``--quick`` trains a tiny model on a few captchas (smoke test, seconds).
"""

import argparse

from kerazoo.train import train

NAME = "cnn_gru_captcha"
QUICK = dict(epochs=1, batch_size=16,
             overrides=dict(filters=(4, 4, 4, 4), hidden_size=8, decoder_hidden_size=8),
             data_options=dict(pool_size=64, num_examples=32))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, help="default: the entry's (20)")
    parser.add_argument("--output", help=f"run folder (default runs/{NAME})")
    parser.add_argument("--resume", action="store_true", help="continue from checkpoints")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    args = parser.parse_args(argv)
    options = dict(QUICK) if args.quick else {}
    if args.epochs:
        options["epochs"] = args.epochs
    return train(NAME, output=args.output, resume=args.resume, **options)


if __name__ == "__main__":
    main()
