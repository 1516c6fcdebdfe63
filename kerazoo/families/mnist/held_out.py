"""Trained digit readers on inputs they never saw: held-out fonts, photos, low resolution.

    $ python -m kerazoo.families.mnist.held_out --evaluate lstm_mnist gru_mnist

Printed digits in the ``HELD_OUT_FONTS`` (scanned and photographed), and
mnist_5k test digits at 8×8 and 10×10 pixels, are written as image files
and read back through ``kerazoo.predict``, exactly as a user's files are.

``evaluate`` writes its held-out inputs as image files and reads them through
``kerazoo.predict`` (the user's path), in four sets:
  - ``printed_scan``: held-out fonts, clean renditions at 20-120 px (a scan);
  - ``printed_photo``: held-out fonts through ``photograph`` (blur, lighting,
    noise, JPEG, rotation, low resolution) with a seed never used in training;
  - ``lowres_8``, ``lowres_10``: the 1000 mnist_5k **test** digits reduced to
    8×8 or 10×10 pixels and quantised to 17 grey levels, half of them dark
    on white;
  - ``lowres_8_bitmap``: the same digits as old scanners stored them, a
    binary 32×32 bitmap drawn with a thicker pen, its on-pixels counted in
    4×4 blocks (values 0-16, an 8×8 image).
  The low-resolution writers are MNIST's, so those sets measure low
  resolution, not new handwriting.

``--record`` writes each shipped model's results into its card
(``"held_out"``, with the command and the sha256 of the ``model.keras`` it
read). ``--development`` measures on the ``DEVELOPMENT`` sets instead: the
same generators with other fonts (``DEVELOPMENT_FONTS``), sizes, seeds and
pens, mnist_5k **validation** digits at 7, 9 and 12 px: the reader
``images.mnist_like`` is tuned there, and the held-out sets only measure it.
"""

import argparse
import datetime
import json
import os
import tempfile

import numpy as np
from PIL import Image
from scipy import ndimage

from kerazoo.errors import UserError
from kerazoo.families.mnist.data import mnist_5k_split
from kerazoo.families.mnist.data_photos import photograph
from kerazoo.families.mnist.data_printed import (DEVELOPMENT_FONTS, HELD_OUT_FONTS, _rendition,
                                                 render)


def _save(page, path):
    Image.fromarray(np.round(np.clip(page, 0, 1) * 255).astype("uint8")).save(path)
    return path



def _fit_frame(image, side, resample):
    """``image`` (uint8) cropped to its ink and fitted, centred, into a ``side``-square frame."""
    rows, cols = np.nonzero(image)
    digit = Image.fromarray(image[rows.min():rows.max() + 1, cols.min():cols.max() + 1])
    scale = side / max(digit.size)
    digit = digit.resize((max(1, round(digit.width * scale)),
                          max(1, round(digit.height * scale))), resample)
    frame = np.zeros((side, side), "float32")
    top, left = (side - digit.height) // 2, (side - digit.width) // 2
    frame[top:top + digit.height, left:left + digit.width] = np.asarray(digit) / 255.0
    return frame



def _low_resolution(side):
    """Area-averaged to ``side`` pixels and quantised to 17 grey levels."""
    return lambda image: np.round(_fit_frame(image, side, Image.BOX) * 16) / 16



def _bitmap_blocks(pen):
    """As old scanners stored digits: a 32x32 bitmap drawn with a pen ``pen`` pixels thicker,
    on-pixels counted per 4x4 block."""
    def reduce(image):
        bitmap = _fit_frame(image, 32, Image.BILINEAR) > 0.5
        if pen:
            bitmap = ndimage.binary_dilation(bitmap, iterations=pen)
        return bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3)) / 16.0
    return reduce


HELD_OUT = dict(fonts=HELD_OUT_FONTS, seed=12345, sizes=(20, 121), split="test",
                sides=(8, 10), pens=(1,))
"""The held-out sets: the measure of trained readers, never tuned on."""
DEVELOPMENT = dict(fonts=DEVELOPMENT_FONTS, seed=2026, sizes=(14, 161), split="validation",
                   sides=(7, 9, 12), pens=(0, 2))
"""The same generators with other fonts, sizes, seeds, pens and digits (mnist_5k
validation): the sets that the reader ``mnist_like`` is tuned on."""


