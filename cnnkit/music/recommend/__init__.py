"""Music recommendation: listening histories, implicit ALS, ranking metrics, audio embeddings for cold start.

Collaborative filtering (CF) learns a vector per user and per song from *who played what*; a song
nobody has played gets no vector, so CF cannot recommend it (the cold-start problem). A CNN that
hears the audio gives every song an embedding, played or not, which :mod:`.content` turns into
recommendations. One concern per module:

- :mod:`.histories`: :func:`make_listening_histories`, :func:`cold_start_split` (:class:`ColdStartSplit`),
  :func:`leave_one_out`;
- :mod:`.als`: :func:`confidence`, :func:`implicit_loss`, :func:`als_step`, :class:`ImplicitALS`;
- :mod:`.ranking`: :func:`top_k`, :func:`hit_rate_at_k`, :func:`recall_at_k`, :func:`random_hit_rate`,
  :func:`popularity_bias`;
- :mod:`.evaluate`: :func:`compare_on_pool` (every recommender on one candidate pool, lift over random),
  :func:`mean_auc`, :func:`map_at_k`, the :func:`popularity_scores` and :func:`genre_scores` baselines, :func:`gini`;
- :mod:`.content`: :func:`normalize_rows`, :func:`nearest_songs`, :func:`content_scores`,
  :class:`FactorRegressor`, :func:`hybrid_scores`;
- :mod:`.intervals`: :func:`user_hits` (each user's hit and random's chance of one), :func:`bootstrap_lift`
  (lifts over random with a bootstrap interval over users, paired across recommenders).

    >>> import numpy as np
    >>> from cnnkit.music import recommend as rec
    >>> genres = np.repeat(np.arange(4), 25)                          # 100 songs, 4 genres
    >>> plays = rec.make_listening_histories(300, genres, seed=0)          # (300, 100) play counts
    >>> split = rec.cold_start_split(plays, n_cold=20, seed=0)        # 20 songs lose all plays
    >>> als = rec.ImplicitALS(factors=8, seed=0).fit(split.train)
    >>> cf = als.scores()                                             # (300, 100); 0 for cold songs
    >>> float(np.abs(cf[:, split.cold_mask]).max())
    0.0
    >>> relevant, others = rec.leave_one_out(split.test, seed=0)      # one cold song per user to find
    >>> cf_hits = rec.hit_rate_at_k(cf, relevant, k=5, candidates=split.cold_mask, exclude=others)
    >>> chance = rec.random_hit_rate(relevant, k=5, candidates=split.cold_mask, exclude=others)
    >>> round(cf_hits, 2), round(chance, 2)               # CF can only rank cold songs at random
    (0.31, 0.29)

Everything is dense NumPy: fine for course-sized catalogues (thousands of users × songs).
"""
from .als import ImplicitALS, als_step, confidence, implicit_loss
from .content import FactorRegressor, content_scores, hybrid_scores, nearest_songs, normalize_rows
from .evaluate import compare_on_pool, genre_scores, gini, map_at_k, mean_auc, popularity_scores
from .histories import ColdStartSplit, cold_start_split, leave_one_out, make_listening_histories
from .intervals import bootstrap_lift, user_hits
from .ranking import hit_rate_at_k, popularity_bias, random_hit_rate, recall_at_k, top_k

__all__ = [
    "ColdStartSplit", "FactorRegressor", "ImplicitALS", "als_step", "bootstrap_lift", "cold_start_split",
    "compare_on_pool", "confidence", "content_scores", "genre_scores", "gini", "hit_rate_at_k", "hybrid_scores",
    "implicit_loss", "leave_one_out", "make_listening_histories", "map_at_k", "mean_auc", "nearest_songs",
    "normalize_rows", "popularity_bias", "popularity_scores", "random_hit_rate", "recall_at_k", "top_k", "user_hits",
]
