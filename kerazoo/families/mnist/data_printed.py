"""Printed digits rendered from fonts that ship in packages.

    >>> from kerazoo.families.mnist import data_printed as printed_digits
    >>> x, y = printed_digits.printed_set(printed_digits.TRAIN_FONTS, per_font=2, seed=0)
    >>> x.shape                      # 10 digits x 2 renditions x every font, read as MNIST
    (320, 28, 28)

Fonts come from matplotlib (DejaVu, STIX, Computer Modern), the captcha
package (Droid Sans Mono) and Pillow (Aileron, its default font), so every
machine with kerazoo installed renders the same digits. They are split once:
``TRAIN_FONTS`` (DejaVu Sans, Sans Mono and Serif in all four weights and
slants, Computer Modern roman, bold, sans and italic) feed training;
``HELD_OUT_FONTS`` (STIX, a Times-like serif in four styles, Computer Modern
typewriter, Droid Sans Mono and Aileron) are never trained on and serve only
the held-out check of trained readers (``kerazoo.families.mnist.held_out``).
``DEVELOPMENT_FONTS`` (the system's DejaVu condensed, extra-light and math
faces) are neither: the reader ``mnist_like`` is tuned on them.

A rendition draws one digit at a random size, sometimes with a fake-bold
outline, then ``digit_photos.photograph`` turns it into a photo or scan and
``images.mnist_like`` reads it, exactly as ``kerazoo predict`` reads a file.
"""

import functools
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kerazoo.families.mnist.data_photos import photograph
from kerazoo.data.images import mnist_like
from kerazoo.errors import UserError

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
DEVELOPMENT_FONTS = tuple(f"system:DejaVu{name}.ttf" for name in (
    "SansCondensed", "SansCondensed-Bold", "SansCondensed-Oblique", "SansCondensed-BoldOblique",
    "SerifCondensed", "SerifCondensed-Bold", "SerifCondensed-Italic", "SerifCondensed-BoldItalic",
    "Sans-ExtraLight", "MathTeXGyre"))
"""Fonts neither trained on nor held out, to tune the reader on (``held_out --development``):
the system's DejaVu condensed, extra-light and math faces (Debian's fonts-dejavu-extra)."""
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
    if package == "system":
        from matplotlib import font_manager

        found = [path for path in font_manager.findSystemFonts() if os.path.basename(path) == name]
        if not found:
            raise UserError(f"font {font!r} is not installed; install the DejaVu fonts "
                            f"(Debian: fonts-dejavu-extra)")
        return found[0]
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
