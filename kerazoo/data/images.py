"""Read a user's digit image (a photo or a drawing) as an MNIST-like array.

    >>> from kerazoo.data.images import load_digit
    >>> x = load_digit("my_seven.jpg")        # (28, 28) float32 in [0, 1]

MNIST digits are white on black, size-normalised to fit a 20×20 box (keeping
the aspect ratio) and centred by their centre of mass in a 28×28 frame.
``mnist_like`` repeats those steps on any image: grayscale, invert when the
background is light (dark ink on paper), subtract the background and
stretch the contrast (photos are never pure black and white), crop to the
digit, fit into 20×20 and centre by mass.
"""

import numpy as np
from PIL import Image, ImageOps


def _grayscale(image):
    image = ImageOps.exif_transpose(image)  # phone photos store rotation in EXIF
    if image.mode in ("RGBA", "LA") or "transparency" in image.info:
        # A transparent background (drawing apps) becomes white paper.
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return np.asarray(image.convert("L"), dtype="float32") / 255.0


def _ink(gray):
    """Ink intensity in [0, 1] with the background at 0, whatever the polarity."""
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    background = float(np.median(border))
    ink = gray - background if background < 0.5 else background - gray
    ink = np.clip(ink, 0.0, None)
    peak = float(ink.max())
    if peak <= 0.0:
        raise ValueError("the image is blank: no digit stands out from the background")
    ink /= peak
    # Paper texture and noise stay below this; strokes are well above it.
    ink[ink < 0.25] = 0.0
    return ink


def _centre_of_mass(ink):
    total = ink.sum()
    rows, cols = np.indices(ink.shape)
    return (rows * ink).sum() / total, (cols * ink).sum() / total


def mnist_like(gray, size=28, box=20):
    """An MNIST-style ``(size, size)`` float32 array from a 2-D grayscale array in [0, 1]."""
    gray = np.asarray(gray, dtype="float32")
    if gray.ndim != 2:
        raise ValueError(f"expected a 2-D grayscale image, got shape {gray.shape}")
    ink = _ink(gray)
    rows, cols = np.nonzero(ink)
    digit = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    height, width = digit.shape
    scale = box / max(height, width)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    fitted = Image.fromarray((digit * 255).astype("uint8")).resize(new_size, Image.LANCZOS)
    fitted = np.asarray(fitted, dtype="float32") / 255.0
    canvas = np.zeros((size, size), dtype="float32")
    # Centre by mass, as MNIST did: the digit's centre of mass lands on the
    # frame's centre, clipped so the digit stays inside the frame.
    centre_row, centre_col = _centre_of_mass(fitted)
    top = int(np.clip(round(size / 2 - centre_row), 0, size - fitted.shape[0]))
    left = int(np.clip(round(size / 2 - centre_col), 0, size - fitted.shape[1]))
    canvas[top:top + fitted.shape[0], left:left + fitted.shape[1]] = fitted
    return np.clip(canvas, 0.0, 1.0)


def load_digit(path, size=28):
    """Read an image file (PNG, JPG, ... any size) as an MNIST-like ``(size, size)`` array."""
    try:
        with Image.open(path) as image:
            gray = _grayscale(image)
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read image '{path}': {error}") from error
    return mnist_like(gray, size=size)
