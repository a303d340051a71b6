"""Rules for arrays: numeric arrays, boolean masks, integer labels, and images by the one dtype rule.

    >>> import numpy as np
    >>> from cnnkit._checks import Array, Image, Labels
    >>> Labels().check([0, 2, 1], "y")
    [0, 2, 1]
    >>> Array(shape=(None, 3)).check(np.zeros((4, 2)), "x")
    Traceback (most recent call last):
    ...
    ValueError: x must be of shape (N, 3), got shape (4, 2)
    >>> Image().check(np.full((2, 2), 255.0), "photo")          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: photo is a float image, so its values must lie in [0, 1]; found [255, 255] ...
"""
import numpy as np

from cnnkit._checks import values as _v
from cnnkit._checks.rules import Rule, _bounds, _describe_short

_FREE = "NMKLJ"    # names for free dimensions in messages: (N, 3), (N, M, 3)…


def _shape_text(shape):
    free = iter(_FREE)
    dims = [next(free, "?") if d is None else str(d) for d in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _dims_text(ndims):
    """``"2-D"``, ``"2- or 3-D"``, ``"2-, 3- or 4-D"``."""
    parts = [f"{n}-" for n in ndims]
    return (", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]) + "D"


class Array(Rule):
    """An array-like with ``ndim`` dimensions (an int or a tuple) or a ``shape`` (``None`` for a free size).

    Numeric unless ``numeric=False`` (then any values, e.g. string ids); finite unless ``finite=False``
    (then NaN too unless ``nan=False``); non-empty unless ``empty=True``; whole numbers with ``integer``;
    within ``[low, high]`` (``noun`` names the values in that message); a scipy.sparse matrix is accepted
    with ``sparse=True``.
    """

    def __init__(self, *, ndim=None, shape=None, finite=True, nan=True, empty=False, low=None, high=None,
                 integer=False, numeric=True, sparse=False, noun=None):
        if shape is not None:
            shape, ndim = tuple(shape), len(shape)
        self.shape = shape
        self.ndim = (ndim,) if isinstance(ndim, int) else (None if ndim is None else tuple(ndim))
        self.finite, self.nan, self.empty, self.low, self.high = finite, nan, empty, low, high
        self.integer, self.numeric, self.sparse = integer, numeric, sparse
        self.noun = noun or self.noun          # "play counts": "plays must hold play counts ≥ 0, got -1"
        dims = _shape_text(shape) + " " if shape else ("" if self.ndim is None else _dims_text(self.ndim) + " ")
        kind = "integer" if integer else ("numeric" if numeric else "")
        self.what = f"a {dims}{kind + ' ' if kind else ''}array" + _bounds(low, high)

    noun = None

    def _as_array(self, value, name):
        scalar = isinstance(value, (int, float, complex, np.generic)) and not isinstance(value, np.ndarray)
        if value is None or isinstance(value, (str, bytes, dict, set)) or \
                (scalar and self.ndim is not None and 0 not in self.ndim):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        if self.sparse and hasattr(value, "toarray"):
            value = value.toarray()
        if self.numeric:
            try:
                a = _v.check_array(value, name, finite=False)
            except NotImplementedError:       # a symbolic tensor, which cannot become an array
                raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}") from None
            if np.iscomplexobj(a):
                raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype}")
            return a
        try:
            a = np.asarray(value)
        except (TypeError, ValueError) as err:
            raise TypeError(f"{name} must be {self.what}, got {type(value).__name__}: {err}") from None
        if a.dtype == object:
            raise TypeError(f"{name} must be {self.what} of one kind of value, got mixed or nested values")
        return a

    def check(self, value, name):
        a = self._as_array(value, name)
        if self.ndim is not None and a.ndim not in self.ndim:
            want = self.what if self._described else _dims_text(self.ndim)
            raise ValueError(f"{name} must be {want}, got shape {a.shape}")
        if self.shape is not None and any(want is not None and got != want for want, got in zip(self.shape, a.shape)):
            want = self.what if self._described else f"of shape {_shape_text(self.shape)}"
            raise ValueError(f"{name} must be {want}, got shape {a.shape}")
        if not self.empty and a.size == 0:
            raise ValueError(f"{name} is empty (shape {a.shape})")
        if self.numeric:
            if self.finite and not np.all(np.isfinite(a)):
                raise ValueError(f"{name} contains NaN or infinite values")
            if not self.nan and np.isnan(a).any():
                raise ValueError(f"{name} contains NaN")
            if self.integer and not np.issubdtype(a.dtype, np.integer) and a.size and \
                    not np.all(np.mod(a[np.isfinite(a)], 1) == 0):
                raise ValueError(f"{name} must hold integers (labels or indices), got values such as "
                                 f"{a[np.mod(a, 1) != 0][:3].tolist()}")
            held = f"hold {self.noun} " if self.noun else "be "
            if self.low is not None and a.size and np.nanmin(a) < self.low:
                raise ValueError(f"{name} must {held}≥ {self.low:g}, got {np.nanmin(a):g}")
            if self.high is not None and a.size and np.nanmax(a) > self.high:
                raise ValueError(f"{name} must {held}≤ {self.high:g}, got {np.nanmax(a):g}")
        return value

    def _example_shape(self, extra=0):
        if self.shape is not None:
            return tuple(3 if d is None else d for d in self.shape) + (3,) * extra
        nd = 2 if self.ndim is None else self.ndim[0]
        return (3,) * (nd + extra)

    def example(self):
        if not self.numeric:
            return np.array(["a", "b", "c"][:self._example_shape()[0]] * 1)
        fill = self.low if self.low is not None else (self.high if self.high is not None else 0)
        return np.full(self._example_shape(), fill, dtype=np.int64 if self.integer else np.float32)

    def bad_values(self):
        bad = ["abc", None, [["a"], ["b", "c"]], {"a": 1}]
        if self.numeric:
            bad += [[["a"]], np.zeros(self._example_shape(), complex) + 1j]
        if self.finite:
            bad.append(np.full(self._example_shape(), np.nan, np.float32))
        elif not self.nan:
            bad.append(np.full(self._example_shape(), np.nan, np.float32))
        if self.ndim is not None:
            bad.append(np.zeros(self._example_shape(extra=1) if max(self.ndim) < 5 else (3,) * 6, np.float32))
        if self.shape is not None and any(d is not None for d in self.shape):
            wrong = tuple(3 if d is None else d + 1 for d in self.shape)
            bad.append(np.zeros(wrong, np.float32))
        if not self.empty:
            bad.append(np.zeros((0,) * (1 if self.ndim is None else self.ndim[0]), np.float32))
        if self.low is not None:
            bad.append(np.full(self._example_shape(), self.low - 1, np.float32))
        if self.high is not None:
            bad.append(np.full(self._example_shape(), self.high + 1, np.float32))
        if self.integer:
            bad.append(np.full(self._example_shape(), (self.low or 0) + 0.5, np.float32))
        return [b for b in bad if not self.accepts(b)]


