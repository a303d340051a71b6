"""Content based recommendation from audio embeddings, the audio → CF-factor regressor, and blending.

A CNN that hears the audio gives every song an embedding, played or not: recommend by cosine
similarity to what the user played (content based), or learn a map from embeddings to the CF
song vectors (after van den Oord, Dieleman & Schrauwen 2013) and score new songs as CF would.

    >>> import numpy as np
    >>> emb = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    >>> nearest_songs(emb, 0, k=1)[0].tolist()
    [1]
"""
from dataclasses import dataclass

import numpy as np

from cnnkit._checks import Array, Bool, Int, Number, check_array, check_int, check_number, contract

from ._common import CANDIDATES, PLAYS, SCORES, Params, check_mask, check_plays, check_scores


@contract(x=Array(ndim=2))
def normalize_rows(x):
    """Each row of the 2-D array ``x`` divided by its L2 norm; all-zero rows stay zero.

    The same as ``sklearn.preprocessing.normalize(x)``, written out.

    Args:
        x: a 2-D array.

    Returns:
        A float array of ``x``'s shape.

    Example:
        >>> normalize_rows([[3.0, 4.0], [0.0, 0.0]])
        array([[0.6, 0.8],
               [0. , 0. ]])
    """
    x = check_array(x, "x", ndim=2, dtype=float)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)


@contract(embeddings=Array(ndim=2), query=Int(low=0), k=Int(low=1), exclude_self=Bool(), center=Bool())
def nearest_songs(embeddings, query, *, k=10, exclude_self=True, center=True):
    """The ``k`` songs most cosine-similar to song ``query`` → ``(indices, similarities)``, best first.

    Args:
        embeddings: ``(n_songs, dim)`` song vectors.
        query: the index of the song whose neighbours you want.
        k: how many neighbours.
        exclude_self: leave the query out of its own neighbours.
        center: first subtract the mean embedding, so the cosine compares how songs *differ from the
            average song*. ReLU features are all positive and share a large common part, so uncentred
            cosines all sit near 1 (0.99 for unrelated songs) and say little; as in :func:`content_scores`.

    Returns:
        ``(indices, similarities)``, best first; ties keep index order. With ``center=False`` these are
        ``sklearn.neighbors.NearestNeighbors(metric="cosine")``'s neighbours (similarity = 1 − distance); with
        ``center=True``, the same on the centred embeddings.

    Example:
        >>> idx, sim = nearest_songs([[1.0, 0.0], [0.0, 1.0], [1.0, 0.1]], 0, k=2, center=False)
        >>> idx.tolist(), sim.round(3).tolist()
        ([2, 1], [0.995, 0.0])
        >>> idx, sim = nearest_songs([[1.0, 0.0], [0.0, 1.0], [1.0, 0.1]], 0, k=2)     # centred: 0 and 2 alike
        >>> idx.tolist(), sim.round(3).tolist()
        ([2, 1], [0.988, -0.997])
    """
    e = check_array(embeddings, "embeddings", ndim=2, dtype=float)
    e = normalize_rows(e - e.mean(axis=0) if center else e)
    query = check_int(query, "query", low=0, high=len(e) - 1)
    k = check_int(k, "k", low=1, high=len(e) - 1 if exclude_self else len(e))
    sim = e @ e[query]
    if exclude_self:
        sim[query] = -np.inf
    order = np.argsort(-sim, kind="stable")[:k]
    return order, sim[order]


@contract(plays=PLAYS, embeddings=Array(ndim=2), center=Bool())
def content_scores(plays, embeddings, *, center=True):
    """Content-based scores ``(n_users, n_songs)``: cosine of each song to the user's taste profile.

    The profile is the log(1 + plays)-weighted mean of the unit embeddings of the songs the user played.
    Works for songs nobody has played: all it needs is their audio embedding. A user with no plays scores
    0 everywhere.

    Args:
        plays: ``(n_users, n_songs)`` play counts.
        embeddings: ``(n_songs, dim)`` song vectors.
        center: first subtract the mean embedding, so cosine compares how songs differ from the average
            song (ReLU features are all positive and otherwise look alike).

    Returns:
        A float array ``(n_users, n_songs)`` in [-1, 1].

    Raises:
        ValueError: ``embeddings`` does not have one row per song.

    Example:
        >>> content_scores([[2, 0, 0]], [[1, 0], [0.9, 0.1], [0, 1]], center=False).round(2)
        array([[1.  , 0.99, 0.  ]])
    """
    plays = check_plays(plays)
    e = check_array(embeddings, "embeddings", ndim=2, dtype=float)
    if len(e) != plays.shape[1]:
        raise ValueError(f"embeddings must have one row per song ({plays.shape[1]}), got shape {e.shape}")
    e = normalize_rows(e - e.mean(axis=0) if center else e)
    profiles = normalize_rows(np.log1p(plays.astype(float)) @ e)
    return profiles @ e.T


