"""Turn a clean digit into what a camera or scanner would give: the augmentations for digits.

    >>> import numpy as np
    >>> from kerazoo.families.mnist.data_photos import photograph
    >>> from kerazoo.data.images import mnist_like
    >>> clean = np.zeros((28, 28), "float32"); clean[6:22, 12:16] = 1.0   # a "1"
    >>> page = photograph(clean, np.random.default_rng(0))   # grayscale, any size
    >>> x = mnist_like(page)                                  # what predict would see

``photograph`` takes white ink on black (an MNIST digit or a rendered font
glyph) and applies, each drawn at random from ``rng``:
  - geometry: elastic distortion (Simard et al. 2003), rotation, shear
    (slant), aspect change and a slight perspective;
  - stroke width: thickening or thinning (grey dilation or erosion);
  - resolution: either a low-resolution scan (the digit's longer side 7-14
    pixels, area-averaged or, as old scanners stored digits, a binary bitmap
    counted in 4×4 blocks, sometimes quantised to 17 grey levels) or a larger image at any of 16-96 pixels with margins;
  - the photo: dark ink on lighter paper (mostly) or light on dark, uneven
    lighting, blur, noise, specks and JPEG compression.
The result is a 2-D grayscale page in [0, 1], to be read by ``mnist_like``
exactly as ``kerazoo predict`` reads a file.
"""

import io

import numpy as np
from PIL import Image
from scipy import ndimage


def _geometry(ink, rng, out_shape):
    """Elastic + affine + perspective warp of ``ink`` onto a canvas of ``out_shape``."""
    height, width = out_shape
    rows, cols = np.mgrid[0:height, 0:width].astype("float64")
    # Coordinates relative to the canvas centre, in units of the canvas size.
    y = (rows - (height - 1) / 2) / height
    x = (cols - (width - 1) / 2) / width
    angle = np.deg2rad(rng.uniform(-12, 12))
    shear = rng.uniform(-0.3, 0.3)
    aspect = np.exp(rng.uniform(-0.2, 0.2))
    cos, sin = np.cos(angle), np.sin(angle)
    # Inverse map: where in the input each output pixel reads from.
    src_x = (cos * x + sin * y) * aspect + shear * y
    src_y = -sin * x + cos * y
    perspective = 1.0 + rng.uniform(-0.15, 0.15) * x + rng.uniform(-0.15, 0.15) * y
    src_x, src_y = src_x / perspective, src_y / perspective
    in_height, in_width = ink.shape
    src_rows = src_y * in_height + (in_height - 1) / 2
    src_cols = src_x * in_width + (in_width - 1) / 2
    if rng.random() < 0.6:  # elastic: a smooth random displacement field
        strength = rng.uniform(0.5, 2.5) * max(in_height, in_width) / 28
        for coords in (src_rows, src_cols):
            # Random on a coarse 5x5 grid, smoothly enlarged: cheap and smooth.
            coarse = rng.uniform(-1, 1, (5, 5))
            field = ndimage.zoom(coarse, (height / 5, width / 5), order=3, mode="nearest")
            coords += field[:height, :width] / (np.abs(coarse).max() + 1e-9) * strength
    return ndimage.map_coordinates(ink, [src_rows, src_cols], order=1, cval=0.0)


def _stroke(ink, rng):
    """Thicken or thin the strokes by a random radius relative to the digit's height."""
    rows = np.flatnonzero(ink.max(axis=1) > 0.3)
    height = np.ptp(rows) + 1 if rows.size else ink.shape[0]
    radius = rng.uniform(-0.04, 0.07) * height
    if abs(radius) < 0.7:
        return ink
    # Distances to the stroke's edge make a pen of any radius in one pass,
    # with a one-pixel soft edge.
    inside = ink > 0.5
    if radius > 0:
        reach = ndimage.distance_transform_edt(~inside)
        return np.maximum(ink, np.clip(radius + 0.5 - reach, 0.0, 1.0))
    depth = ndimage.distance_transform_edt(inside)
    thinned = np.clip(depth + radius + 0.5, 0.0, 1.0) * ink
    # Never erase a digit: keep the original where thinning left almost nothing.
    return thinned if thinned.sum() > 0.3 * ink.sum() else ink


