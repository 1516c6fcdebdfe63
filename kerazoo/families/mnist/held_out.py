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
"""

import argparse
import os
import tempfile

import numpy as np
from PIL import Image
from scipy import ndimage

from kerazoo.families.mnist.data import mnist_5k_split
from kerazoo.families.mnist.data_photos import photograph
from kerazoo.families.mnist.data_printed import HELD_OUT_FONTS, _rendition, render


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



def _bitmap_blocks(image):
    """As old scanners stored digits: a thick-pen 32x32 bitmap, on-pixels counted per 4x4 block."""
    bitmap = _fit_frame(image, 32, Image.BILINEAR) > 0.5
    bitmap = ndimage.binary_dilation(bitmap)
    return bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3)) / 16.0


def _held_out_files(folder, per_font=10, seed=12345):
    """Write the held-out inputs as image files; ``{set: (paths, labels)}``."""
    sets = {"printed_scan": ([], []), "printed_photo": ([], []),
            "lowres_8": ([], []), "lowres_10": ([], []), "lowres_8_bitmap": ([], [])}
    for index, font in enumerate(HELD_OUT_FONTS):
        rng = np.random.default_rng([seed, index])
        for k in range(per_font):
            for digit in range(10):
                clean = render(digit, font, size=int(rng.integers(20, 121)))
                scan = 1.0 - clean * rng.uniform(0.7, 1.0)  # dark ink on white paper
                stem = f"{index}_{k}_{digit}"
                sets["printed_scan"][0].append(_save(scan, os.path.join(folder, f"s{stem}.png")))
                sets["printed_scan"][1].append(digit)
                photo = photograph(_rendition(digit, font, rng), rng)
                sets["printed_photo"][0].append(
                    _save(photo, os.path.join(folder, f"p{stem}.jpg" if k % 2 else f"p{stem}.png")))
                sets["printed_photo"][1].append(digit)
    images, labels = mnist_5k_split("test")
    for set_name, reduce in (("lowres_8", _low_resolution(8)), ("lowres_10", _low_resolution(10)),
                             ("lowres_8_bitmap", _bitmap_blocks)):
        paths, kept = sets[set_name]
        for number, (image, label) in enumerate(zip(images, labels)):
            small = reduce(image)
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


def evaluate(models, per_font=10):
    """``{model: {set: {"accuracy": a, "num_examples": n}}}`` on the held-out sets.

    ``models``: registered names (their shipped models), run folders or
    ``.keras`` files; the held-out files are written once for all of them.
    """
    with tempfile.TemporaryDirectory() as folder:
        sets = _held_out_files(folder, per_font)
        return {model: _accuracies(model, sets) for model in models}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m kerazoo.families.mnist.held_out",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--evaluate", required=True, nargs="+", metavar="MODEL",
                        help="registered names (shipped models), run folders or .keras files")
    parser.add_argument("--per-font", type=int, default=10,
                        help="renditions of each digit per held-out font (default 10)")
    args = parser.parse_args(argv)
    for model, results in evaluate(args.evaluate, args.per_font).items():
        for set_name, result in results.items():
            print(f"{model}  {set_name:15s} accuracy {result['accuracy']:.4f}  "
                  f"n={result['num_examples']}")


if __name__ == "__main__":
    main()
