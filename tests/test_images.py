"""Reading users' digit images as MNIST-like 28×28 arrays."""

import numpy as np
import pytest
from PIL import Image

from kerazoo.families.mnist import data as mnist
from kerazoo.data.images import load_digit, mnist_like, read_image


@pytest.fixture(scope="module")
def digit():
    """A real MNIST test digit (a 3), white on black, floats in [0, 1]."""
    images, labels = mnist.mnist_5k_split("test")
    return images[np.flatnonzero(labels == 3)[0]].astype("float32") / 255.0


def _photo(digit, *, dark_ink, size=(240, 180), offset=(30, 50), seed=0):
    """The digit drawn large and off-centre on a noisy, not-quite-white page."""
    rng = np.random.default_rng(seed)
    large = np.asarray(Image.fromarray((digit * 255).astype("uint8")).resize((112, 112)),
                       dtype="float32") / 255.0
    page = np.zeros(size[::-1], dtype="float32")
    page[offset[1]:offset[1] + 112, offset[0]:offset[0] + 112] = large
    if dark_ink:  # pencil on paper: grey-white page, dark strokes
        page = 0.9 - 0.7 * page
    else:  # chalk on a board
        page = 0.15 + 0.7 * page
    page += rng.normal(0.0, 0.02, page.shape)
    return np.clip(page, 0.0, 1.0)


def _save(array, path, mode="L"):
    Image.fromarray((array * 255).astype("uint8")).convert(mode).save(path)
    return path


def test_result_looks_like_mnist(digit, tmp_path):
    x = load_digit(_save(_photo(digit, dark_ink=True), tmp_path / "pencil.png"))
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() <= 1.0 and x.max() > 0.9
    rows, cols = np.nonzero(x > 0.05)
    assert max(np.ptp(rows), np.ptp(cols)) + 1 <= 21  # fits MNIST's 20x20 box
    total = x.sum()
    centre = [(np.indices(x.shape)[axis] * x).sum() / total for axis in (0, 1)]
    np.testing.assert_allclose(centre, [14.0, 14.0], atol=1.0)
    # Bright digit on black, like the original: their pixels correlate strongly.
    assert np.corrcoef(x.ravel(), digit.ravel())[0, 1] > 0.8


def test_dark_on_light_and_light_on_dark_give_the_same_digit(digit, tmp_path):
    pencil = load_digit(_save(_photo(digit, dark_ink=True), tmp_path / "pencil.jpg", "RGB"))
    chalk = load_digit(_save(_photo(digit, dark_ink=False, seed=1), tmp_path / "chalk.png"))
    assert np.abs(pencil - chalk).mean() < 0.05


def test_transparent_drawing_is_read_as_ink_on_white(digit, tmp_path):
    rgba = np.zeros((56, 56, 4), dtype="uint8")
    rgba[..., 3] = (np.asarray(Image.fromarray((digit * 255).astype("uint8")).resize((56, 56))))
    path = tmp_path / "drawing.png"
    Image.fromarray(rgba, "RGBA").save(path)
    x = load_digit(path)
    assert np.corrcoef(x.ravel(), digit.ravel())[0, 1] > 0.8


@pytest.mark.parametrize("side", [44, 56, 68])
def test_shadow_across_a_small_photo_is_no_ink(side):
    # 40-80 px photos: a shadow darkens the page from left to right; the
    # paper is found at the photo's own resolution, so the shadow's dark
    # side is not read as ink (it was, beside a margin of one grey).
    images, labels = mnist.mnist_5k_split("test")
    seven = images[np.flatnonzero(labels == 7)[0]].astype("float32") / 255.0
    large = Image.fromarray((seven * 255).astype("uint8")).resize((side, side), Image.BILINEAR)
    large = np.asarray(large, dtype="float32") / 255.0
    shadow = 0.95 - 0.25 * np.arange(side) / side
    for seed in range(3):
        noise = np.random.default_rng(seed).normal(0.0, 0.02, large.shape)
        photo = np.clip(shadow * (1.0 - 0.5 * large) + noise, 0.0, 1.0)
        assert np.corrcoef(mnist_like(photo).ravel(), mnist_like(seven).ravel())[0, 1] > 0.9


def test_blank_or_unreadable_images_are_errors(tmp_path):
    with pytest.raises(ValueError, match="blank"):
        mnist_like(np.full((40, 40), 0.7))
    bad = tmp_path / "not_an_image.png"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="cannot read image"):
        load_digit(bad)
    with pytest.raises(ValueError, match="2-D"):
        mnist_like(np.zeros((4, 4, 3)))


# One reader for every image task (issue 19, items 6 and 11).

def _sixteen_bit(array, path):
    """Save a [0, 1] array as a 16-bit grayscale PNG (Pillow mode I;16)."""
    Image.fromarray(np.round(array * 65535).astype(np.uint16)).save(path)
    assert Image.open(path).mode == "I;16"
    return path


def test_sixteen_bit_png_reads_like_its_eight_bit_version_and_is_predicted(digit, tmp_path):
    page = _photo(digit, dark_ink=True)
    eight = load_digit(_save(page, tmp_path / "eight.png"))
    sixteen = load_digit(_sixteen_bit(page, tmp_path / "sixteen.png"))
    assert np.abs(eight - sixteen).mean() < 0.01
    import kerazoo

    [answer] = kerazoo.predict("lstm_mnist", [str(tmp_path / "sixteen.png")])
    assert answer["prediction"] == 3


