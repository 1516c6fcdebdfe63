"""Reading users' digit images as MNIST-like 28×28 arrays."""

import numpy as np
import pytest
from PIL import Image

from kerazoo.data import mnist
from kerazoo.data.images import load_digit, mnist_like


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


def test_blank_or_unreadable_images_are_errors(tmp_path):
    with pytest.raises(ValueError, match="blank"):
        mnist_like(np.full((40, 40), 0.7))
    bad = tmp_path / "not_an_image.png"
    bad.write_text("hello")
    with pytest.raises(ValueError, match="cannot read image"):
        load_digit(bad)
    with pytest.raises(ValueError, match="2-D"):
        mnist_like(np.zeros((4, 4, 3)))
