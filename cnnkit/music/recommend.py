"""Music recommendation: listening histories, implicit ALS, cold start, audio embeddings, hybrid.

Collaborative filtering (CF) learns a vector per user and per song from *who played what*; a song
nobody has played gets no vector, so CF cannot recommend it (the cold-start problem). A CNN that
hears the audio gives every song an embedding, played or not: recommend by cosine similarity to
what the user played (content based), or learn a map from embeddings to the CF song vectors
(after van den Oord, Dieleman & Schrauwen 2013) and score new songs as CF would::

    >>> import numpy as np
    >>> from cnnkit.music import recommend as rec
    >>> genres = np.repeat(np.arange(4), 25)                          # 100 songs, 4 genres
    >>> plays = rec.listening_histories(300, genres, seed=0)          # (300, 100) play counts
    >>> split = rec.cold_start_split(plays, n_cold=20, seed=0)        # 20 songs lose all plays
    >>> als = rec.ImplicitALS(factors=8, seed=0).fit(split.train)
    >>> cf = als.scores()                                             # (300, 100); 0 for cold songs
    >>> rec.hit_rate_at_k(cf, split.test > 0, k=10, candidates=split.cold_mask)   # ≈ random
    ... # doctest: +SKIP

Everything is dense NumPy: fine for course-sized catalogues (thousands of users × songs).
"""
from dataclasses import dataclass, field

import numpy as np


# --------------------------------------------------------------------------- listening histories
def listening_histories(n_users, song_genres, n_genres=None, favourite_genres=2, exploration=0.05,
                        popularity_skew=1.0, songs_per_user=20, plays_per_song=3.0, seed=0,
                        return_tastes=False):
    """Synthetic play counts, shape ``(n_users, n_songs)``: users with genre tastes, skewed popularity.

    Each user likes 1..``favourite_genres`` genres (random weights) and spreads ``exploration`` of
    their taste over all genres. Song ``i`` has popularity ``rank_i ** -popularity_skew`` (Zipf;
    0 = all equal). A user picks about ``songs_per_user`` distinct songs (Poisson), each with
    probability ∝ taste[genre] × popularity, without replacement, and plays each a geometric
    number of times (≥ 1, mean ``plays_per_song``). Deterministic for a ``seed``.

        >>> plays = listening_histories(50, [0, 0, 1, 1, 2, 2], songs_per_user=3, seed=1)
        >>> plays.shape, int((plays > 0).sum(axis=1).min()) >= 1
        ((50, 6), True)

    ``return_tastes=True`` also returns the ``(n_users, n_genres)`` taste matrix (rows sum to 1).
    """
    song_genres = np.asarray(song_genres)
    if song_genres.ndim != 1 or len(song_genres) == 0:
        raise ValueError(f"song_genres must be a non-empty 1-D array of genre labels, got shape {song_genres.shape}")
    if not np.issubdtype(song_genres.dtype, np.integer) or song_genres.min() < 0:
        raise ValueError("song_genres must hold non-negative integer genre labels")
    n_genres = int(song_genres.max()) + 1 if n_genres is None else int(n_genres)
    if n_genres <= song_genres.max():
        raise ValueError(f"n_genres={n_genres} but song_genres contains label {song_genres.max()}")
    if int(n_users) < 1:
        raise ValueError(f"n_users must be ≥ 1, got {n_users!r}")
    if not 1 <= int(favourite_genres) <= n_genres:
        raise ValueError(f"favourite_genres must be in 1..{n_genres}, got {favourite_genres!r}")
    if not 0 <= exploration <= 1:
        raise ValueError(f"exploration must be in [0, 1], got {exploration!r}")
    if popularity_skew < 0 or songs_per_user < 1 or plays_per_song < 1:
        raise ValueError("popularity_skew must be ≥ 0, songs_per_user ≥ 1 and plays_per_song ≥ 1")
    n_users, n_songs = int(n_users), len(song_genres)
    rng = np.random.default_rng(seed)

    tastes = np.zeros((n_users, n_genres))
    for u in range(n_users):
        liked = rng.choice(n_genres, size=rng.integers(1, int(favourite_genres) + 1), replace=False)
        tastes[u, liked] = rng.dirichlet(np.ones(len(liked)))
    tastes = (1 - exploration) * tastes + exploration / n_genres

    ranks = rng.permutation(n_songs) + 1
    popularity = ranks.astype(float) ** -popularity_skew
    weights = tastes[:, song_genres] * popularity                     # (n_users, n_songs)

    # Sampling without replacement, vectorised: the top-n of log(weight) + Gumbel noise.
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    possible = (weights > 0).sum(axis=1)                              # exploration=0 rules some out
    n_picked = np.clip(1 + rng.poisson(songs_per_user - 1, size=n_users), 1, possible)
    order = np.argsort(-keys, axis=1)
    picked = np.arange(n_songs)[None, :] < n_picked[:, None]           # first n_picked of each row
    plays = np.zeros((n_users, n_songs), dtype=np.int32)
    counts = rng.geometric(1.0 / plays_per_song, size=(n_users, n_songs)).astype(np.int32)
    np.put_along_axis(plays, order, np.where(picked, counts, 0), axis=1)
    return (plays, tastes) if return_tastes else plays


