"""The value checks behind every contract: one rule, one message style.

Wrong *types* raise ``TypeError``, wrong *values* raise ``ValueError``, missing paths raise
``FileNotFoundError``; every message names the argument (or file) and what was given::

    >>> from cnnkit._checks import check_fraction, check_int
    >>> check_int(3, "n")
    3
    >>> check_int(True, "n")
    Traceback (most recent call last):
    ...
    TypeError: n must be an integer, got True (bool)
    >>> check_fraction(1.5, "val")
    Traceback (most recent call last):
    ...
    ValueError: val must be in [0, 1), got 1.5
"""
import numbers
import os
from pathlib import Path

import numpy as np


def _describe(value):
    if isinstance(value, np.ndarray):
        text = f"an array of shape {value.shape}"
    else:
        text = " ".join(repr(value).split())
        if text.startswith("<"):                  # <Dense name=…>, <object at 0x…>: the type says it
            return type(value).__name__
    return f"{text[:60]}… ({type(value).__name__})" if len(text) > 60 else f"{text} ({type(value).__name__})"


def check_int(value, name, *, low=None, high=None):
    """``value`` as a Python ``int`` (NumPy integers accepted, ``bool`` refused), within ``[low, high]``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be ≥ {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be ≤ {high}, got {value}")
    return value


def check_number(value, name, *, low=None, high=None, low_open=False, high_open=False):
    """``value`` as a finite ``float`` within ``low ≤ value ≤ high`` (``<`` where the end is open).

        >>> check_number(0.5, "alpha", low=0, high=1)
        0.5
        >>> check_number(0.0, "rate", low=0, low_open=True)
        Traceback (most recent call last):
        ...
        ValueError: rate must be in (0, inf], got 0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}, got {value:g}")
    return value


def check_fraction(value, name, *, allow_zero=True, allow_one=False):
    """A share of something: a float in ``[0, 1)`` by default (``(0, 1)`` or ``[0, 1]`` on request)."""
    return check_number(value, name, low=0.0, high=1.0, low_open=not allow_zero, high_open=not allow_one)


