"""Audio for the music lessons: load a file, turn it into a (mel) spectrogram, cut it into slices.

    >>> import numpy as np
    >>> from cnnkit.music import audio
    >>> sr = 22050
    >>> y = np.sin(2 * np.pi * 440 * np.arange(3 * sr) / sr).astype("float32")
    >>> S = audio.spectrogram(y, sr, n_mels=64)             # (n_mels, n_frames), dB relative to the clip's peak
    >>> S.shape
    (64, 130)
    >>> audio.slice_spectrogram(S, width=64).shape          # two slices; the last 2 frames are dropped
    (2, 64, 64)

The in-graph (TensorFlow) twin of :func:`spectrogram` lives in :mod:`cnnkit.music.audio_tf`; the slices'
votes in :mod:`cnnkit.music.voting`.
"""
import functools
from pathlib import Path

import numpy as np

_SILENCE = 1e-6  # peak amplitude under which a file counts as silent (about -120 dBFS)


def load_audio(path, sr=22050):
    """Read any file libsndfile can (WAV of any bit depth, FLAC, OGG, AIFF, MP3 with libsndfile ≥ 1.1).

    Returns ``(y, sr)``: mono float32 samples in [-1, 1] (stereo is averaged) resampled to ``sr``
    with soxr (``sr=None`` keeps the file's own rate).
    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` naming the file when it is
    unreadable or not audio, empty, silent, or holds NaN/inf samples.

        >>> y, sr = load_audio("song.wav", sr=22050)          # doctest: +SKIP
    """
    import soundfile as sf

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"audio file {str(path)!r} does not exist")
    if sr is not None and (not isinstance(sr, (int, np.integer)) or sr <= 0):
        raise ValueError(f"sr must be a positive integer or None, got {sr!r}")
    if path.stat().st_size == 0:
        raise ValueError(f"audio file {str(path)!r} is empty (0 bytes)")
    try:
        y, native_sr = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as err:  # noqa: BLE001 - libsndfile raises several types for bad files
        raise ValueError(f"audio file {str(path)!r} cannot be read as audio: {err}") from err
    if y.shape[0] == 0:
        raise ValueError(f"audio file {str(path)!r} contains no samples")
    y = y.mean(axis=1) if y.shape[1] > 1 else y[:, 0]
    if not np.isfinite(y).all():
        raise ValueError(f"audio file {str(path)!r} contains NaN or infinite samples")
    if np.abs(y).max() < _SILENCE:
        raise ValueError(f"audio file {str(path)!r} is silent (peak below {_SILENCE:g})")
    if sr is None or sr == native_sr:
        return np.ascontiguousarray(y, dtype=np.float32), int(native_sr)
    return resample(y, native_sr, sr), int(sr)


def resample(y, orig_sr, target_sr):
    """Resample a 1-D signal from ``orig_sr`` to ``target_sr`` Hz with soxr (high quality), as float32."""
    import soxr

    y = np.asarray(y, dtype=np.float32)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D signal, got shape {y.shape}")
    for name, rate in (("orig_sr", orig_sr), ("target_sr", target_sr)):
        if rate is None or rate <= 0:
            raise ValueError(f"{name} must be a positive sample rate, got {rate!r}")
    if orig_sr == target_sr:
        return y.copy()
    return np.asarray(soxr.resample(y, orig_sr, target_sr, quality="HQ"), dtype=np.float32)


def spectrogram(y, sr, kind="mel", n_fft=2048, hop=512, n_mels=128, db=True, top_db=80.0,
                fmin=0.0, fmax=None, htk=False, norm="slaney", pad_mode="constant"):
    """The power spectrogram of ``y`` (librosa), shape ``(n_freq, n_frames)``, float32.

    ``kind="mel"`` gives ``n_mels`` mel bands; ``"linear"`` gives the ``n_fft // 2 + 1`` DFT bins.
    Frames are centred (``n_fft // 2`` samples of ``pad_mode`` padding each side), so
    ``n_frames = 1 + len(y) // hop``. With ``db=True`` the result is in decibels relative to the
    clip's own peak (0 dB) and clipped at ``-top_db``: every clip is normalised on its own.
    ``htk``/``norm`` choose the mel filter bank (librosa's defaults: Slaney scale, area-normalised);
    :func:`cnnkit.music.audio_tf.mel_spectrogram_tf` matches ``htk=True, norm=None, pad_mode="reflect"``.

        >>> S = spectrogram(np.random.default_rng(0).normal(size=22050), 22050, n_mels=32)
        >>> S.shape, float(S.max())
        ((32, 44), 0.0)
    """
    import librosa

    y = _check_signal(y)
    if kind not in ("mel", "linear"):
        raise ValueError(f"kind must be 'mel' or 'linear', got {kind!r}")
    if int(n_fft) < 2 or int(hop) < 1:
        raise ValueError(f"n_fft must be ≥ 2 and hop ≥ 1, got n_fft={n_fft}, hop={hop}")
    if len(y) < 1:
        raise ValueError("y is empty")
    stft = librosa.stft(y, n_fft=int(n_fft), hop_length=int(hop), center=True, pad_mode=pad_mode)
    power = stft.real ** 2 + stft.imag ** 2
    if kind == "mel":
        power = np.asarray(_mel_bank(sr, int(n_fft), int(n_mels), fmin, fmax, htk, norm) @ power)
    if db:
        power = power_to_db(power, top_db=top_db)
    return power.astype(np.float32)