# --------------------------------------------------------------------------- cold start
@dataclass
class ColdStartSplit:
    """Plays split for a cold-start test: ``train`` has every play of the ``cold_items`` removed,
    ``test`` holds exactly those plays (and nothing else)."""

    train: np.ndarray
    test: np.ndarray
    cold_items: np.ndarray

    @property
    def cold_mask(self):
        """Boolean ``(n_songs,)``: True for the cold (held-out, never played in train) songs."""
        mask = np.zeros(self.train.shape[1], dtype=bool)
        mask[self.cold_items] = True
        return mask


def cold_start_split(plays, n_cold, seed=0):
    """Pick ``n_cold`` songs at random (among songs with plays) and move all their plays to ``test``.

        >>> s = cold_start_split(np.eye(4, dtype=int) + 1, n_cold=1, seed=0)
        >>> int(s.train[:, s.cold_items].sum()), bool(s.test.sum() == s.test[:, s.cold_items].sum())
        (0, True)
    """
    plays = _check_plays(plays)
    played = np.flatnonzero(plays.sum(axis=0) > 0)
    if not 1 <= int(n_cold) < len(played):
        raise ValueError(f"n_cold must be in 1..{len(played) - 1} (songs with plays, keeping one warm), got {n_cold!r}")
    cold = np.sort(np.random.default_rng(seed).choice(played, size=int(n_cold), replace=False))
    train, test = plays.copy(), np.zeros_like(plays)
    test[:, cold], train[:, cold] = plays[:, cold], 0
    return ColdStartSplit(train, test, cold)


# --------------------------------------------------------------------------- implicit ALS
def _check_plays(plays):
    plays = plays.toarray() if hasattr(plays, "toarray") else np.asarray(plays)   # scipy.sparse too
    if plays.ndim != 2 or plays.size == 0:
        raise ValueError(f"plays must be a non-empty (n_users, n_songs) matrix, got shape {plays.shape}")
    if not np.all(np.isfinite(plays)) or (plays < 0).any():
        raise ValueError("plays must hold finite, non-negative play counts")
    return plays


def confidence(plays, alpha=10.0):
    """Hu, Koren & Volinsky's confidence ``c = 1 + alpha * log(1 + plays)`` (1 for unplayed songs)."""
    return 1.0 + alpha * np.log1p(_check_plays(plays).astype(float))


def implicit_loss(plays, user_factors, item_factors, alpha=10.0, reg=0.1):
    """The weighted loss ALS minimises: ``Σ c_ui (p_ui - x_u·y_i)² + reg (‖X‖² + ‖Y‖²)``,
    with preference ``p_ui = 1`` if user u played song i, else 0, and confidence ``c_ui``."""
    plays = _check_plays(plays)
    preference = (plays > 0).astype(float)
    error = preference - user_factors @ item_factors.T
    return float((confidence(plays, alpha) * error ** 2).sum()
                 + reg * ((user_factors ** 2).sum() + (item_factors ** 2).sum()))


def als_step(fixed, conf, preference, reg):
    """One half of an ALS iteration: every row's exact weighted ridge solution at once,
    ``x_u = (YᵀC_uY + reg I)⁻¹ YᵀC_u p_u``, with ``fixed`` = Y (the other side's vectors) and
    ``conf``/``preference`` one row per vector to solve (transpose them for the song side).

    ``YᵀC_uY = YᵀY + Σ_i (c_ui - 1) y_i y_iᵀ``: one matrix product over the outer products y_i y_iᵀ.

        >>> als_step(np.eye(2), np.array([[3.0, 1.0]]), np.array([[1.0, 0.0]]), reg=1.0).round(2)
        array([[0.75, 0.  ]])
    """
    k = fixed.shape[1]
    outer = np.einsum("ik,il->ikl", fixed, fixed).reshape(len(fixed), k * k)
    a = (fixed.T @ fixed)[None] + ((conf - 1.0) @ outer).reshape(-1, k, k) + reg * np.eye(k)[None]
    b = (conf * preference) @ fixed
    return np.linalg.solve(a, b[..., None])[..., 0]