def check_bool(value, name):
    """``value`` as a Python ``bool`` (NumPy booleans accepted; 0, 1, "yes" refused).

        >>> check_bool(np.True_, "quiet")
        True
        >>> check_bool(1, "quiet")
        Traceback (most recent call last):
        ...
        TypeError: quiet must be True or False, got 1 (int)
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def check_seed(seed, name="seed"):
    """A ``numpy.random.Generator`` from an int ≥ 0, a ``SeedSequence`` or a ``Generator`` (NumPy's SPEC 7).

    A Generator is returned as it is (draws from it advance the caller's stream).

        >>> int(check_seed(0).integers(10)) == int(check_seed(0).integers(10))
        True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{name} must be an int, a numpy SeedSequence or a numpy Generator, got {_describe(seed)}")
    if seed < 0:
        raise ValueError(f"{name} must be ≥ 0, got {seed}")
    return np.random.default_rng(int(seed))


def seed_sequence(seed, name="seed"):
    """A ``numpy.random.SeedSequence`` for spawning independent streams (one per item) from any seed form.

    A Generator contributes one draw, so the same Generator state gives the same streams.

        >>> seed_sequence(3).entropy, seed_sequence(np.random.SeedSequence(3)).entropy
        (3, 3)
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(2**63)))
    return np.random.SeedSequence(check_int(seed, name, low=0))


def int_seed(seed, name="seed"):
    """An int seed for TensorFlow and Keras from any seed form: an int as it is, a word of a SeedSequence or Generator.

        >>> int_seed(7), int_seed(np.random.SeedSequence(7)) == int_seed(np.random.SeedSequence(7))
        (7, True)
    """
    check_seed(seed, name)   # the type and value checks (a Generator is not drawn from here)
    if isinstance(seed, (np.random.SeedSequence, np.random.Generator)):
        return int(seed_sequence(seed, name).generate_state(1)[0])
    return int(seed)


def check_choice(value, name, options):
    """``value`` when it is one of ``options``, else a ``ValueError`` listing them.

        >>> check_choice("max", "mode", ("max", "average"))
        'max'
    """
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value


def check_array(x, name, *, ndim=None, finite=True, dtype=None):
    """``x`` as a numeric NumPy array (``dtype`` when given) with ``ndim`` dimensions (an int or a tuple).

        >>> check_array([[1, 2], [3, 4]], "kernel", ndim=2).shape
        (2, 2)
        >>> check_array([1, float("nan")], "y")
        Traceback (most recent call last):
        ...
        ValueError: y contains NaN or infinite values
    """
    try:
        a = np.asarray(x) if dtype is None else np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a numeric array, got {type(x).__name__}: {err}") from None
    if a.dtype == bool:
        a = a.astype(np.uint8)
    if not (np.issubdtype(a.dtype, np.number)):
        raise TypeError(f"{name} must be a numeric array, got dtype {a.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if a.ndim not in allowed:
            raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} dimensions, got shape {a.shape}")
    if finite and not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return a


def check_image(image, name="image"):
    """``(array, white)``: ``image`` as a numeric array and the value that means white for its dtype.

    The one dtype rule of :mod:`cnnkit.images` (every image consumer goes through it): ``uint8`` white is
    255, ``uint16`` 65535, ``bool`` True, a float 1.0 (values outside [0, 1] raise ``ValueError``); other
    integers raise ``TypeError``, since the same numbers can be 8-bit or 16-bit pixels.

        >>> check_image(np.array([0, 128], np.uint8), "photo")[1]
        255
        >>> check_image(np.array([0.0, 2.0]), "photo")          # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: photo is a float image, so its values must lie in [0, 1]; found [0, 2] ...
    """
    if isinstance(image, (str, bytes)):
        raise TypeError(f"{name} must be an image array, got {_describe(image)}")
    try:
        raw = np.asarray(image)
    except (TypeError, ValueError):       # ragged lists: check_array words the error
        raw = None
    if raw is not None and raw.dtype == bool:
        return raw.astype(np.uint8), 1
    a = check_array(image if raw is None else raw, name)   # numeric and finite
    kind, size = a.dtype.kind, a.dtype.itemsize
    if kind == "u" and size == 1:
        return a, 255
    if kind == "u" and size == 2:
        return a, 65535
    if kind == "f":
        if a.size and (a.min() < 0 or a.max() > 1):
            raise ValueError(f"{name} is a float image, so its values must lie in [0, 1]; found "
                             f"[{float(a.min()):g}, {float(a.max()):g}] (divide by 255 if it holds 0..255 "
                             "values, or clip it)")
        return a, 1
    raise TypeError(f"{name} has dtype {a.dtype}; an image must be uint8 (0..255), uint16 (0..65535), bool or "
                    f"float in [0, 1]: convert it first, e.g. {name}.astype(np.uint8) for values in 0..255")


def _memory_bytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):     # not POSIX: assume a generous 64 GiB
        return 64 * 2**30


def _size_text(n_bytes):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n_bytes < 1024 or unit == "PiB":
            return f"{n_bytes:.3g} {unit}"
        n_bytes /= 1024
    return f"{n_bytes:.3g} EiB"


def check_size(n_bytes, name, value, what="the result"):
    """Refuse a request that needs more than this machine's memory, naming the argument, before a bare
    ``MemoryError`` (or the system's out-of-memory killer) ends the session.

        >>> check_size(8 * 10**15, "size", 10**7, "the images")        # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: size=10000000 would need 7.11 PiB for the images, more than this machine's memory (...)...
    """
    n_bytes = float(n_bytes)
    limit = _memory_bytes()
    if n_bytes > limit:
        raise ValueError(f"{name}={value!r} would need {_size_text(n_bytes)} for {what}, more than this machine's "
                         f"memory ({_size_text(limit)}); ask for less")
    return value


def check_side_pair(size, name):
    """An ``int`` side or an ``(height, width)`` pair of ints ≥ 1, as ``(height, width)``.

        >>> check_side_pair(32, "size"), check_side_pair((24, 40), "size")
        ((32, 32), (24, 40))
    """
    if isinstance(size, (tuple, list)):
        if len(size) != 2:
            raise ValueError(f"{name} must be an int or a (height, width) pair, got {size!r}")
        return check_int(size[0], f"{name}[0]", low=1), check_int(size[1], f"{name}[1]", low=1)
    side = check_int(size, name, low=1)
    return side, side


def check_path(path, name, *, kind="file"):
    """``path`` as an expanded :class:`~pathlib.Path` that exists (``kind`` "file", "dir" or "any").

        >>> check_path("/no/such/file.png", "image")
        Traceback (most recent call last):
        ...
        FileNotFoundError: image: no such file: /no/such/file.png
    """
    if not isinstance(path, (str, Path)) and not hasattr(path, "__fspath__"):
        raise TypeError(f"{name} must be a path (str or os.PathLike), got {_describe(path)}")
    p = Path(path).expanduser()
    ok = {"file": p.is_file, "dir": p.is_dir, "any": p.exists}[kind]()
    if not ok:
        what = {"file": "file", "dir": "folder", "any": "path"}[kind]
        raise FileNotFoundError(f"{name}: no such {what}: {p}")
    return p
