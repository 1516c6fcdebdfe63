"""Read users' images: one reader for every image task, and digits as MNIST-like arrays.

    >>> from kerazoo.data.images import load_digit, read_image
    >>> x = load_digit("my_seven.jpg")  # doctest: +SKIP
    >>> rgb = read_image("captcha.png", "RGB")  # doctest: +SKIP

(your own files, so skipped when the examples run): ``x`` is ``(28, 28)``
float32 in [0, 1], ``rgb`` ``(height, width, 3)`` float32 in [0, 1].

``read_image`` reads any file Pillow can (PNG, JPEG, TIFF, BMP, GIF, WebP) at
any bit depth and mode: 16-bit and 32-bit grayscale are scaled by their own
full range (Pillow's ``convert("L")`` would clip them to white), palettes,
CMYK and 1-bit become RGB or gray, EXIF orientation is applied (phone photos
store their rotation there) and transparent pixels become white paper. A
file it cannot read is a ``UserError`` that names the file and says what to do.

MNIST digits are white on black, size-normalised to fit a 20×20 box (keeping
the aspect ratio) and centred by their centre of mass in a 28×28 frame.
``mnist_like`` repeats those steps on any image, sturdy to what photos and
scans bring:
  - the paper is estimated locally (uneven lighting; images under 40 px are
    taken as evenly lit), the ink polarity from
    which side of the paper level reaches further (dark ink on paper or
    chalk on a board), and ink is scaled so a stroke's core is 1, as in MNIST;
  - Otsu's threshold (with hysteresis) separates ink from paper; connected pieces smaller than
    5 % of the largest (specks) are dropped, and so are pieces touching the
    image border (a page edge, a box around the digit) when the digit itself
    stands free;
  - small images (an 8×8 scan) get a margin of paper and are enlarged
    (bicubic) before thresholding, so a low-resolution digit keeps its shape;
    images of 40-80 px are enlarged too, but after their paper is found at
    their own resolution (a margin added first would hide a shadow's slope);
  - stroke width is brought into MNIST's range (2.2-4.5 px at the 20-px
    box, its 5th-95th percentile; median 3.1): much thicker strokes (blur,
    bold print, a marker) are first seen at a higher level of their ink,
    which opens the holes that blur closed, as long as no stroke breaks and
    no hole closes; what is still too thick is eroded to 3.8 px, keeping
    its centre line so no stroke breaks, and hairlines are dilated to 3.1
    px, all with a soft edge. Strokes that already look like MNIST's, and those of images under
    40 px (too few pixels to tell a width), are left as they are.
"""

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from kerazoo.errors import UserError

_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N")
_WIDE_MODES = _SIXTEEN_BIT + ("I", "F")
_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")
_MAX_SIDE = 512  # larger photos are reduced first: a digit needs far fewer pixels
_WORK = 80  # the digit's longer side while it is cleaned (4x MNIST's 20-px box)
MNIST_STROKE = 3.1
"""Median stroke width (``_stroke_width``) of mnist_5k's training digits, in pixels at the 20-px box."""
_STROKE_RANGE = (2.2, 4.5)  # MNIST's 5th-95th percentile: widths left untouched
_THINNED = 3.8  # what thicker strokes are eroded to (bold print stays a little bold)


def _full_scale(mode, values):
    """The value that means white for a wide (16/32-bit or float) image."""
    if mode in _SIXTEEN_BIT:
        return 65535.0
    peak = float(values.max(initial=0.0))
    scales = ((1.0,) if mode == "F" else ()) + (255.0, 65535.0)
    return next((scale for scale in scales if peak <= scale), peak)


def _as_array(image, mode):
    if image.mode in _WIDE_MODES:
        values = np.asarray(image, dtype=np.float64)
        gray = np.clip(values / _full_scale(image.mode, values), 0.0, 1.0).astype("float32")
        return gray if mode == "L" else np.repeat(gray[..., None], 3, axis=-1)
    if image.mode in _ALPHA_MODES or "transparency" in image.info:
        # A transparent background (drawing apps) becomes white paper.
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return np.asarray(image.convert(mode), dtype="float32") / 255.0


def read_image(path, mode="L"):
    """An image file as float32 in [0, 1]: ``(h, w)`` for ``mode="L"``, ``(h, w, 3)`` for "RGB"."""
    if mode not in ("L", "RGB"):
        raise ValueError(f"mode must be 'L' or 'RGB', got {mode!r}")
    where = f"cannot read image '{path}'"
    try:
        with Image.open(path) as image:
            image.load()
            return _as_array(ImageOps.exif_transpose(image), mode)
    except IsADirectoryError:
        raise UserError(f"{where}: it is a folder; pass an image file (PNG, JPEG, ...)") from None
    except FileNotFoundError:
        raise UserError(f"{where}: no such file; check the path") from None
    except PermissionError:
        raise UserError(f"{where}: permission denied; make the file readable") from None
    except UnidentifiedImageError:
        raise UserError(f"{where}: not an image format Pillow knows; pass a PNG, JPEG, "
                        f"BMP, TIFF, GIF or WebP file") from None
    except Image.DecompressionBombError as error:
        raise UserError(f"{where}: {error} Reduce the image before passing it.") from None
    except (OSError, SyntaxError, EOFError) as error:
        # Truncated or corrupt data: Pillow raises OSError ("image file is
        # truncated"), SyntaxError ("broken PNG file") or EOFError.
        raise UserError(f"{where}: the file is truncated or corrupt ({error}); "
                        f"save or export it again") from None