@dataclass
class ImplicitALS:
    """Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren & Volinsky 2008).

    Each iteration solves every user's vector exactly with the song vectors fixed, then every
    song's, so the weighted loss (``loss_history``) never goes up. A song with no plays gets the
    zero vector: CF has nothing to learn it from.

        >>> als = ImplicitALS(factors=2, iterations=5, seed=0).fit(np.eye(3) * 4)
        >>> als.user_factors.shape, als.item_factors.shape
        ((3, 2), (3, 2))
    """

    factors: int = 16
    reg: float = 0.1
    alpha: float = 10.0
    iterations: int = 15
    seed: int = 0
    user_factors: np.ndarray = field(default=None, repr=False)
    item_factors: np.ndarray = field(default=None, repr=False)
    loss_history: list = field(default_factory=list, repr=False)

    def fit(self, plays):
        plays = _check_plays(plays)
        if int(self.factors) < 1 or self.reg <= 0 or self.alpha < 0 or int(self.iterations) < 1:
            raise ValueError("factors and iterations must be ≥ 1, reg > 0 and alpha ≥ 0")
        conf, pref = confidence(plays, self.alpha), (plays > 0).astype(float)
        rng = np.random.default_rng(self.seed)
        users = rng.normal(0, 0.01, (plays.shape[0], int(self.factors)))
        items = rng.normal(0, 0.01, (plays.shape[1], int(self.factors)))
        self.loss_history = []
        for _ in range(int(self.iterations)):
            users = als_step(items, conf, pref, self.reg)
            items = als_step(users, conf.T, pref.T, self.reg)
            self.loss_history.append(implicit_loss(plays, users, items, self.alpha, self.reg))
        self.user_factors, self.item_factors = users, items
        return self

    def scores(self, users=None):
        """Predicted preference ``x_u · y_i`` for ``users`` (default all), shape (n_users, n_songs)."""
        if self.user_factors is None:
            raise ValueError("ImplicitALS is not fitted yet: call fit(plays) first")
        x = self.user_factors if users is None else self.user_factors[np.asarray(users)]
        return x @ self.item_factors.T


# --------------------------------------------------------------------------- ranking and metrics
_TIE_STREAM, _HOLD_OUT_STREAM = 1, 2   # separate random streams: a shared seed must not correlate them


def _allowed(shape, candidates, exclude):
    allowed = np.ones(shape, dtype=bool)
    if candidates is not None:
        candidates = np.asarray(candidates, dtype=bool)
        if candidates.shape != (shape[1],):
            raise ValueError(f"candidates must be a boolean mask of {shape[1]} items, got shape {candidates.shape}")
        allowed &= candidates[None, :]
    if exclude is not None:
        exclude = np.asarray(exclude, dtype=bool)
        if exclude.shape != tuple(shape):
            raise ValueError(f"exclude must have the scores' shape {tuple(shape)}, got {exclude.shape}")
        allowed &= ~exclude
    return allowed


def _rank(scores, allowed, k, seed):
    """Best-first item indices per row (allowed items first), ties in a seeded random order."""
    scores = np.where(allowed, scores, -np.inf)
    tie_break = np.random.default_rng([seed, _TIE_STREAM]).random(scores.shape)  # per-user random order
    return np.lexsort((tie_break, -scores), axis=1)[:, :int(k)]


def top_k(scores, k=10, candidates=None, exclude=None, seed=0):
    """The ``k`` best-scored item indices per user, best first, shape (n_users, k).

    ``candidates`` (boolean per item) limits the ranking to some items (e.g. the cold songs);
    ``exclude`` (boolean per user × item) removes items, e.g. songs already played. Ties are
    broken at random (seeded), so a recommender that scores everything equal is exactly random.

        >>> top_k([[0.1, 0.9, 0.5]], k=2).tolist()
        [[1, 2]]
    """
    scores = np.array(scores, dtype=float, ndmin=2)
    allowed = _allowed(scores.shape, candidates, exclude)
    fewest = int(allowed.sum(axis=1).min())
    if not 1 <= int(k) <= fewest:
        raise ValueError(f"k must be between 1 and the number of allowed items per user ({fewest}), got {k!r}")
    return _rank(scores, allowed, k, seed)


