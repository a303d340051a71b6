"""Ben Graham's preprocessing against a direct computation of 4·I − 4·G_σ∗I + 128."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.lib.stride_tricks import sliding_window_view

from cnnkit.medical.graham import (ben_graham, ben_graham_mask, ben_graham_steps, circular_mask, crop_black_borders,
                                   estimate_radius, local_average, pad_or_crop, scale_radius, subtract_local_average)


def gaussian_by_hand(img, sigma):
    """G_σ ∗ img with an explicit 2-D kernel (radius ⌊4σ + 0.5⌋) on a mirrored (reflect-101) border."""
    r = int(4 * sigma + 0.5)
    t = np.arange(-r, r + 1)
    k1 = np.exp(-t ** 2 / (2 * sigma ** 2))
    kernel = np.outer(k1, k1) / k1.sum() ** 2
    img = img.astype(np.float64)
    pad = np.pad(img, ((r, r), (r, r), (0, 0)), mode="reflect")
    windows = sliding_window_view(pad, (2 * r + 1, 2 * r + 1), axis=(0, 1))  # H, W, C, kh, kw
    return np.einsum("hwcij,ij->hwc", windows, kernel)


def eye(h=120, w=160, radius=50, colour=(180, 80, 40), dtype=np.uint8):
    """A flat-coloured disc (the "eye") on black, centred."""
    yy, xx = np.mgrid[:h, :w]
    inside = np.hypot(yy + 0.5 - h / 2, xx + 0.5 - w / 2) <= radius
    img = np.zeros((h, w, 3), np.float64)
    img[inside] = colour
    return img.astype(np.uint8) if dtype == np.uint8 else (img / 255).astype(dtype)


@pytest.mark.parametrize("sigma", [0.7, 1.5, 3.0])
def test_local_average_matches_an_explicit_gaussian_convolution(sigma):
    img = np.random.default_rng(0).random((23, 31, 3)).astype(np.float32)
    np.testing.assert_allclose(local_average(img, sigma=sigma), gaussian_by_hand(img, sigma), atol=1e-5)


def test_subtract_local_average_is_grahams_formula():
    rng = np.random.default_rng(1)
    img8 = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    by_hand = np.clip(np.round(4.0 * img8 - 4 * gaussian_by_hand(img8, 2.0) + 128), 0, 255)
    assert np.abs(subtract_local_average(img8, sigma=2.0).astype(int) - by_hand).max() <= 1  # float32 rounding
    imgf = rng.random((30, 40, 3)).astype(np.float32) * 0.2 + 0.4
    by_hand = np.clip(4 * imgf - 4 * gaussian_by_hand(imgf, 2.0) + 0.5, 0, 1)
    np.testing.assert_allclose(subtract_local_average(imgf, sigma=2.0), by_hand, atol=1e-5)


@pytest.mark.parametrize("value", [0, 37, 200, 255])
def test_constant_image_maps_to_128_everywhere(value):
    flat = np.full((40, 50, 3), value, np.uint8)
    assert (subtract_local_average(flat, sigma=3) == 128).all()
    assert (ben_graham(flat + 1 if value == 0 else flat, radius=20) == 128).all()
    assert np.allclose(subtract_local_average(flat / 255.0, sigma=3), 0.5)


def test_flat_eye_becomes_neutral_grey_inside_the_mask():
    r = 40
    out = ben_graham(eye(radius=50), radius=r)
    assert out.shape == (2 * r, 2 * r, 3) and out.dtype == np.uint8
    yy, xx = np.mgrid[:2 * r, :2 * r]
    d = np.hypot(yy + 0.5 - r, xx + 0.5 - r)
    assert np.abs(out[d < 0.7 * r].astype(int) - 128).max() <= 1  # far from the rim: flat -> 128
    assert (out[d > 0.9 * r + 0.5] == 128).all()  # outside the 90 % disc: grey fill
    unmasked = ben_graham(eye(radius=50), radius=r, fraction=1.0)  # the rim is why Graham keeps 90 %
    assert np.abs(unmasked[(d > 0.9 * r) & (d < r)].astype(int) - 128).max() > 30


def test_circular_mask_keeps_a_disc_at_the_fraction_of_the_radius():
    img = np.zeros((101, 101), np.uint8)
    out = circular_mask(img, fraction=0.9, radius=50)
    yy, xx = np.mgrid[:101, :101]
    d = np.hypot(yy + 0.5 - 50.5, xx + 0.5 - 50.5)
    assert (out[d <= 44] == 0).all() and (out[d >= 46] == 128).all()
    assert abs((out == 0).sum() - np.pi * 45 ** 2) < 2 * np.pi * 45  # area within one ring of pixels
    assert circular_mask(np.zeros((8, 8, 3), np.float32), fraction=0.5)[0, 0].tolist() == [0.5] * 3


def test_crop_black_borders():
    img = np.zeros((50, 70, 3), np.uint8)
    img[5:40, 12:61] = 90
    img[0, :] = 5  # a faint line: below the default tolerance
    assert crop_black_borders(img).shape == (35, 49, 3)
    assert crop_black_borders(img, tol=3).shape == (40, 70, 3)  # the line counts now
    black = np.zeros((10, 10, 3), np.uint8)
    assert crop_black_borders(black).shape == (10, 10, 3)  # nothing to crop to: unchanged
    assert crop_black_borders(img.astype(np.float32) / 255).shape == (35, 49, 3)


def test_scale_radius_and_estimate_radius():
    img = eye(h=100, w=100, radius=30)
    assert abs(estimate_radius(img) - 30) <= 1
    scaled = scale_radius(img, radius=60)
    assert abs(scaled.shape[0] - 200) <= 7 and abs(estimate_radius(scaled) - 60) <= 2
    assert scale_radius(img.astype(np.float32) / 255, radius=15).dtype == np.float32


def test_steps_are_in_order_and_end_with_the_result():
    img = eye()
    steps = ben_graham_steps(img, radius=32)
    assert list(steps) == ["original", "cropped", "scaled", "local average", "subtracted", "masked"]
    assert steps["cropped"].shape == (100, 100, 3)
    np.testing.assert_array_equal(steps["masked"], ben_graham(img, radius=32))


@settings(max_examples=25, deadline=None)
@given(h=st.integers(20, 90), w=st.integers(20, 90), radius=st.integers(8, 48), as_float=st.booleans())
def test_any_size_and_kind_gives_a_2r_square_of_the_same_kind(h, w, radius, as_float):
    img = eye(h, w, radius=min(h, w) // 2 - 2, dtype=np.float32 if as_float else np.uint8)
    out = ben_graham(img, radius=radius)
    assert out.shape == (2 * radius, 2 * radius, 3)
    assert out.dtype == (np.float32 if as_float else np.uint8)
    assert out.min() >= 0 and out.max() <= (1 if as_float else 255)


@pytest.mark.parametrize("img, error, message", [
    (np.zeros((4, 4, 3, 1), np.uint8), ValueError, r"img must be H×W, H×W×1 or H×W×3, got shape \(4, 4, 3, 1\)"),
    (np.zeros((4, 4, 2), np.uint8), ValueError, r"img must be H×W, H×W×1 or H×W×3, got shape \(4, 4, 2\)"),
    (np.zeros((0, 4, 3), np.uint8), ValueError, "img is empty"),
    (np.zeros((4, 4, 3), np.int16), TypeError, "img has dtype int16; an image must be uint8 .0..255., uint16"),
    (np.full((4, 4, 3), 2.0), ValueError, r"img is a float image, so its values must lie in \[0, 1\]; found \[2, 2\]"),
    (np.full((4, 4, 3), np.nan), ValueError, "img contains NaN"),
    ("a photo", TypeError, "img must be an image"),
])
def test_bad_images_raise(img, error, message):
    with pytest.raises(error, match=message):
        ben_graham(img)


@pytest.mark.parametrize("call, error, message", [
    (lambda img: ben_graham(img, radius=0), ValueError, r"radius must be in \(0, inf\]"),
    (lambda img: ben_graham(img, radius="big"), TypeError, "radius must be a number"),
    (lambda img: ben_graham(img, radius=10, fraction=1.5), ValueError, r"fraction must be in \(0, 1\]"),
    (lambda img: crop_black_borders(img, tol=-1), ValueError, r"tol must be in \[0, 255\)"),
    (lambda img: subtract_local_average(img, sigma=0), ValueError, "sigma must be in"),
    (lambda img: pad_or_crop(img, side=2.5, fill=0), TypeError, "side must be an integer"),
    (lambda img: scale_radius(img, radius=float("nan")), ValueError, "radius must be finite"),
    (lambda img: ben_graham(np.zeros((20, 20, 3), np.uint8)), ValueError, "no eye"),
    (lambda img: ben_graham(img, 10), TypeError, "positional"),
    (lambda img: subtract_local_average(img, 2.0), TypeError, "positional"),
])
def test_bad_parameters_raise(call, error, message):
    with pytest.raises(error, match=message):
        call(eye())


def test_ben_graham_mask_lines_up_with_the_preprocessed_image():
    from cnnkit.medical import render_fundus

    photo, lesions = render_fundus(4, size=96, seed=3)
    photo = (photo * 255).round().astype(np.uint8) if photo.dtype != np.uint8 else photo
    eye = photo.mean(axis=2) > 7                       # a mask we can also see in the output
    moved = ben_graham_mask(photo, eye.astype(np.uint8), radius=32)
    assert moved.shape == (64, 64) and set(np.unique(moved)) <= {0, 1}
    steps = ben_graham_steps(photo, radius=32)
    footprint = pad_or_crop(steps["scaled"], side=64, fill=0).mean(axis=2) > 7
    from scipy.ndimage import binary_dilation, binary_erosion

    rim = binary_dilation(footprint) & ~binary_erosion(footprint)  # where interpolation may round either way
    assert not np.any((moved.astype(bool) != footprint) & ~rim)
    lesion = ben_graham_mask(photo, lesions.mask, radius=32)
    assert lesion.dtype == lesions.mask.dtype and lesion.any() == lesions.mask.any()


def test_ben_graham_mask_rejects_a_mask_of_another_shape():
    with pytest.raises(ValueError, match="mask has shape"):
        ben_graham_mask(np.full((20, 20, 3), 100, np.uint8), np.zeros((10, 10)))
