import cnnkit  # noqa: F401
import numpy as np
import pytest
import scipy.ndimage

from cnnkit import kernels
from cnnkit.ops import conv2d

EXPECTED = {"identity", "box_blur", "gaussian_blur", "gaussian_blur_5x5", "sharpen", "outline",
            "laplacian", "sobel_x", "sobel_y", "emboss"}


def test_every_classic_kernel_is_there_as_float32_square_odd_array():
    assert EXPECTED <= set(kernels.KERNELS)
    for name, k in kernels.KERNELS.items():
        assert k.dtype == np.float32, name
        assert k.ndim == 2 and k.shape[0] == k.shape[1] and k.shape[0] % 2 == 1, name
    assert kernels.get("gaussian_blur_5x5").shape == (5, 5)


@pytest.mark.parametrize("name, total", [
    ("identity", 1), ("box_blur", 1), ("gaussian_blur", 1), ("gaussian_blur_5x5", 1), ("sharpen", 1),
    ("outline", 0), ("laplacian", 0), ("sobel_x", 0), ("sobel_y", 0), ("emboss", 1),
])
def test_kernel_sums_blurs_keep_brightness_edges_give_zero_on_flat(name, total):
    k = kernels.get(name)
    assert k.sum() == pytest.approx(total, abs=1e-6)
    flat = np.full((7, 7), 0.5)
    np.testing.assert_allclose(conv2d(flat, k), 0.5 * total, atol=1e-6)


def test_identity_returns_the_image_and_gaussian_matches_scipy():
    rng = np.random.default_rng(0)
    image = rng.uniform(0, 1, (9, 10))
    np.testing.assert_allclose(conv2d(image, kernels.get("identity"), padding="same"), image, atol=1e-6)
    # the binomial 3×3 is scipy's correlate with the same weights (zero border = "constant")
    expected = scipy.ndimage.correlate(image, kernels.get("gaussian_blur").astype(np.float64), mode="constant")
    np.testing.assert_allclose(conv2d(image, kernels.get("gaussian_blur"), padding="same"), expected, atol=1e-6)


def test_sobel_x_sees_vertical_edges_and_sobel_y_horizontal_ones():
    vertical_edge = np.tile([0.0, 0.0, 0.0, 1.0, 1.0, 1.0], (6, 1))
    assert np.abs(conv2d(vertical_edge, kernels.get("sobel_x"))).max() == pytest.approx(4.0)
    assert np.abs(conv2d(vertical_edge, kernels.get("sobel_y"))).max() == 0.0
    assert np.abs(conv2d(vertical_edge.T, kernels.get("sobel_y"))).max() == pytest.approx(4.0)


def test_get_returns_a_copy_and_module_kernels_are_read_only():
    k = kernels.get("sharpen")
    k[1, 1] = 100
    assert kernels.KERNELS["sharpen"][1, 1] == 5
    with pytest.raises(ValueError, match="read-only"):
        kernels.KERNELS["sharpen"][0, 0] = 1


@pytest.mark.parametrize("name, error", [("blur", ValueError), ("", ValueError), (None, TypeError), (3, TypeError)])
def test_unknown_name_lists_the_known_ones(name, error):
    with pytest.raises(error, match="^name .*known kernels: identity, box_blur"):
        kernels.get(name)
