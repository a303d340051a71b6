"""Checks for class labels and scores, shared by :mod:`cnnkit.metrics` and the application metrics.

    >>> from cnnkit._checks.labels import check_label_pair, check_labels, check_labels_and_scores
    >>> check_labels([0, 2, 1.0], "y").tolist()
    [0, 2, 1]
    >>> check_label_pair([0, 1], [1, 1])[2]                  # the number of classes the labels imply
    2
    >>> check_labels_and_scores([0, 1], [0.5, float("nan")])
    Traceback (most recent call last):
    ...
    ValueError: scores must be finite numbers (found NaN or inf)
"""
import numpy as np

from cnnkit._checks.values import check_array, check_int

__all__ = ["check_label_pair", "check_labels", "check_labels_and_scores"]


def check_labels(y, name):
    """``y`` as a non-empty 1-D int64 array of labels ≥ 0 (bools count as 0/1)."""
    y = check_array(y, name, ndim=1, finite=False)
    if len(y) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of labels, got shape {y.shape}")
    if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        raise ValueError(f"{name} must hold integer labels, got {y[:5]!r}…")
    if y.min() < 0:
        raise ValueError(f"{name} must hold labels ≥ 0, got {int(y.min())}")
    return y.astype(np.int64)


def check_label_pair(y_true, y_pred, n_classes=None):
    """Both label arrays, checked to be the same length, and ``n_classes`` (default: largest label + 1)."""
    y_true, y_pred = check_labels(y_true, "y_true"), check_labels(y_pred, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}")
    top = int(max(y_true.max(), y_pred.max())) + 1
    if n_classes is None:
        return y_true, y_pred, top
    n_classes = check_int(n_classes, "n_classes", low=1)
    if n_classes < top:
        raise ValueError(f"n_classes={n_classes} but the labels go up to {top - 1}")
    return y_true, y_pred, n_classes


def check_labels_and_scores(y_true, scores):
    """``y_true`` as integer labels and ``scores`` as finite floats of the same shape."""
    y_true = check_labels(y_true, "y_true")
    scores = check_array(scores, "scores", finite=False).astype(np.float64)
    if scores.shape != y_true.shape:
        raise ValueError(f"scores has shape {scores.shape} but y_true has {y_true.shape}")
    if not np.all(np.isfinite(scores)):
        raise ValueError("scores must be finite numbers (found NaN or inf)")
    return y_true, scores