@pytest.mark.parametrize("mode", ["P", "LA", "RGBA", "CMYK", "1", "I", "F", "I;16B"])
def test_any_mode_reads_as_the_same_gray(mode, digit, tmp_path):
    page = _photo(digit, dark_ink=True)
    expected = read_image(_save(page, tmp_path / "gray.png"))
    image = Image.fromarray((page * 255).astype("uint8"))
    if mode == "I;16B":
        image = Image.frombytes("I;16B", image.size,
                                (np.asarray(image, ">u2") * 257).astype(">u2").tobytes())
    elif mode in ("I", "F"):  # 32-bit: values on the 16-bit scale, as 16-bit TIFFs give
        image = Image.fromarray((np.asarray(image, "float32") * 257).astype(
            "int32" if mode == "I" else "float32"), mode)
    else:
        image = image.convert(mode)
    path = tmp_path / ("page.tif" if mode in ("CMYK", "I", "F", "I;16B") else "page.png")
    image.save(path)
    gray = read_image(path)
    tolerance = 0.3 if mode == "1" else 0.02  # 1-bit dithers
    assert gray.shape == expected.shape and np.abs(gray - expected).mean() < tolerance


def test_exif_orientation_is_applied(tmp_path):
    page = np.zeros((30, 50), "uint8")
    page[:, :10] = 255  # a bright band on the left
    image = Image.fromarray(page)
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90 clockwise to view"
    image.save(tmp_path / "photo.jpg", exif=exif)
    gray = read_image(tmp_path / "photo.jpg")
    assert gray.shape == (50, 30) and gray[:10].mean() > 0.9  # the band is now on top


def _truncated(tmp_path, digit):
    path = _save(_photo(digit, dark_ink=True), tmp_path / "whole.png")
    cut = tmp_path / "truncated.png"
    cut.write_bytes(path.read_bytes()[:400])
    return cut


@pytest.mark.parametrize("reader", ["digit", "captcha"])
@pytest.mark.parametrize("case, message", [
    ("folder", "is a folder"), ("text", "not an image"), ("truncated", "truncated or corrupt"),
    ("missing", "no such file"), ("bomb", "decompression bomb")])
def test_unreadable_files_are_one_line_user_errors(reader, case, message, digit, tmp_path,
                                                   monkeypatch):
    from kerazoo.families.captcha.data import load_image
    from kerazoo.errors import UserError

    path = {"folder": tmp_path, "text": tmp_path / "notes.png", "missing": tmp_path / "gone.png",
            "truncated": None, "bomb": tmp_path / "huge.png"}[case]
    if case == "text":
        path.write_text("hello")
    elif case == "truncated":
        path = _truncated(tmp_path, digit)
    elif case == "bomb":
        _save(np.zeros((64, 64)), path)
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # 4096 pixels > 2x the limit
    read = load_digit if reader == "digit" else load_image
    with pytest.raises(UserError, match=message) as error:
        read(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_sixteen_bit_captcha_reads_like_its_eight_bit_version(tmp_path):
    from kerazoo.families.captcha.data import generate, load_image

    image, _ = generate("test:0")
    gray = np.asarray(Image.fromarray(image).convert("L"), "float32") / 255.0
    eight = load_image(_save(gray, tmp_path / "eight.png"))
    sixteen = load_image(_sixteen_bit(gray, tmp_path / "sixteen.png"))
    assert eight.dtype == sixteen.dtype == np.uint8
    assert np.abs(eight.astype(int) - sixteen.astype(int)).max() <= 1


# A sturdier mnist_like (issue 20, digits).

def test_stroke_width_is_brought_towards_mnists():
    # mnist_5k's training "1"s hold 37-87 units of ink (5th-95th percentile).
    # Fitted as they are, a marker-thick bar holds ~320 and a hairline ~20.
    bar = np.zeros((200, 200), "float32")
    bar[20:180, 60:140] = 1.0  # a "1" drawn with a stroke half as wide as tall
    hair = np.zeros((200, 200), "float32")
    hair[20:180, 99:100] = 1.0  # a hairline "1"
    for page, low, high in ((bar, 37, 160), (hair, 28, 87)):
        x = mnist_like(page)
        rows, _ = np.nonzero(x > 0.5)
        assert np.ptp(rows) >= 17  # still a tall stroke
        assert low <= x.sum() <= high


def test_specks_and_a_border_line_are_ignored(digit):
    clean = mnist_like(_photo(digit, dark_ink=True))
    page = _photo(digit, dark_ink=True)
    page[:, :6] = 0.1  # the dark edge of a page next to the scan
    page[200:203, 220:223] = 0.1  # a speck of dust
    assert np.abs(mnist_like(page) - clean).mean() < 0.01


def test_low_resolution_digit_keeps_its_shape(digit):
    small = np.asarray(Image.fromarray((digit * 255).astype("uint8")).resize((8, 8), Image.BOX),
                       "float32") / 255.0
    x = mnist_like(small)
    assert x.shape == (28, 28)
    assert np.corrcoef(x.ravel(), digit.ravel())[0, 1] > 0.6


@pytest.mark.parametrize("blur", [3, 4, 5, 6, 7])
def test_a_blurred_bold_eight_keeps_both_its_holes(blur):
    # Blur fills the loops of a bold 8 at half its ink, but they stay darker
    # than the strokes: seen at a higher level, both holes are paper again
    # (eroding the half-level mask kept one loop shut at blur 6 and 7).
    from scipy import ndimage

    from kerazoo.families.mnist.data_printed import render

    eight = render(8, "matplotlib:DejaVuSans-Bold.ttf", size=100)
    photo = 0.9 - 0.7 * ndimage.gaussian_filter(eight, blur)
    paper, pieces = ndimage.label(mnist_like(photo) < 0.5)
    assert pieces - 1 == 2  # two holes besides the paper around the digit