def _resize(array, size, resample=Image.BILINEAR):
    """Resize a float array to ``size`` = (width, height) through a float Pillow image."""
    return np.asarray(Image.fromarray(np.asarray(array, "float32"), "F").resize(size, resample),
                      dtype="float32")


def _otsu(values, bins=64):
    """Otsu's threshold of ``values`` in [0, 1]: the split with the largest between-class variance."""
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    centres = (edges[:-1] + edges[1:]) / 2
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * centres)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * (total - weight))
    return float(edges[1:][np.nanargmax(between[:-1])])


def _ink(gray, even_page=False):
    """Ink intensity in [0, 1] with the paper at 0, whatever the polarity and lighting.

    ``even_page``: take the paper as one level (the median of the border), as
    for a small scan, where the digit fills too much of the image to see the
    page around its strokes.
    """
    level = float(np.median(gray))
    smooth = ndimage.uniform_filter(gray, size=3, mode="nearest")  # noise averages out
    dark, light = level - float(smooth.min()), float(smooth.max()) - level
    if max(dark, light) <= 0.02:
        raise ValueError("the image is blank: no digit stands out from the background")
    if dark >= light:  # dark ink on paper: read it as light ink on a dark page
        gray = 1.0 - gray
    if even_page:
        page = np.median(np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]]))
    else:
        # The page's own brightness, seen through a window wider than a stroke:
        # a grey opening (min then max) of a reduced copy removes the strokes
        # and keeps shadows and lighting gradients, which are then subtracted.
        height, width = gray.shape
        small_size = (max(1, round(width * 32 / max(height, width))),
                      max(1, round(height * 32 / max(height, width))))
        small = _resize(gray, small_size, Image.BOX)
        page = ndimage.grey_opening(small, size=(15, 15), mode="nearest")
        page = _resize(ndimage.uniform_filter(page, size=5, mode="nearest"), (width, height))
    ink = np.clip(gray - page, 0.0, None)
    if float(ink.max()) <= 0.02:
        raise ValueError("the image is blank: no digit stands out from the background")
    return ink / float(ink.max())


def _digit_mask(ink):
    """``(digit, strong)`` masks: Otsu's ink without specks and border clutter, and ink above
    Otsu's threshold itself."""
    # Hysteresis: ink above half Otsu's threshold counts when it joins ink
    # above the threshold, so faint joins of a blurred stroke stay joined.
    threshold = _otsu(ink)
    labels, count = ndimage.label(ink > threshold / 2, structure=np.ones((3, 3)))
    strong = np.unique(labels[ink > threshold])
    labels = np.where(np.isin(labels, strong[strong > 0]), labels, 0)
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    touches = np.isin(np.arange(1, count + 1), border)
    free = ~touches
    # Clutter on the border (a page edge, a frame) goes when the digit stands
    # free of it; a tightly cropped digit touches the border itself.
    if free.any() and areas[free].max() >= 0.2 * areas.max():
        areas = np.where(free, areas, 0)
    keep = np.flatnonzero(areas >= 0.05 * areas.max()) + 1
    return np.isin(labels, keep), ink > threshold


def _stroke_width(mask):
    """Mean stroke width of a binary mask: 4x the mean distance of its pixels to the paper.

    Across a band of width w the distance to its edge averages w / 4,
    whatever the band's length, so short and long strokes measure alike.
    """
    return 4.0 * float(ndimage.distance_transform_edt(mask)[mask].mean()) if mask.any() else 0.0


def _disk(radius):
    r = int(np.ceil(radius))
    rows, cols = np.ogrid[-r:r + 1, -r:r + 1]
    return rows ** 2 + cols ** 2 <= radius ** 2


def _pieces_and_holes(mask):
    """How many pieces of ink ``mask`` has, and how many holes (paper inside it)."""
    paper, holes = ndimage.label(np.pad(~mask, 1, constant_values=True))
    return ndimage.label(mask, structure=np.ones((3, 3)))[1], holes - 1


def _higher_level(ink, mask, scale):
    """``(mask, width)`` of thick strokes seen at a higher level of their ink.

    Blur spreads a stroke and fills the holes of a 0, 6, 8 or 9 at the half
    level, but they stay darker than the strokes around them: the level is
    raised in steps of 5 % until the strokes are no thicker than MNIST's
    95th percentile, as long as no stroke breaks, no hole closes and 40 % of
    the ink stays (bold print, solid to its core, is left to the erosion).
    """
    width, area = _stroke_width(mask) / scale, mask.sum()
    pieces, holes = _pieces_and_holes(mask)
    for level in np.arange(0.55, 0.951, 0.05):
        higher = ink > level * ink.max()
        higher_pieces, higher_holes = _pieces_and_holes(higher)
        if higher.sum() < 0.4 * area or higher_pieces > pieces or higher_holes < holes:
            break
        mask, width, holes = higher, _stroke_width(higher) / scale, higher_holes
        if width <= _STROKE_RANGE[1]:
            break
    return mask, width