def _held_out_files(folder, per_font=10, fonts=HELD_OUT_FONTS, seed=12345, sizes=(20, 121),
                    split="test", sides=(8, 10), pens=(1,)):
    """Write the held-out inputs as image files; ``{set: (paths, labels)}``."""
    sets = {"printed_scan": ([], []), "printed_photo": ([], [])}
    for index, font in enumerate(fonts):
        rng = np.random.default_rng([seed, index])
        for k in range(per_font):
            for digit in range(10):
                clean = render(digit, font, size=int(rng.integers(*sizes)))
                scan = 1.0 - clean * rng.uniform(0.7, 1.0)  # dark ink on white paper
                stem = f"{index}_{k}_{digit}"
                sets["printed_scan"][0].append(_save(scan, os.path.join(folder, f"s{stem}.png")))
                sets["printed_scan"][1].append(digit)
                photo = photograph(_rendition(digit, font, rng), rng)
                sets["printed_photo"][0].append(
                    _save(photo, os.path.join(folder, f"p{stem}.jpg" if k % 2 else f"p{stem}.png")))
                sets["printed_photo"][1].append(digit)
    images, labels = mnist_5k_split(split)
    reductions = [(f"lowres_{side}", [_low_resolution(side)]) for side in sides]
    reductions.append(("lowres_8_bitmap", [_bitmap_blocks(pen) for pen in pens]))
    for set_name, reduce in reductions:
        paths, kept = sets[set_name] = ([], [])
        for number, (image, label) in enumerate(zip(images, labels)):
            small = reduce[number % len(reduce)](image)
            if number % 2:
                small = 1.0 - small  # dark on white, as scanned on paper
            paths.append(_save(small, os.path.join(folder, f"{set_name}_{number}.png")))
            kept.append(int(label))
    return sets


def _load(model):
    """A registered name (its shipped model) or a run folder / ``.keras`` file (a Keras model)."""
    path = os.path.join(model, "model.keras") if os.path.isdir(model) else model
    if not path.endswith(".keras"):
        return model
    import keras

    import kerazoo.layers  # noqa: F401  (registers the custom layers)

    return keras.saving.load_model(path)  # named after its registry entry


def _accuracies(model, sets):
    import kerazoo
    from kerazoo.predict import resolve_model

    model, spec = resolve_model(_load(model))  # loaded once, not once per batch
    results = {}
    for set_name, (paths, labels) in sets.items():
        predictions = []
        for start in range(0, len(paths), 256):
            predictions += [p["prediction"] for p in kerazoo.predict(
                model, paths[start:start + 256], name=spec.name)]
        accuracy = float(np.mean(np.asarray(predictions) == np.asarray(labels)))
        results[set_name] = {"accuracy": accuracy, "num_examples": len(labels)}
    return results


def evaluate(models, per_font=10, development=False):
    """``{model: {set: {"accuracy": a, "num_examples": n}}}`` on the held-out sets.

    ``models``: registered names (their shipped models), run folders or
    ``.keras`` files; the held-out files are written once for all of them.
    ``development``: the ``DEVELOPMENT`` sets instead, to tune the reader on.
    """
    with tempfile.TemporaryDirectory() as folder:
        sets = _held_out_files(folder, per_font, **(DEVELOPMENT if development else HELD_OUT))
        return {model: _accuracies(model, sets) for model in models}


def record(name, results, per_font=10):
    """Write one shipped model's held-out ``results`` into its card as ``"held_out"``.

    The card keeps what was measured, the command that measured it and the
    sha256 of the ``model.keras`` it read, so numbers left from a model since
    replaced show as stale (its ``artifacts`` hash differs).
    """
    from kerazoo.zoo import locate, sha256

    where = locate(name)  # the folder whose model.keras was measured
    folder, card = where.folder, where.card
    options = "" if per_font == 10 else f" --per-font {per_font}"
    card["held_out"] = {
        "command": f"python -m kerazoo.families.mnist.held_out --evaluate {name}{options} --record",
        "model_sha256": sha256(folder / "model.keras"),
        "measured": datetime.date.today().isoformat(),
        "sets": results}
    (folder / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kerazoo.families.mnist.held_out",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--evaluate", required=True, nargs="+", metavar="MODEL",
                        help="registered names (shipped models), run folders or .keras files")
    parser.add_argument("--per-font", type=int, default=10,
                        help="renditions of each digit per held-out font (default 10)")
    parser.add_argument("--development", action="store_true",
                        help="the development sets (other fonts, seeds and digits), to tune on")
    parser.add_argument("--record", action="store_true",
                        help="write the results into each shipped model's card (\"held_out\")")
    args = parser.parse_args(argv)
    files = [m for m in args.evaluate if os.path.isdir(m) or m.endswith(".keras")]
    if args.record and (args.development or files):
        raise UserError("--record writes held-out results into shipped models' cards: pass "
                        "registered names only, without --development")
    for model, results in evaluate(args.evaluate, args.per_font, args.development).items():
        for set_name, result in results.items():
            print(f"{model}  {set_name:15s} accuracy {result['accuracy']:.4f}  "
                  f"n={result['num_examples']}")
        if args.record:
            record(model, results, args.per_font)


if __name__ == "__main__":
    main()
