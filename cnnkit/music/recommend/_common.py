"""Checks, contract rules, random streams and the estimator parameters shared by the recommend modules (private)."""
import dataclasses

import numpy as np

from cnnkit._checks import Array, Mask, check_array, seed_sequence

#: the contract rules the recommend modules share
PLAYS = Array(ndim=2, low=0, sparse=True, noun="play counts").describe(
    "an (n_users, n_songs) matrix of play counts (dense or sparse)")
SCORES = Array(ndim=(1, 2), finite=False, nan=False).describe("an (n_users, n_items) score matrix (-inf allowed)")
RELEVANT = Mask(ndim=2).describe("a boolean (n_users, n_items) matrix")
CANDIDATES = Mask(ndim=1).describe("a boolean mask, one entry per item") | None
EXCLUDE = Mask(ndim=2).describe("a boolean (n_users, n_items) matrix") | None

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


class Params:
    """scikit-learn's parameter protocol for a keyword-only dataclass estimator: ``get_params`` / ``set_params``,
    so ``sklearn.base.clone``, ``GridSearchCV`` and pipelines can copy and tune it (no scikit-learn import)."""

    def get_params(self, deep=True):
        """The hyper-parameters as a dict (``deep`` is accepted for scikit-learn; there are no sub-estimators)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}

    def set_params(self, **params):
        """Set hyper-parameters by name, checked by the class's contract; returns self.

        An unknown name raises ``ValueError`` listing the valid ones, as scikit-learn does.
        """
        valid = self.get_params()
        unknown = sorted(set(params) - set(valid))
        if unknown:
            raise ValueError(f"invalid parameter(s) {unknown} for {type(self).__name__}; valid parameters: "
                             f"{sorted(valid)}")
        type(self)(**{**valid, **params})         # the contract checks the new values before any is set
        for name, value in params.items():
            setattr(self, name, value)
        return self
