"""Song-level decisions from slice-level predictions: majority or mean vote, with abstention.

A CNN classifies each spectrogram slice; a song's genre is the vote of its slices::

    >>> from cnnkit.music.voting import vote, vote_songs
    >>> vote([[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]])    # 2 of 3 slices say class 0
    (0, 0.6666666666666666)
    >>> vote_songs([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9]], [7, 7, 3])
    (array([3, 7]), array([1, 0]), array([1., 1.]))
"""
import numpy as np

from cnnkit._checks import Array, Choice, Fraction, check_choice, check_number, contract

#: the label :func:`vote` returns when the confidence is below ``abstain_below``
ABSTAIN = -1


@contract(slice_probabilities=Array(ndim=2, low=0).describe("an (n_slices, n_classes) array of non-negative scores"),
          method=Choice("majority", "mean"), abstain_below=Fraction(allow_one=True) | None)
def vote(slice_probabilities, *, method="majority", abstain_below=None):
    """A song's ``(label, confidence)`` from its slices' class probabilities ``(n_slices, n_classes)``.

    - ``"majority"``: each slice votes for its most probable class; the label is the class with the
      most votes, the confidence its share of the votes. A tie between classes with equally many
      votes goes to the one with the higher mean probability, then to the lowest class index.
    - ``"mean"``: the label maximises the mean probability over slices (ties → lowest class index),
      the confidence is that mean probability.

    Args:
        slice_probabilities: ``(n_slices, n_classes)`` finite, non-negative scores (softmax outputs).
        method: ``"majority"`` or ``"mean"`` (above).
        abstain_below: a confidence in [0, 1] under which the song gets no label, or None.

    Returns:
        ``(label, confidence)``: the label is :data:`ABSTAIN` (-1) when the confidence is below
        ``abstain_below`` (the model declines to name a genre); the confidence is returned either way.

    Example:
        >>> vote([[0.6, 0.4], [0.4, 0.6]])                   # 1 vote each, equal means → class 0
        (0, 0.5)
        >>> vote([[0.6, 0.4], [0.4, 0.6]], abstain_below=0.6)
        (-1, 0.5)
    """
    p = np.asarray(slice_probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] == 0:
        raise ValueError(f"slice_probabilities must be a non-empty (n_slices, n_classes) array, got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise ValueError("slice_probabilities must be finite and non-negative")
    check_choice(method, "method", ("majority", "mean"))
    if abstain_below is not None:
        abstain_below = check_number(abstain_below, "abstain_below", low=0.0, high=1.0)
    mean = p.mean(axis=0)
    if method == "majority":
        counts = np.bincount(p.argmax(axis=1), minlength=p.shape[1])
        tied = np.flatnonzero(counts == counts.max())
        label = int(tied[np.argmax(mean[tied])])  # argmax returns the first (lowest index) maximum
        confidence = counts[label] / p.shape[0]
    else:
        label = int(np.argmax(mean))
        confidence = mean[label]
    confidence = float(confidence)
    if abstain_below is not None and confidence < abstain_below:
        return ABSTAIN, confidence
    return label, confidence


@contract(slice_probabilities=Array(ndim=2, low=0).describe("an (n_slices, n_classes) array of non-negative scores"),
          song_index=Array(ndim=1, integer=True), method=Choice("majority", "mean"),
          abstain_below=Fraction(allow_one=True) | None)
def vote_songs(slice_probabilities, song_index, *, method="majority", abstain_below=None):
    """:func:`vote` for every song at once: slices ``i`` with the same ``song_index[i]`` are one song.

    Args:
        slice_probabilities: ``(n_slices, n_classes)`` scores, as for :func:`vote`.
        song_index: ``(n_slices,)`` the song each slice comes from (any integers).
        method: as for :func:`vote`.
        abstain_below: as for :func:`vote`.

    Returns:
        ``(songs, labels, confidences)``: the sorted unique song indices and, for each, the voted label
        (:data:`ABSTAIN` when it abstains) and its confidence.

    Example:
        >>> vote_songs([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9]], [7, 7, 3])
        (array([3, 7]), array([1, 0]), array([1., 1.]))
    """
    p = np.asarray(slice_probabilities)
    song_index = np.asarray(song_index)
    if p.ndim != 2 or song_index.shape != (p.shape[0],):
        raise ValueError(f"song_index must have one entry per slice: slice_probabilities has shape {p.shape}, "
                         f"song_index has shape {song_index.shape}")
    songs = np.unique(song_index)
    labels = np.empty(len(songs), dtype=int)
    confidences = np.empty(len(songs))
    for k, song in enumerate(songs):
        labels[k], confidences[k] = vote(p[song_index == song], method=method, abstain_below=abstain_below)
    return songs, labels, confidences
