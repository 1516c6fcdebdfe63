"""Train ``char_lstm``: a character LSTM(512) language model of Python's documentation.

    nice -n 5 python recipes/char_lstm.py            # 15 epochs, ~50 min on 2 shared CPU cores

Reaches: (measured result filled in below once the run ends)

Data: ``pydoc_text`` (``pydoc_data.topics``), held-out split by topic, see
``kerazoo/data/pydoc_text.py``. ``--quick`` trains a tiny model for one epoch on
a few windows (a smoke test, not a result).
"""

import argparse

from kerazoo.train import train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--output", default="runs/char_lstm")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        return train("char_lstm", epochs=1, output=args.output, overrides={"hidden_size": 16},
                     data_options={"limit": 8, "seq_length": 32}, verbose=0)
    return train("char_lstm", epochs=args.epochs, output=args.output, resume=args.resume,
                 verbose=2)


if __name__ == "__main__":
    main()
