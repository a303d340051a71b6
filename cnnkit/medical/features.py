"""Hand-crafted lesion features for a pre-CNN baseline: what DR systems fed an SVM before deep learning.

Pre-CNN screening systems (the SVM baselines that Pratt et al. 2016 compare against) detected
candidate lesions with image processing and classified a vector of counts and statistics. On Ben
Graham's preprocessed image (flat background at 0.5, small dark and bright spots amplified 4×) this
module measures, inside the camera field:

- **dark blobs** (microaneurysms, haemorrhages): connected regions darker than ``0.5 − dark`` in the
  green channel, counted per quadrant, plus their total area;
- **bright blobs** (exudates, cotton-wool spots, the optic disc): regions brighter than ``0.5 + bright``;
- **vessel density**: the share of field pixels a black top-hat (a morphological closing minus the
  image) marks as a thin dark line;
- **colour statistics**: mean, standard deviation, 10th and 90th percentile (nearest rank) of each channel.

    >>> from cnnkit.medical import graham, lesion_features, render_fundus
    >>> img = graham.ben_graham(render_fundus(3, size=64, seed=0)[0], radius=32)
    >>> lesion_features(img[None]).shape, len(FEATURE_NAMES)
    ((1, 26), 26)
"""
import numpy as np
from scipy import ndimage

from cnnkit._checks import Image, Number, check_number, contract
from cnnkit.images import as_float

QUADRANT_NAMES = ("upper left", "upper right", "lower left", "lower right")

#: the name of each column of :func:`lesion_features`
FEATURE_NAMES = ([f"dark blobs {q}" for q in QUADRANT_NAMES] + ["dark area"]
                 + [f"bright blobs {q}" for q in QUADRANT_NAMES] + ["bright area", "vessel density"]
                 + [f"{c} {s}" for c in ("red", "green", "blue") for s in ("mean", "std", "p10", "p90")]
                 + ["dark blob count", "bright blob count", "largest dark blob"])


def _blobs(spots, yy, xx, field_area):
    """Counts of connected ``spots`` per quadrant (by their centre), their area share and the largest's."""
    labels, n = ndimage.label(spots)
    if not n:
        return np.zeros(4), 0.0, 0.0, 0.0
    size = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    cy = np.bincount(labels.ravel(), yy.ravel(), minlength=n + 1)[1:] / size
    cx = np.bincount(labels.ravel(), xx.ravel(), minlength=n + 1)[1:] / size
    h, w = spots.shape
    q = (cy >= h / 2).astype(int) * 2 + (cx >= w / 2).astype(int)
    return np.bincount(q, minlength=4).astype(float), size.sum() / field_area, float(n), size.max() / field_area


@contract(images=Image(ndim=4, channels=(3,)), dark=Number(low=0, high=0.5, low_open=True),
          bright=Number(low=0, high=0.5, low_open=True), vessel=Number(low=0, high=0.5, low_open=True),
          fraction=Number(low=0, high=1, low_open=True))
def lesion_features(images, *, dark=0.25, bright=0.25, vessel=0.1, fraction=0.85):
    """One row of hand-crafted lesion features per Ben-Graham-preprocessed image (see :data:`FEATURE_NAMES`).

    Scale the features (``StandardScaler``) before an SVM.

    Args:
        images: N × H × W × 3, preprocessed by :func:`cnnkit.medical.ben_graham` (neutral grey 0.5, or 128
            in uint8) and read by the one dtype rule of :mod:`cnnkit.images` (uint8 0..255 is scaled to
            [0, 1]; a float must already lie in [0, 1]: a float array of 0..255 values is refused, not guessed).
        dark: how far below the grey a pixel of the green channel must be to count as a dark spot.
        bright: how far above the grey it must be to count as a bright spot.
        vessel: the top-hat depth that marks a vessel pixel.
        fraction: the share of the half side inside which pixels count (the field).

    Returns:
        An N × 26 float64 array.

    Raises:
        ValueError: a float image outside [0, 1] (0..255 values in a float array), or not N × H × W × 3.

    Example:
        >>> flat = np.full((2, 32, 32, 3), 0.5, "float32")
        >>> flat[1, 8, 8] = 0.2                                      # one dark dot, upper left
        >>> f = lesion_features(flat)
        >>> f[:, FEATURE_NAMES.index("dark blobs upper left")].tolist()
        [0.0, 1.0]
        >>> bool(np.allclose(lesion_features((flat * 255).round().astype(np.uint8)), f, atol=0.02))   # uint8 alike
        True
    """
    x = as_float(images, "images")             # the one dtype rule: uint8 0..255 is scaled, float must be in [0, 1]
    if x.ndim != 4 or x.shape[-1] != 3:
        raise ValueError(f"images must be N × H × W × 3 (RGB), got shape {x.shape}")
    for value, name in ((dark, "dark"), (bright, "bright"), (vessel, "vessel")):
        check_number(value, name, low=0, high=0.5, low_open=True)
    fraction = check_number(fraction, "fraction", low=0, high=1, low_open=True)
    n, h, w, _ = x.shape
    yy, xx = np.mgrid[:h, :w] + 0.5
    field = np.hypot(yy - h / 2, xx - w / 2) <= fraction * min(h, w) / 2
    field_area = field.sum()
    out = np.empty((n, len(FEATURE_NAMES)), dtype=np.float64)
    for i in range(n):
        green = x[i, ..., 1]
        dark_counts, dark_area, n_dark, largest = _blobs((green < 0.5 - dark) & field, yy, xx, field_area)
        bright_counts, bright_area, n_bright, _ = _blobs((green > 0.5 + bright) & field, yy, xx, field_area)
        tophat = ndimage.grey_closing(green, size=(3, 3)) - green
        vessels = ((tophat > vessel) & field).sum() / field_area
        pixels = x[i][field]
        ordered = np.sort(pixels, axis=0)
        p10, p90 = ordered[int(0.1 * (len(ordered) - 1))], ordered[int(0.9 * (len(ordered) - 1))]
        colour = np.stack([pixels.mean(0), pixels.std(0), p10, p90], axis=1)
        out[i] = np.r_[dark_counts, dark_area, bright_counts, bright_area, vessels, colour.ravel(),
                       n_dark, n_bright, largest]
    return out
