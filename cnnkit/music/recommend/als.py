"""Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008).

Collaborative filtering learns a vector per user and per song from *who played what*; a song
nobody has played gets the zero vector, so CF cannot recommend it (the cold-start problem).

    >>> import numpy as np
    >>> plays = np.zeros((6, 4), dtype=int)
    >>> plays[:3, :2], plays[3:, 2:] = 3, 1                      # two groups, each with its own songs
    >>> als = ImplicitALS(factors=2, iterations=10, reg=0.01, seed=0).fit(plays)
    >>> (als.scores()[[0, 3]] > 0.5).astype(int)                 # user 0 likes songs 0-1, user 3 songs 2-3
    array([[1, 1, 0, 0],
           [0, 0, 1, 1]])
"""
from dataclasses import dataclass

import numpy as np

from cnnkit._checks import Array, Int, Labels, Number, Seed, check_array, check_int, check_number, check_seed, contract

from ._common import PLAYS, Params, check_plays


@contract(plays=PLAYS, alpha=Number(low=0))
def confidence(plays, *, alpha=10.0):
    """Hu, Koren & Volinsky's confidence ``c = 1 + alpha * log(1 + plays)`` (1 for unplayed songs).

    Args:
        plays: an ``(n_users, n_songs)`` play-count matrix (dense or sparse).
        alpha: how much more a played song counts than an unplayed one (≥ 0).

    Returns:
        A float array of ``plays``' shape.

    Example:
        >>> confidence([[0, 1, 3]], alpha=1.0).round(2)
        array([[1.  , 1.69, 2.39]])
    """
    alpha = check_number(alpha, "alpha", low=0)
    return 1.0 + alpha * np.log1p(check_plays(plays).astype(float))


def _check_factors(user_factors, item_factors, shape):
    x = check_array(user_factors, "user_factors", ndim=2, dtype=float)
    y = check_array(item_factors, "item_factors", ndim=2, dtype=float)
    if x.shape[0] != shape[0] or y.shape[0] != shape[1] or x.shape[1] != y.shape[1]:
        raise ValueError(f"user_factors {x.shape} and item_factors {y.shape} must be (n_users, k) and "
                         f"(n_songs, k) for plays of shape {shape}")
    return x, y


@contract(plays=PLAYS, user_factors=Array(ndim=2), item_factors=Array(ndim=2), alpha=Number(low=0), reg=Number(low=0))
def implicit_loss(plays, user_factors, item_factors, *, alpha=10.0, reg=0.1):
    """The weighted loss ALS minimises: ``Σ c_ui (p_ui - x_u·y_i)² + reg (‖X‖² + ‖Y‖²)``.

    The preference ``p_ui`` is 1 if user u played song i, else 0, weighted by :func:`confidence` ``c_ui``.

    Args:
        plays: ``(n_users, n_songs)`` play counts.
        user_factors: X, ``(n_users, k)``.
        item_factors: Y, ``(n_songs, k)``.
        alpha: the confidence slope (≥ 0).
        reg: the L2 penalty (≥ 0).

    Returns:
        The loss, a float.

    Example:
        >>> implicit_loss([[1, 0]], np.ones((1, 1)), np.ones((2, 1)), alpha=0.0, reg=0.5)   # 0² + 1² + 0.5·(1 + 2)
        2.5
    """
    plays = check_plays(plays)
    x, y = _check_factors(user_factors, item_factors, plays.shape)
    reg = check_number(reg, "reg", low=0)
    error = (plays > 0).astype(float) - x @ y.T
    return float((confidence(plays, alpha=alpha) * error ** 2).sum() + reg * ((x ** 2).sum() + (y ** 2).sum()))


@contract(fixed=Array(ndim=2), conf=Array(ndim=2), preference=Array(ndim=2), reg=Number(low=0))
def als_step(fixed, conf, preference, *, reg):
    """One half of an ALS iteration: every row's exact weighted ridge solution at once.

    ``x_u = (YᵀC_uY + reg I)⁻¹ YᵀC_u p_u``, with ``YᵀC_uY = YᵀY + Σ_i (c_ui - 1) y_i y_iᵀ``: one matrix
    product over the outer products y_i y_iᵀ.

    Args:
        fixed: Y, ``(n, k)``, the other side's vectors.
        conf: ``(m, n)`` confidences, one row per vector to solve (pass them transposed for the song side).
        preference: ``(m, n)`` preferences (1 played, 0 not).
        reg: the L2 penalty (≥ 0).

    Returns:
        The ``(m, k)`` solved vectors.

    Example:
        >>> als_step(np.eye(2), np.array([[3.0, 1.0]]), np.array([[1.0, 0.0]]), reg=1.0).round(2)
        array([[0.75, 0.  ]])
    """
    fixed = check_array(fixed, "fixed", ndim=2, dtype=float)
    conf = check_array(conf, "conf", ndim=2, dtype=float)
    preference = check_array(preference, "preference", ndim=2, dtype=float)
    if conf.shape != preference.shape or conf.shape[1] != len(fixed):
        raise ValueError(f"conf {conf.shape} and preference {preference.shape} must both be (m, {len(fixed)}) "
                         f"for fixed of shape {fixed.shape}")
    reg = check_number(reg, "reg", low=0)
    k = fixed.shape[1]
    outer = np.einsum("ik,il->ikl", fixed, fixed).reshape(len(fixed), k * k)
    a = (fixed.T @ fixed)[None] + ((conf - 1.0) @ outer).reshape(-1, k, k) + reg * np.eye(k)[None]
    b = (conf * preference) @ fixed
    return np.linalg.solve(a, b[..., None])[..., 0]