class Labels(Array):
    """Integer class labels ≥ 0 (whole-number floats and bools count), one per item."""

    noun = "labels"

    def __init__(self, *, ndim=1, high=None, empty=False):
        super().__init__(ndim=ndim, integer=True, low=0, high=high, empty=empty)
        self.what = self.what.replace("integer array", "array of integer labels")


class Mask(Array):
    """A boolean mask (``True``/``False``, or numbers that are all 0 or 1) with ``ndim`` dims or a ``shape``."""

    def __init__(self, *, ndim=None, shape=None, empty=False, strict=False):
        super().__init__(ndim=ndim, shape=shape, empty=empty)
        self.strict = strict
        self.what = self.what.replace("numeric array", "boolean mask")

    def check(self, value, name):
        super().check(value, name)
        a = np.asarray(value)
        if self.strict and a.dtype != bool:
            raise TypeError(f"{name} must be a boolean mask (dtype bool), got dtype {a.dtype}")
        if a.dtype != bool and not np.isin(a, (0, 1)).all():     # numbers that are no flags: the wrong kind
            raise TypeError(f"{name} must be a boolean mask (True/False or 0/1), got values such as "
                            f"{np.unique(a)[:4].tolist()}")
        return value

    def example(self):
        return np.ones(self._example_shape(), bool)

    def bad_values(self):
        bad = super().bad_values() + [np.full(self._example_shape(), 0.5), np.ones(self._example_shape(), int)]
        return [b for b in bad if not self.accepts(b)]


def _layouts(ndims, channels):
    """``"H×W, H×W×1, H×W×3 or H×W×4"``: the shapes an image rule takes, in words."""
    out = []
    for n in ndims:
        head = {2: "H×W", 3: "H×W", 4: "N×H×W"}.get(n, "×".join("?" * n))
        if n == 2:
            out.append(head)
        elif n == max(ndims) and channels is not None:
            out += [f"{head}×{c}" for c in channels]
        else:
            out.append(f"{head}×C")
    return ", ".join(out[:-1]) + " or " + out[-1] if len(out) > 1 else out[0]


class Image(Rule):
    """An image array by the one dtype rule of :mod:`cnnkit.images` (:func:`~cnnkit._checks.check_image`):
    uint8 (white 255), uint16 (65535), bool, or float in [0, 1]; finite, non-empty, ``ndim`` dimensions, and
    for arrays with a channel axis (the largest ``ndim``) one of ``channels`` channels."""

    def __init__(self, *, ndim=(2, 3), channels=(1, 3, 4)):
        self.any_ndim = ndim is None
        ndim = (1, 2, 3, 4) if ndim is None else ndim
        self.ndim = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        self.channels = None if channels is None else tuple(channels)
        self.layout = "an array of any shape" if self.any_ndim else _layouts(self.ndim, self.channels)
        self.what = f"an image ({self.layout}; uint8, uint16, bool or float in [0, 1])"

    def check(self, value, name):
        if value is None or isinstance(value, (dict, set)):
            raise TypeError(f"{name} must be {self.what}, got {_describe_short(value)}")
        a, _ = _v.check_image(value, name)
        wrong_channels = self.channels is not None and a.ndim == max(self.ndim) > 2 and \
            a.shape[-1] not in self.channels
        if (a.ndim not in self.ndim or wrong_channels) and not self.any_ndim:
            raise ValueError(f"{name} must be {self.layout}, got shape {a.shape}")
        if a.size == 0:
            raise ValueError(f"{name} is empty (shape {a.shape})")
        return value

    def _shape(self, ndim):
        channels = (self.channels or (3,))[-1] if ndim == max(self.ndim) and ndim > 2 else 8
        return {2: (8, 8), 3: (8, 8, channels), 4: (2, 8, 8, channels)}.get(ndim, (2,) * ndim)

    def example(self):
        return np.zeros(self._shape(max(self.ndim)), np.float32)

    def bad_values(self):
        shape = self._shape(max(self.ndim))
        bad = ["abc", None, np.zeros(shape, np.int64), np.full(shape, 2.0, np.float32),
               np.full(shape, np.nan, np.float32), np.zeros((2,) * (max(self.ndim) + 1), np.float32),
               np.zeros((0,) * max(self.ndim), np.float32), np.zeros(shape, complex)]
        if self.channels is not None and max(self.ndim) > 2 and not self.any_ndim:
            bad.append(np.zeros(shape[:-1] + (2 if 2 not in self.channels else 5,), np.float32))
        return [b for b in bad if not self.accepts(b)]