def _crop(ink):
    rows = np.flatnonzero(ink.max(axis=1) > 0.05)
    cols = np.flatnonzero(ink.max(axis=0) > 0.05)
    if not rows.size:
        return ink
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _resized(ink, height, width, resample=Image.BOX):
    image = Image.fromarray(ink.astype("float32"), "F")
    return np.asarray(image.resize((max(1, width), max(1, height)), resample), "float32")


def _resolution(ink, rng):
    """A low-resolution scan, or the digit at a random size on a canvas with margins."""
    digit = _crop(ink)
    h, w = digit.shape
    if rng.random() < 0.35:
        side = rng.integers(7, 15)
        scale = side / max(h, w)
        height, width = max(1, round(h * scale)), max(1, round(w * scale))
        if rng.random() < 0.3:  # a binary bitmap, its on-pixels counted in 4x4 blocks
            bitmap = _resized(digit, 4 * height, 4 * width, Image.BILINEAR) > 0.5
            small = bitmap.reshape(height, 4, width, 4).mean(axis=(1, 3))
        else:
            small = _resized(digit, height, width)
        small = np.pad(small, [(rng.integers(0, 2), rng.integers(0, 2)) for _ in range(2)])
        if rng.random() < 0.5:
            small = np.round(np.clip(small, 0, 1) * 16) / 16
        return small
    side = rng.integers(16, 97)
    scale = side / max(h, w)
    digit = _resized(digit, max(1, round(h * scale)), max(1, round(w * scale)), Image.BILINEAR)
    margins = [(int(rng.uniform(0.05, 0.6) * side), int(rng.uniform(0.05, 0.6) * side))
               for _ in range(2)]
    return np.pad(digit, margins)


def _photo(ink, rng):
    """Paper, ink, lighting, blur, noise, specks and JPEG on a white-on-black ``ink`` map."""
    ink = np.clip(ink, 0.0, 1.0)
    height, width = ink.shape
    blur = rng.uniform(0.0, 0.02) * max(height, width)
    if blur > 0.3:
        ink = ndimage.gaussian_filter(ink, blur)
    if rng.random() < 0.8:  # dark ink on paper
        paper, pen = rng.uniform(0.6, 1.0), rng.uniform(0.0, 0.3)
    else:  # chalk on a board, a negative
        paper, pen = rng.uniform(0.0, 0.3), rng.uniform(0.7, 1.0)
    rows, cols = np.mgrid[0:height, 0:width]
    light = 1.0 + rng.uniform(-0.25, 0.25) * (rows / height - 0.5) \
        + rng.uniform(-0.25, 0.25) * (cols / width - 0.5)
    page = (paper + (pen - paper) * ink) * light
    if rng.random() < 0.3:  # dust and specks, smaller than a stroke
        for _ in range(rng.integers(1, 5)):
            r, c = rng.integers(0, height), rng.integers(0, width)
            page[r:r + 2, c:c + 2] = pen
    page = page + rng.normal(0.0, rng.uniform(0.0, 0.04), page.shape)
    page = np.clip(page, 0.0, 1.0)
    if rng.random() < 0.4 and min(height, width) >= 8:
        buffer = io.BytesIO()
        Image.fromarray((page * 255).astype("uint8")).save(
            buffer, "JPEG", quality=int(rng.integers(30, 95)))
        page = np.asarray(Image.open(buffer), "float32") / 255.0
    return page


def photograph(ink, rng):
    """A random camera/scanner rendition (2-D gray in [0, 1]) of white-on-black ``ink``."""
    ink = np.asarray(ink, dtype="float32")
    # Work at ~2.3x MNIST's size so that warps and stroke changes stay smooth.
    scale = 64 / max(ink.shape)
    if scale != 1:
        ink = _resized(ink, round(ink.shape[0] * scale), round(ink.shape[1] * scale),
                       Image.BICUBIC if scale > 1 else Image.BOX)
    ink = np.pad(np.clip(ink, 0, 1), max(ink.shape) // 4)
    ink = _geometry(ink, rng, ink.shape)
    ink = _stroke(ink, rng)
    return _photo(_resolution(ink, rng), rng)
