"""Printed digits rendered from fonts that ship in packages, and a held-out check of digit readers.

    >>> from kerazoo.families.mnist import data_printed as printed_digits
    >>> x, y = printed_digits.printed_set(printed_digits.TRAIN_FONTS, per_font=2, seed=0)
    >>> x.shape                      # 10 digits x 2 renditions x every font, read as MNIST
    (320, 28, 28)

    python -m kerazoo.families.mnist.data_printed --evaluate lstm_mnist runs/lstm_mnist

Fonts come from matplotlib (DejaVu, STIX, Computer Modern), the captcha
package (Droid Sans Mono) and Pillow (Aileron, its default font), so every
machine with kerazoo installed renders the same digits. They are split once:
``TRAIN_FONTS`` (DejaVu Sans, Sans Mono and Serif in all four weights and
slants, Computer Modern roman, bold, sans and italic) feed training;
``HELD_OUT_FONTS`` (STIX, a Times-like serif in four styles, Computer Modern
typewriter, Droid Sans Mono and Aileron) are never trained on and serve only
``evaluate``.

A rendition draws one digit at a random size, sometimes with a fake-bold
outline, then ``digit_photos.photograph`` turns it into a photo or scan and
``images.mnist_like`` reads it, exactly as ``kerazoo predict`` reads a file.

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
import functools
import os
import tempfile

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from kerazoo.families.mnist.data_photos import photograph
from kerazoo.data.images import mnist_like

_MPL = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
        "DejaVuSansMono-Oblique.ttf", "DejaVuSansMono-BoldOblique.ttf", "DejaVuSerif.ttf",
        "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf",
        "cmr10.ttf", "cmb10.ttf", "cmss10.ttf", "cmti10.ttf")
TRAIN_FONTS = tuple(f"matplotlib:{name}" for name in _MPL)
"""Fonts that training renders."""
HELD_OUT_FONTS = ("matplotlib:STIXGeneral.ttf", "matplotlib:STIXGeneralBol.ttf",
                  "matplotlib:STIXGeneralItalic.ttf", "matplotlib:STIXGeneralBolIta.ttf",
                  "matplotlib:cmtt10.ttf", "captcha:DroidSansMono.ttf", "pillow:default")
"""Fonts kept out of training, for ``evaluate`` only."""
_CANVAS = 160


def font_path(font):
    """The file of a font named ``"<package>:<file>"`` (``"pillow:default"`` is Pillow's own)."""
    package, name = font.split(":", 1)
    if package == "matplotlib":
        import matplotlib

        return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name)
    if package == "captcha":
        import captcha

        return os.path.join(os.path.dirname(captcha.__file__), "data", name)
    if package == "pillow":
        return None
    raise ValueError(f"unknown font package in {font!r}")


@functools.lru_cache(maxsize=64)
def _font(font, size):
    path = font_path(font)
    return ImageFont.load_default(size) if path is None else ImageFont.truetype(path, size)


def render(digit, font, size=96, bold=0):
    """White-on-black float image of ``digit`` drawn in ``font`` (``bold``: outline width, px)."""
    image = Image.new("L", (_CANVAS + 4 * bold, _CANVAS + 4 * bold), 0)
    draw = ImageDraw.Draw(image)
    typeface = _font(font, size)
    text = str(digit)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=typeface, stroke_width=bold)
    origin = ((image.width - (right - left)) / 2 - left, (image.height - (bottom - top)) / 2 - top)
    draw.text(origin, text, fill=255, font=typeface, stroke_width=bold, stroke_fill=255)
    return np.asarray(image, dtype="float32") / 255.0


def _rendition(digit, font, rng):
    bold = int(rng.integers(1, 6)) if rng.random() < 0.25 else 0
    return render(digit, font, size=int(rng.integers(64, 112)), bold=bold)


def printed_set(fonts, per_font, seed):
    """``(x float32 (n, 28, 28), y int64 (n,))``: each font's digits, ``per_font`` renditions each.

    Every rendition is photographed (``digit_photos.photograph``) and read by
    ``mnist_like``, as ``kerazoo predict`` would read its file.
    """
    images, labels = [], []
    for index, font in enumerate(fonts):
        rng = np.random.default_rng([seed, index])
        for _ in range(per_font):
            for digit in range(10):
                page = photograph(_rendition(digit, font, rng), rng)
                images.append(mnist_like(page))
                labels.append(digit)
    return np.stack(images).astype("float32"), np.asarray(labels, dtype=np.int64)


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
    from kerazoo.families.mnist.data import mnist_5k_split

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

    import kerazoo  # noqa: F401  (registers the custom layers)

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
    parser = argparse.ArgumentParser(prog="python -m kerazoo.families.mnist.data_printed",
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