def _hits(scores, relevant, k, candidates, exclude, seed):
    """Relevant items found in each evaluated user's top ``k`` allowed items, and how many there were.

    Only relevant items that are allowed count; users with none are skipped. A user with fewer
    than ``k`` allowed items simply gets a shorter list.
    """
    scores = np.array(scores, dtype=float, ndmin=2)
    relevant = np.asarray(relevant, dtype=bool)
    if relevant.shape != scores.shape:
        raise ValueError(f"relevant must have the scores' shape {scores.shape}, got {relevant.shape}")
    if int(k) < 1:
        raise ValueError(f"k must be ≥ 1, got {k!r}")
    allowed = _allowed(scores.shape, candidates, exclude)
    relevant = relevant & allowed
    users = np.flatnonzero(relevant.any(axis=1))                     # users with something to find
    if len(users) == 0:
        raise ValueError("no user has a relevant item among the allowed candidates: nothing to evaluate")
    top = _rank(scores[users], allowed[users], min(int(k), scores.shape[1]), seed)
    hits = np.take_along_axis(relevant[users], top, axis=1).sum(axis=1)
    return hits, relevant[users].sum(axis=1)


def leave_one_out(test, seed=0):
    """Pick one played song per user from ``test`` plays → ``(relevant, exclude)`` boolean matrices.

    ``relevant`` marks the one held-out song; ``exclude`` marks the user's other played test songs,
    so each user's target competes only with songs they never played (leave-one-out protocol).
    Users with no test plays get an all-False row (the metrics skip them).
    """
    played = _check_plays(test) > 0
    keys = np.where(played, np.random.default_rng([seed, _HOLD_OUT_STREAM]).random(played.shape), -1.0)
    relevant = np.zeros_like(played)
    users = np.flatnonzero(played.any(axis=1))
    relevant[users, keys[users].argmax(axis=1)] = True
    return relevant, played & ~relevant


def hit_rate_at_k(scores, relevant, k=10, candidates=None, exclude=None, seed=0):
    """Fraction of users (with ≥ 1 relevant candidate) who find ≥ 1 relevant item in their top ``k``."""
    hits, _ = _hits(scores, relevant, k, candidates, exclude, seed)
    return float((hits > 0).mean())


def recall_at_k(scores, relevant, k=10, candidates=None, exclude=None, seed=0):
    """Mean over users (with ≥ 1 relevant candidate) of (relevant items in top ``k``) / (relevant items)."""
    hits, n_relevant = _hits(scores, relevant, k, candidates, exclude, seed)
    return float((hits / n_relevant).mean())


def random_hit_rate(relevant, k=10, candidates=None, exclude=None):
    """Expected hit rate@k of a recommender that ranks the allowed items at random (the honest
    baseline): ``1 - C(n - r, k) / C(n, k)`` per user, with n allowed items of which r are relevant."""
    relevant = np.asarray(relevant, dtype=bool)
    allowed = np.ones_like(relevant)
    if candidates is not None:
        allowed &= np.asarray(candidates, dtype=bool)[None, :]
    if exclude is not None:
        allowed &= ~np.asarray(exclude, dtype=bool)
    r, n = (relevant & allowed).sum(axis=1), allowed.sum(axis=1)
    n, r = n[r > 0], r[r > 0]
    miss = np.ones(len(r))
    for j in range(int(k)):                                           # Π_j (n - r - j) / (n - j)
        miss *= np.clip(n - r - j, 0, None) / np.maximum(n - j, 1)
    return float((1 - miss).mean())


def popularity_bias(top_items, plays, head_fraction=0.1):
    """How much a recommender favours already-popular songs.

    Returns ``head_share``: the fraction of recommendations that fall in the most-played
    ``head_fraction`` of the catalogue (an unbiased recommender gives about ``head_fraction``),
    ``coverage``: the fraction of songs recommended to anyone, and ``popularity_lift``: mean plays
    of recommended songs / mean plays of a song.
    """
    plays = _check_plays(plays)
    top_items = np.asarray(top_items)
    if not 0 < head_fraction < 1:
        raise ValueError(f"head_fraction must be in (0, 1), got {head_fraction!r}")
    listeners = (plays > 0).sum(axis=0)
    n_head = max(1, int(round(head_fraction * plays.shape[1])))
    head = np.zeros(plays.shape[1], dtype=bool)
    head[np.argsort(-listeners, kind="stable")[:n_head]] = True
    return {"head_share": float(head[top_items].mean()),
            "coverage": float(len(np.unique(top_items)) / plays.shape[1]),
            "popularity_lift": float(listeners[top_items].mean() / listeners.mean())}