def _not_fitted(estimator, call):
    from sklearn.exceptions import NotFittedError    # here: importing scikit-learn takes a second

    return NotFittedError(f"This {type(estimator).__name__} instance is not fitted yet: call {call} first")


@contract(factors=Int(low=1), reg=Number(low=0, low_open=True), alpha=Number(low=0), iterations=Int(low=1), seed=Seed())
@dataclass(kw_only=True, eq=False)
class ImplicitALS(Params):
    """Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008).

    Each iteration solves every user's vector exactly with the song vectors fixed, then every song's, so
    the weighted loss never goes up. A song with no plays gets the zero vector: CF has nothing to learn
    it from. :meth:`fit` learns ``user_factors_`` ``(n_users, factors)``, ``item_factors_``
    ``(n_songs, factors)`` and ``loss_history_`` (the loss after each iteration). ``get_params`` /
    ``set_params`` follow scikit-learn, so ``sklearn.base.clone(als)`` gives an unfitted copy.

    Args:
        factors: the vector length (≥ 1).
        reg: the L2 penalty (> 0).
        alpha: the confidence slope (≥ 0, see :func:`confidence`).
        iterations: the ALS iterations (≥ 1).
        seed: an int, ``SeedSequence`` or ``Generator`` for the small random start.

    Example:
        >>> als = ImplicitALS(factors=2, iterations=5, seed=0).fit(np.eye(3) * 4)
        >>> als.user_factors_.shape, als.item_factors_.shape, len(als.loss_history_)
        ((3, 2), (3, 2), 5)
    """

    factors: int = 16
    reg: float = 0.1
    alpha: float = 10.0
    iterations: int = 15
    seed: object = 0

    @contract(plays=PLAYS)
    def fit(self, plays):
        """Learn the factors from ``plays``; returns self.

        Args:
            plays: an ``(n_users, n_songs)`` count matrix (dense or scipy.sparse).

        Returns:
            The estimator itself, fitted.

        Example:
            >>> ImplicitALS(factors=1, iterations=1).fit([[1, 0], [0, 2]]).item_factors_.shape
            (2, 1)
        """
        plays = check_plays(plays)
        factors = check_int(self.factors, "factors", low=1)
        reg = check_number(self.reg, "reg", low=0, low_open=True)
        alpha = check_number(self.alpha, "alpha", low=0)
        iterations = check_int(self.iterations, "iterations", low=1)
        rng = check_seed(self.seed)
        conf, pref = confidence(plays, alpha=alpha), (plays > 0).astype(float)
        users = rng.normal(0, 0.01, (plays.shape[0], factors))
        items = rng.normal(0, 0.01, (plays.shape[1], factors))
        history = []
        for _ in range(iterations):
            users = als_step(items, conf, pref, reg=reg)
            items = als_step(users, conf.T, pref.T, reg=reg)
            history.append(implicit_loss(plays, users, items, alpha=alpha, reg=reg))
        self.user_factors_, self.item_factors_, self.loss_history_ = users, items, history
        return self

    @contract(users=Labels(empty=True) | Int(low=0) | None)
    def scores(self, users=None):
        """Predicted preference ``x_u · y_i``, shape ``(len(users), n_songs)``.

        Args:
            users: user indices (None: every user).

        Returns:
            A float array, one row per user.

        Raises:
            sklearn.exceptions.NotFittedError: before :meth:`fit`.
            ValueError: a user index outside the fitted users.

        Example:
            >>> als = ImplicitALS(factors=1, iterations=2).fit([[1, 0], [0, 2], [3, 0]])
            >>> als.scores([0, 2]).shape
            (2, 2)
        """
        if not hasattr(self, "user_factors_"):
            raise _not_fitted(self, "fit(plays)")
        if users is None:
            return self.user_factors_ @ self.item_factors_.T
        users = np.asarray(users)
        if users.dtype == bool or not np.issubdtype(users.dtype, np.integer) or users.ndim > 1:
            raise TypeError(f"users must be user indices (integers, at most 1-D), got {users.dtype} "
                            f"of shape {users.shape}")
        n = len(self.user_factors_)
        if users.size and (users.min() < 0 or users.max() >= n):
            raise ValueError(f"users must be indices in 0..{n - 1}, got values in {users.min()}..{users.max()}")
        return self.user_factors_[users] @ self.item_factors_.T
