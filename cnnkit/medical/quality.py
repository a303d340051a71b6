"""Gradability: a check that refuses photographs too poor to grade, before any model sees them.

Screening programmes send back a share of their photos as ungradable (out of focus, underexposed, the field
hidden by a small pupil or the eyelid) and count it: IDx-DR's pivotal trial reports an *imageability rate*
of 96.1 % (Abràmoff et al. 2018), and Gulshan et al. (2016) had every image graded for gradability too. A
model that grades every photo it is given hides that failure inside its accuracy.

:func:`image_quality` measures three things on a raw photograph (before Ben Graham's preprocessing, which
would rescale them away):

- ``field``: the share of the picture inside the camera field (brighter than ``black`` times the photo's
  bright level, its 99th-percentile brightness, so an underexposed field still counts as field);
- ``brightness``: the median brightness of the central retina, in [0, 1];
- ``contrast``: the band-pass contrast of the central retina's green channel (a Gaussian σ = 1 px minus
  σ = 3 px of the image, relative to its mean): vessels, the disc and lesions make it; defocus blurs it away.

:class:`QualityCheck` learns from photos known to be gradable the lowest value of each measure it accepts
(a low quantile) and refuses a photo below any of them, saying why::

    >>> import numpy as np
    >>> from cnnkit.medical import make_fundus
    >>> good = make_fundus(60, size=48, seed=0, val=0.2, test=0.2)
    >>> check = QualityCheck(quantile=0.01).fit(good.train.x)
    >>> dark = good.test.x[:3] * 0.2                                 # the same eyes, badly underexposed
    >>> check.predict(dark).tolist(), check.reasons(dark)[0]
    ([False, False, False], 'too dark')
"""
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from cnnkit._checks import Array, Fraction, Number, contract
from cnnkit._checks.values import check_image

__all__ = ["MEASURES", "QualityCheck", "image_quality"]

#: what :func:`image_quality` measures, and the reason a photo below the learned threshold is refused
MEASURES = {"field": "camera field too small", "brightness": "too dark", "contrast": "out of focus (no detail)"}


def _images(images, name="images"):
    x, white = check_image(images, name)
    x = np.asarray(x, dtype=np.float32) / np.float32(white)
    if x.ndim == 3:                      # one image
        x = x[None]
    if x.ndim != 4 or x.shape[-1] != 3:
        raise ValueError(f"{name} must be one RGB photo H × W × 3 or a batch N × H × W × 3, got shape "
                         f"{np.shape(images)}")
    return x


@contract(images=Array(ndim=(3, 4), low=0), black=Fraction(allow_zero=False))
def image_quality(images, *, black=0.1):
    """The quality measures of raw fundus photographs (see :data:`MEASURES`), one value per photo each.

    Args:
        images: one RGB photo (H × W × 3) or a batch (N × H × W × 3), uint8 0–255 or float in [0, 1].
        black: a pixel darker than ``black`` × the photo's 99th-percentile brightness is outside the camera
            field, in (0, 1).

    Returns:
        A dict ``{"field": …, "brightness": …, "contrast": …}`` of float arrays of length N.

    Example:
        >>> flat = np.full((1, 32, 32, 3), 0.5, np.float32)
        >>> {k: round(float(v[0]), 2) for k, v in image_quality(flat).items()}     # all field, no detail
        {'field': 1.0, 'brightness': 0.5, 'contrast': 0.0}
    """
    x = _images(images)
    n, h, w, _ = x.shape
    yy, xx = np.mgrid[:h, :w] + 0.5
    central = np.hypot(yy - h / 2, xx - w / 2) < 0.35 * min(h, w)
    out = {k: np.zeros(n) for k in MEASURES}
    for i, img in enumerate(x):
        lum, green = img.mean(axis=-1), img[..., 1]
        field = lum > black * np.percentile(lum, 99)
        out["field"][i] = field.mean()
        retina = central & field
        if not retina.any():
            continue                     # no retina in the centre: brightness and contrast stay 0
        out["brightness"][i] = np.median(lum[retina])
        band = ndimage.gaussian_filter(green, 1.0) - ndimage.gaussian_filter(green, 3.0)
        mean = green[retina].mean()
        out["contrast"][i] = band[retina].std() / mean if mean > 0 else 0.0
    return out


@contract(quantile=Fraction(allow_zero=True), black=Number(low=0, high=1, low_open=True, high_open=True))
@dataclass(kw_only=True, eq=False)
class QualityCheck:
    """Refuse photos whose quality measures fall below what gradable photos show (a one-sided check per measure).

    Args:
        quantile: the share of the gradable photos given to :meth:`fit` that each measure's threshold cuts
            off (0.01: each threshold refuses about 1 % of photos like them; together a few %).
        black: the black level of :func:`image_quality`.

    :meth:`fit` learns ``thresholds_`` (a dict, one lowest accepted value per measure); :meth:`predict`
    says which photos are gradable, :meth:`reasons` why the others are not.

    Example:
        >>> QualityCheck().quantile
        0.01
    """

    quantile: float = 0.01
    black: float = 0.1

    def get_params(self, deep=True):
        """The hyper-parameters, as scikit-learn's ``clone`` expects."""
        return {"quantile": self.quantile, "black": self.black}

    def set_params(self, **params):
        """Set hyper-parameters by name; returns self."""
        for key, value in params.items():
            if key not in self.get_params():
                raise ValueError(f"QualityCheck has no parameter {key!r}; it has {sorted(self.get_params())}")
            setattr(self, key, value)
        return self

    def fit(self, images):
        """Learn each measure's lowest accepted value from photos known to be gradable; returns self.

        Args:
            images: a batch of gradable RGB photos (N × H × W × 3, uint8 or float in [0, 1]).
        """
        m = image_quality(images, black=self.black)
        self.thresholds_ = {k: float(np.quantile(v, self.quantile)) for k, v in m.items()}
        return self

    def _failures(self, images):
        if not hasattr(self, "thresholds_"):
            from sklearn.exceptions import (
                NotFittedError,  # here: importing scikit-learn takes a second
            )

            raise NotFittedError("This QualityCheck instance is not fitted yet: call fit(gradable_photos) first")
        m = image_quality(images, black=self.black)
        return {k: m[k] < t for k, t in self.thresholds_.items()}

    def predict(self, images):
        """A boolean array: True where the photo is gradable (no measure below its threshold)."""
        failures = self._failures(images)
        return ~np.any(np.stack(list(failures.values())), axis=0)

    def reasons(self, images):
        """One string per photo: ``""`` for a gradable one, else why it is refused (e.g. ``"too dark"``)."""
        failures = self._failures(images)
        n = len(next(iter(failures.values())))
        return ["; ".join(MEASURES[k] for k, failed in failures.items() if failed[i]) for i in range(n)]