# --------------------------------------------------------------------------- content based
def normalize_rows(x, eps=1e-12):
    """Each row divided by its L2 norm (zero rows stay zero)."""
    x = np.asarray(x, dtype=float)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), eps)


def nearest_songs(embeddings, query, k=10, exclude_self=True):
    """The ``k`` songs most cosine-similar to song index ``query`` → (indices, similarities), best first."""
    e = normalize_rows(embeddings)
    if not 0 <= int(query) < len(e):
        raise ValueError(f"query must be a song index in 0..{len(e) - 1}, got {query!r}")
    sim = e @ e[int(query)]
    if exclude_self:
        sim[int(query)] = -np.inf
    order = np.argsort(-sim, kind="stable")[:int(k)]
    return order, sim[order]


def content_scores(plays, embeddings, center=True):
    """Content-based scores (n_users, n_songs): cosine between each song's embedding and the user's
    taste profile, the log(1 + plays)-weighted mean of the unit embeddings of the songs they played.

    ``center`` first subtracts the mean embedding, so cosine compares how songs differ from the
    average song (ReLU features are all positive and otherwise look alike). Works for songs nobody
    has played: all it needs is their audio embedding.

        >>> content_scores([[2, 0, 0]], [[1, 0], [0.9, 0.1], [0, 1]], center=False).round(2)
        array([[1.  , 0.99, 0.  ]])
    """
    plays = _check_plays(plays)
    e = np.asarray(embeddings, dtype=float)
    if e.ndim != 2 or len(e) != plays.shape[1]:
        raise ValueError(f"embeddings must be (n_songs={plays.shape[1]}, dim), got shape {e.shape}")
    e = normalize_rows(e - e.mean(axis=0) if center else e)
    profiles = normalize_rows(np.log1p(plays.astype(float)) @ e)
    return profiles @ e.T


@dataclass
class FactorRegressor:
    """Ridge regression from audio embeddings to CF song factors (van den Oord et al. 2013):
    ``W = (EᵀE + reg I)⁻¹ EᵀY`` on centred data, fitted on warm songs, applied to cold ones.

        >>> r = FactorRegressor(reg=1e-6).fit(np.eye(3), np.arange(6.0).reshape(3, 2))
        >>> np.round(r.predict(np.eye(3)), 3).tolist()
        [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    """

    reg: float = 1.0
    weights: np.ndarray = field(default=None, repr=False)
    bias: np.ndarray = field(default=None, repr=False)

    def fit(self, embeddings, factors):
        e, y = np.asarray(embeddings, dtype=float), np.asarray(factors, dtype=float)
        if e.ndim != 2 or y.ndim != 2 or len(e) != len(y) or len(e) == 0:
            raise ValueError(f"embeddings and factors must be 2-D with the same rows, got {e.shape} and {y.shape}")
        if self.reg < 0:
            raise ValueError(f"reg must be ≥ 0, got {self.reg!r}")
        e_mean, y_mean = e.mean(axis=0), y.mean(axis=0)
        ec = e - e_mean
        self.weights = np.linalg.solve(ec.T @ ec + self.reg * np.eye(e.shape[1]), ec.T @ (y - y_mean))
        self.bias = y_mean - e_mean @ self.weights
        return self

    def predict(self, embeddings):
        if self.weights is None:
            raise ValueError("FactorRegressor is not fitted yet: call fit(embeddings, factors) first")
        return np.asarray(embeddings, dtype=float) @ self.weights + self.bias


def hybrid_scores(*score_matrices, weights=None, candidates=None):
    """Blend recommenders: each user's scores are standardised (over ``candidates``) per source,
    then averaged with ``weights`` (default equal), so no source dominates by its scale."""
    if not score_matrices:
        raise ValueError("hybrid_scores needs at least one score matrix")
    shapes = {np.shape(s) for s in score_matrices}
    if len(shapes) != 1:
        raise ValueError(f"score matrices must share one shape, got {sorted(shapes)}")
    weights = np.ones(len(score_matrices)) if weights is None else np.asarray(weights, dtype=float)
    if len(weights) != len(score_matrices):
        raise ValueError(f"got {len(weights)} weights for {len(score_matrices)} score matrices")
    cols = slice(None) if candidates is None else np.asarray(candidates, dtype=bool)
    total = 0.0
    for w, s in zip(weights, score_matrices):
        s = np.asarray(s, dtype=float)
        mean, std = s[:, cols].mean(axis=1, keepdims=True), s[:, cols].std(axis=1, keepdims=True)
        total = total + w * (s - mean) / np.where(std > 0, std, 1.0)
    return total / weights.sum()