def _normalise_strokes(ink, box, scale):
    """Bring strokes far thicker or thinner than MNIST's into its range.

    ``scale``: pixels of ``ink`` per pixel of the final ``box``.
    """
    mask = ink > 0.5
    if not mask.any():  # a faint hairline: what there is of it is the stroke
        mask = ink > 0.5 * ink.max()
    width = _stroke_width(mask) / scale
    if _STROKE_RANGE[0] <= width <= _STROKE_RANGE[1]:
        return ink
    if width < _STROKE_RANGE[0]:  # thicken by dilating
        reach = ndimage.distance_transform_edt(~mask)
        redrawn = reach <= (MNIST_STROKE - width) * scale / 2
    else:
        redrawn, width = _higher_level(ink, mask, scale)
        if width > _STROKE_RANGE[1]:  # still thick: erode, keeping the centre line unbroken
            distance = ndimage.distance_transform_edt(redrawn)
            ridge = redrawn & (distance >= ndimage.maximum_filter(distance, size=3) - 0.5)
            redrawn = (distance > (width - _THINNED) * scale / 2) | ridge
    # A pen's soft edge, as MNIST's anti-aliasing left it.
    return ndimage.gaussian_filter(redrawn.astype("float32"), sigma=0.5 * scale)


def _centre_of_mass(ink):
    total = ink.sum()
    rows, cols = np.indices(ink.shape)
    return (rows * ink).sum() / total, (cols * ink).sum() / total


def _fit(image, side, enlarge=Image.LANCZOS):
    """Resize so the longer side is ``side`` pixels, keeping the aspect ratio."""
    height, width = image.shape
    scale = side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return _resize(image, size, enlarge if scale > 1 else Image.BOX)


def mnist_like(gray, size=28, box=20):
    """An MNIST-style ``(size, size)`` float32 array from a 2-D grayscale array in [0, 1]."""
    gray = np.asarray(gray, dtype="float32")
    if gray.ndim != 2:
        raise ValueError(f"expected a 2-D grayscale image, got shape {gray.shape}")
    low_resolution = max(gray.shape) < 2 * box
    if max(gray.shape) > _MAX_SIDE:
        gray = _fit(gray, _MAX_SIDE)
    if low_resolution:
        # Enlarge a small image first: thresholding 8x8 pixels would lose the
        # digit. A margin of paper first, as a tightly cropped scan has none.
        border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
        gray = np.pad(gray, max(1, max(gray.shape) // 4), constant_values=np.median(border))
        gray = np.clip(_fit(gray, 4 * box, Image.BICUBIC), 0.0, 1.0)
        ink = _ink(gray, even_page=True)
    else:
        ink = _ink(gray)
        if max(ink.shape) < 4 * box:
            # The paper is found at the image's own resolution and only then
            # the ink enlarged, with a margin of paper (0): a margin of one
            # grey, added before, would hide the lighting's slope next to it.
            ink = np.pad(ink, max(1, max(ink.shape) // 4))
            ink = np.clip(_fit(ink, 4 * box, Image.BICUBIC), 0.0, 1.0)
    mask, strong = _digit_mask(ink)
    # Keep the anti-aliased edge next to the kept strokes, nothing else.
    ink = ink * ndimage.binary_dilation(mask, iterations=2)
    rows, cols = np.nonzero(mask)
    core = np.median(ink[mask & strong])
    ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    ink = np.clip(ink / (core + 1e-6), 0.0, 1.0)  # a stroke's core is 1, as in MNIST
    # Room around the digit for strokes to grow; the result is cropped again.
    ink = np.pad(np.clip(_fit(ink, _WORK), 0.0, 1.0), _WORK // 10)
    if not low_resolution:  # a few blurred pixels tell no stroke width
        ink = _normalise_strokes(ink, box, scale=_WORK / box)
    rows, cols = np.nonzero(ink > 0.05)
    ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    fitted = np.clip(_fit(ink, box), 0.0, 1.0)
    canvas = np.zeros((size, size), dtype="float32")
    # Centre by mass, as MNIST did: the digit's centre of mass lands on the
    # frame's centre, clipped so the digit stays inside the frame.
    centre_row, centre_col = _centre_of_mass(fitted)
    top = int(np.clip(round(size / 2 - centre_row), 0, size - fitted.shape[0]))
    left = int(np.clip(round(size / 2 - centre_col), 0, size - fitted.shape[1]))
    canvas[top:top + fitted.shape[0], left:left + fitted.shape[1]] = fitted
    return canvas


def load_digit(path, size=28):
    """Read an image file (PNG, JPG, ... any size or depth) as an MNIST-like ``(size, size)`` array."""
    gray = read_image(path, "L")
    try:
        return mnist_like(gray, size=size)
    except ValueError as error:
        raise UserError(f"image '{path}': {error}; pass a photo or scan of one digit") from None