@contract(reg=Number(low=0))
@dataclass(kw_only=True, eq=False)
class FactorRegressor(Params):
    """Ridge regression from audio embeddings to CF song factors (van den Oord et al. 2013).

    ``W = (EᵀE + reg I)⁻¹ EᵀY`` on centred data E (embeddings) and Y (factors), fitted on warm songs and
    applied to cold ones. :meth:`fit` learns ``coef_`` ``(n_factors, dim)`` (= Wᵀ) and ``intercept_``
    ``(n_factors,)``, laid out as in ``sklearn.linear_model.Ridge(alpha=reg)``, whose predictions these
    are. ``get_params`` / ``set_params`` follow scikit-learn, so ``sklearn.base.clone`` copies it.

    Args:
        reg: the L2 penalty (≥ 0).

    Example:
        >>> r = FactorRegressor(reg=1e-6).fit(np.eye(3), np.arange(6.0).reshape(3, 2))
        >>> np.round(r.predict(np.eye(3)), 3).tolist()
        [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    """

    reg: float = 1.0

    @contract(embeddings=Array(ndim=2), factors=Array(ndim=2))
    def fit(self, embeddings, factors):
        """Learn ``coef_`` and ``intercept_``; returns self.

        Args:
            embeddings: ``(n, dim)`` audio embeddings of the warm songs.
            factors: ``(n, n_factors)`` their CF factors.

        Returns:
            The estimator itself, fitted.

        Raises:
            ValueError: different numbers of rows, or a singular covariance with ``reg=0``.

        Example:
            >>> FactorRegressor().fit([[0.0], [1.0], [2.0]], [[0.0], [2.0], [4.0]]).coef_.round(2)
            array([[1.33]])
        """
        e = check_array(embeddings, "embeddings", ndim=2, dtype=float)
        y = check_array(factors, "factors", ndim=2, dtype=float)
        if len(e) != len(y) or len(e) == 0:
            raise ValueError(f"embeddings and factors must have the same (non-zero) number of rows, "
                             f"got {e.shape} and {y.shape}")
        reg = check_number(self.reg, "reg", low=0)
        e_mean, y_mean = e.mean(axis=0), y.mean(axis=0)
        ec = e - e_mean
        try:
            w = np.linalg.solve(ec.T @ ec + reg * np.eye(e.shape[1]), ec.T @ (y - y_mean))
        except np.linalg.LinAlgError:
            raise ValueError(f"reg={reg:g}: the embeddings' covariance is singular; use reg > 0") from None
        self.coef_, self.intercept_ = w.T, y_mean - e_mean @ w
        self.n_features_in_ = e.shape[1]
        return self

    @contract(embeddings=Array(ndim=2))
    def predict(self, embeddings):
        """Predicted factors ``(n, n_factors)`` for ``embeddings`` ``(n, dim)``.

        Args:
            embeddings: ``(n, dim)`` audio embeddings (any songs, cold ones too).

        Returns:
            A float array ``(n, n_factors)``.

        Raises:
            sklearn.exceptions.NotFittedError: before :meth:`fit`.
            ValueError: another number of columns than in :meth:`fit`.

        Example:
            >>> FactorRegressor().fit([[0.0], [1.0], [2.0]], [[0.0], [2.0], [4.0]]).predict([[1.0]]).round(2)
            array([[2.]])
        """
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError    # here: importing scikit-learn takes a second

            raise NotFittedError("This FactorRegressor instance is not fitted yet: call fit(embeddings, factors) first")
        e = check_array(embeddings, "embeddings", ndim=2, dtype=float)
        if e.shape[1] != self.n_features_in_:
            raise ValueError(f"embeddings must have {self.n_features_in_} columns (as in fit), got shape {e.shape}")
        return e @ self.coef_.T + self.intercept_


@contract(score_matrices=SCORES, weights=Array(ndim=1, low=0) | None, candidates=CANDIDATES)
def hybrid_scores(*score_matrices, weights=None, candidates=None):
    """Blend recommenders: standardise each source's scores per user, then average them with ``weights``.

    Each user's row is standardised over the ``candidates`` items, so no source dominates by its scale.

    Args:
        *score_matrices: ``(n_users, n_items)`` arrays of one shape, one per recommender.
        weights: one weight per matrix (≥ 0, not all 0); None: equal.
        candidates: boolean per item, the items standardised over (None: all).

    Returns:
        A float array ``(n_users, n_items)``.

    Raises:
        ValueError: matrices of different shapes, weights of another length, or scores that are not
            finite over the candidates.

    Example:
        >>> hybrid_scores([[1.0, 2.0, 3.0]], [[300.0, 100.0, 200.0]], weights=[1, 1]).round(2)
        array([[ 0.  , -0.61,  0.61]])
    """
    if not score_matrices:
        raise ValueError("hybrid_scores needs at least one score matrix in score_matrices")
    matrices = [check_scores(s, f"score_matrices[{i}]") for i, s in enumerate(score_matrices)]
    shapes = {s.shape for s in matrices}
    if len(shapes) != 1:
        raise ValueError(f"score_matrices must share one shape, got {sorted(shapes)}")
    shape = matrices[0].shape
    if weights is None:
        weights = np.ones(len(matrices))
    else:
        weights = check_array(weights, "weights", ndim=1, dtype=float)
        if len(weights) != len(matrices):
            raise ValueError(f"got {len(weights)} weights for {len(matrices)} score matrices")
        if (weights < 0).any() or weights.sum() == 0:
            raise ValueError(f"weights must be ≥ 0 and not all 0, got {weights.tolist()}")
    cols = np.ones(shape[1], dtype=bool) if candidates is None else check_mask(candidates, "candidates", (shape[1],))
    if not cols.any():
        raise ValueError("candidates must select at least one item")
    total = 0.0
    for w, s in zip(weights, matrices):
        if np.isinf(s[:, cols]).any():
            raise ValueError("score_matrices must be finite over the candidates to be standardised")
        mean, std = s[:, cols].mean(axis=1, keepdims=True), s[:, cols].std(axis=1, keepdims=True)
        total = total + w * (s - mean) / np.where(std > 0, std, 1.0)
    return total / weights.sum()
