"""Checks and random streams shared by the recommend modules (private)."""
import numpy as np

from cnnkit._checks import check_array, seed_sequence

# Separate random streams drawn from one ``seed``: a shared seed must not correlate them.
TIE_STREAM, HOLD_OUT_STREAM = 1, 2


def stream(seed, key):
    """A Generator for the named stream ``key`` of ``seed`` (an int, a SeedSequence or a Generator).

    For an int seed this is ``np.random.default_rng([seed, key])``.

        >>> a, b = stream(0, TIE_STREAM).random(), stream(0, HOLD_OUT_STREAM).random()
        >>> a == np.random.default_rng([0, 1]).random(), a == b
        (True, False)
    """
    ss = seed_sequence(seed)
    entropy = ss.entropy
    entropy = list(entropy) if isinstance(entropy, (list, tuple, np.ndarray)) else [entropy]
    return np.random.default_rng(np.random.SeedSequence([*entropy, key], spawn_key=ss.spawn_key))


def check_plays(plays, name="plays"):
    """A play-count matrix as a dense array: 2-D, non-empty, finite and ≥ 0 (scipy.sparse accepted)."""
    if hasattr(plays, "toarray"):                                      # scipy.sparse
        plays = plays.toarray()
    plays = check_array(plays, name, ndim=2)
    if plays.size == 0:
        raise ValueError(f"{name} must be a non-empty (n_users, n_songs) matrix, got shape {plays.shape}")
    if (plays < 0).any():
        raise ValueError(f"{name} must hold non-negative play counts, got a minimum of {plays.min()}")
    return plays


def check_mask(mask, name, shape):
    """A boolean array of ``shape``: bools, or numbers that are all 0 or 1."""
    a = np.asarray(mask)
    if a.dtype != bool:
        if not np.issubdtype(a.dtype, np.number) or not np.isin(a, (0, 1)).all():
            raise TypeError(f"{name} must be a boolean mask, got values of dtype {a.dtype}")
        a = a.astype(bool)
    if a.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {a.shape}")
    return a


def check_scores(scores, name="scores"):
    """Scores as a 2-D float array (one row per user); ``-inf`` allowed, NaN refused."""
    s = check_array(scores, name, finite=False, dtype=float)
    if s.ndim == 1:
        s = s[None, :]
    if s.ndim != 2 or s.size == 0:
        raise ValueError(f"{name} must be a non-empty (n_users, n_items) matrix, got shape {s.shape}")
    if np.isnan(s).any():
        raise ValueError(f"{name} contains NaN")
    return s
