"""Hand-crafted song features for a non-CNN baseline: MFCC and spectral statistics per song.

Before CNNs, genre classifiers summarised a song by a few statistics of its short-time features
(Tzanetakis & Cook 2002: timbre, rhythm and pitch features with a GMM or k-NN). :func:`song_features`
gives each song the mean and standard deviation of its MFCCs, spectral centroid, bandwidth, roll-off,
flatness, zero-crossing rate and RMS, and its tempo: one row per song for a logistic regression::

    >>> from cnnkit.music import make_songs
    >>> songs = make_songs(2, duration=2.0, sr=8000, seed=0)
    >>> X = song_features(songs, n_mfcc=13)
    >>> X.shape, len(feature_names(n_mfcc=13))
    ((2, 39), 39)
"""
from functools import lru_cache

import numpy as np

from cnnkit._checks import Has, Int, Labels, check_int, contract

_SPECTRAL = ("centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms")


@contract(n_mfcc=Int(low=1))
def feature_names(*, n_mfcc=20):
    """The names of :func:`song_features`' columns, in order (``mfcc01_mean`` … ``rms_std``, ``tempo``).

    Args:
        n_mfcc: the MFCCs per frame, as in :func:`song_features`.

    Returns:
        A list of ``2 · (n_mfcc + 6) + 1`` strings.

    Example:
        >>> feature_names(n_mfcc=2)[:3], feature_names(n_mfcc=2)[-1]
        (['mfcc01_mean', 'mfcc02_mean', 'centroid_mean'], 'tempo')
    """
    n_mfcc = check_int(n_mfcc, "n_mfcc", low=1)
    rows = [f"mfcc{i + 1:02d}" for i in range(n_mfcc)] + list(_SPECTRAL)
    return [f"{r}_mean" for r in rows] + [f"{r}_std" for r in rows] + ["tempo"]


@lru_cache(maxsize=8)
def _mel_bank(sr, n_fft):
    import librosa

    return librosa.filters.mel(sr=sr, n_fft=n_fft)


def _one(y, sr, n_mfcc, n_fft, hop):
    import librosa

    mag = np.abs(librosa.stft(np.asarray(y, dtype=np.float32), n_fft=n_fft, hop_length=hop))   # (bins, frames)
    mel_db = librosa.power_to_db(_mel_bank(sr, n_fft) @ (mag ** 2))
    freqs = np.fft.rfftfreq(n_fft, 1 / sr).astype(np.float32)[:, None]
    total = np.maximum(mag.sum(axis=0), 1e-12)
    centroid = (freqs * mag).sum(axis=0) / total                          # librosa.feature.spectral_centroid
    bandwidth = np.sqrt((mag * (freqs - centroid) ** 2).sum(axis=0) / total)
    rolloff = freqs[np.argmax(np.cumsum(mag, axis=0) >= 0.85 * total, axis=0), 0]
    rows = np.vstack([
        librosa.feature.mfcc(S=mel_db, n_mfcc=n_mfcc),
        centroid, bandwidth, rolloff,
        librosa.feature.spectral_flatness(S=mag),
        librosa.feature.zero_crossing_rate(y, frame_length=n_fft, hop_length=hop)[0, : mag.shape[1]],
        np.sqrt((mag ** 2).sum(axis=0) * 2 / n_fft ** 2),                  # RMS by Parseval (≈ librosa.feature.rms)
    ])
    onset = librosa.onset.onset_strength(S=mel_db, sr=sr)
    tempo = float(np.atleast_1d(librosa.feature.tempo(onset_envelope=onset, sr=sr, hop_length=hop))[0])
    return np.concatenate([rows.mean(axis=1), rows.std(axis=1), [tempo]])


@contract(songs=Has("labels", what="a Songs or a MusicIndex"), which=Labels() | None, n_mfcc=Int(low=1),
          n_fft=Int(low=16), hop=Int(low=1), sr=Int(low=1))
def song_features(songs, which=None, *, n_mfcc=20, n_fft=2048, hop=1024, sr=22050):
    """One row of summary statistics per song: ``(len(which), 2 · (n_mfcc + 6) + 1)`` float64.

    Columns (see :func:`feature_names`): the mean and the standard deviation over the song's frames of
    its MFCCs, spectral centroid, bandwidth, roll-off, flatness, zero-crossing rate and RMS, then its
    estimated tempo (bpm).

    Args:
        songs: a :class:`~cnnkit.music.songs.Songs` in memory or an on-disk ``MusicIndex`` (read at ``sr``).
        which: the song indices (None: all).
        n_mfcc: the MFCCs per frame.
        n_fft: the STFT frame length in samples (≥ 16).
        hop: the STFT hop in samples.
        sr: the sample rate songs on disk are read at.

    Returns:
        A float64 array, one row per song.

    Example:
        >>> from cnnkit.music import make_songs
        >>> songs = make_songs(2, duration=2.0, sr=8000, seed=0)
        >>> X = song_features(songs, n_mfcc=13)
        >>> X.shape, bool(np.isfinite(X).all())
        ((2, 39), True)
    """
    n_mfcc = check_int(n_mfcc, "n_mfcc", low=1)
    n_fft = check_int(n_fft, "n_fft", low=16)
    hop = check_int(hop, "hop", low=1)
    which = np.arange(len(songs)) if which is None else np.asarray(which)
    if which.ndim != 1 or not np.issubdtype(which.dtype, np.integer):
        raise TypeError(f"which must be a 1-D array of song indices (integers), got {which.dtype} {which.shape}")
    rows = []
    for i in which:
        if hasattr(songs, "audio"):
            y, rate = np.asarray(songs.audio[i], dtype=np.float32), songs.sr
        else:
            y, rate = songs.load(int(i), sr=sr), sr
        rows.append(_one(y, rate, n_mfcc, n_fft, hop))
    return np.stack(rows)