@functools.lru_cache(maxsize=32)
def _mel_bank(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    """librosa's mel filter bank as a sparse matrix (each band touches few bins: ~50× fewer products)."""
    import librosa
    import scipy.sparse

    bank = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
    return scipy.sparse.csr_matrix(bank)


def power_to_db(power, top_db=80.0, amin=1e-10):
    """``10 log10(power / peak)`` clipped at ``-top_db``: 0 dB is the loudest bin of *this* array.

    Same as ``librosa.power_to_db(power, ref=np.max, amin=amin, top_db=top_db)``.
    """
    power = np.asarray(power)
    if not np.issubdtype(power.dtype, np.floating):
        power = power.astype(np.float64)
    db = np.log10(np.maximum(power, power.dtype.type(amin)))
    db *= 10
    if db.size:
        db -= db.max()          # = 10 log10(max(peak, amin)): the peak becomes exactly 0 dB
    if top_db is not None:
        if top_db < 0:
            raise ValueError(f"top_db must be non-negative, got {top_db}")
        np.maximum(db, -float(top_db), out=db)
    return db


def slice_spectrogram(S, width=128, hop=None, pad=False, pad_value=None):
    """Cut a ``(n_freq, n_frames)`` spectrogram into ``(n_slices, n_freq, width)`` windows along time.

    Window ``i`` starts at frame ``i * hop`` (``hop=None`` → ``width``: side by side, no overlap).

    - an exact multiple (``n_frames = k * width``) gives ``k`` slices and loses nothing;
    - a remainder that cannot fill a whole window is **dropped** when ``pad=False`` (the default);
    - a clip shorter than one window raises ``ValueError`` when ``pad=False``.

    With ``pad`` set to a ``numpy.pad`` mode (``"constant"``, ``"edge"``, ``"reflect"``, ``"wrap"``…)
    the end of the spectrogram is padded instead, so the remainder becomes one last slice and a
    short clip gives one slice (no window starts past the last frame). ``"constant"`` pads with ``pad_value``, by default ``S.min()``
    (silence for a dB spectrogram, where 0 would mean "as loud as the peak").

        >>> slice_spectrogram(np.zeros((8, 300)), width=128).shape
        (2, 8, 128)
        >>> slice_spectrogram(np.zeros((8, 300)), width=128, pad="constant").shape
        (3, 8, 128)
    """
    S = np.asarray(S)
    if S.ndim != 2:
        raise ValueError(f"S must be a 2-D (n_freq, n_frames) spectrogram, got shape {S.shape}")
    width = int(width)
    hop = width if hop is None else int(hop)
    if width < 1 or hop < 1:
        raise ValueError(f"width and hop must be ≥ 1, got width={width}, hop={hop}")
    n_frames = S.shape[1]
    if pad is True:
        pad = "constant"
    if pad is not False and pad is not None:
        if n_frames == 0:
            raise ValueError("S has no frames to pad")
        # as many windows as it takes to reach the last frame, none starting past the end
        n_slices = min(-(-max(n_frames - width, 0) // hop) + 1, -(-n_frames // hop))
        extra = (n_slices - 1) * hop + width - n_frames
        if extra > 0:
            kwargs = {}
            if pad == "constant":
                kwargs["constant_values"] = S.min() if pad_value is None else pad_value
            mode = pad
            if pad in ("reflect", "symmetric") and extra >= n_frames:
                mode = "wrap"  # numpy can reflect at most n_frames - 1 frames at once
            try:
                S = np.pad(S, ((0, 0), (0, extra)), mode=mode, **kwargs)
            except ValueError as err:
                raise ValueError(f"pad={pad!r} is not a numpy.pad mode usable here: {err}") from err
    elif n_frames < width:
        raise ValueError(f"the spectrogram has {n_frames} frames, fewer than one slice of width={width}; "
                         "use a shorter width or pad='constant'")
    windows = np.lib.stride_tricks.sliding_window_view(S, width, axis=1)[:, ::hop]
    return np.ascontiguousarray(windows.transpose(1, 0, 2))


def _check_signal(y):
    y = np.asarray(y, dtype=np.float32)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D mono signal, got shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("y contains NaN or infinite samples")
    return y
