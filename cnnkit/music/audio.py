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

Reading and resampling use the same stack as ``librosa.load`` (libsndfile, then soxr through
``librosa.resample``); :func:`load_audio` adds clear errors for empty, silent and broken files. The
in-graph (TensorFlow) twin of :func:`spectrogram` lives in :mod:`cnnkit.music.audio_tf`; the slices'
votes in :mod:`cnnkit.music.voting`.
"""
import functools

import numpy as np

from cnnkit._checks import (Array, Bool, Choice, Int, Number, PathLike, check_array, check_choice, check_int,
                            check_number, check_path, check_size, contract)

_SILENCE = 1e-6  # peak amplitude under which a file counts as silent (about -120 dBFS)
#: ``numpy.pad`` modes that :func:`slice_spectrogram` accepts for ``pad``
PAD_MODES = ("constant", "edge", "linear_ramp", "maximum", "mean", "median", "minimum", "reflect", "symmetric",
             "wrap")
#: top_db: the dB range kept below the peak; 0 would clip everything to the peak (and divide by zero when scaled)
_TOP_DB = Number(low=0, low_open=True)
#: slice_spectrogram's pad: False / None (drop the remainder), True ("constant") or a numpy.pad mode
_PAD = (Bool() | Choice(*PAD_MODES)).describe("False, True or a numpy.pad mode name (or None)") | None


@contract(path=PathLike(), sr=Int(low=1) | None)
def load_audio(path, *, sr=22050):
    """Read an audio file as mono float32 samples at ``sr`` Hz.

    Args:
        path: any file libsndfile reads (WAV of any bit depth, FLAC, OGG, AIFF, AU; MP3 with libsndfile ≥ 1.1).
        sr: the sample rate to resample to (an int ≥ 1; soxr, high quality), or None for the file's own rate.

    Returns:
        ``(y, sr)``: 1-D float32 samples in [-1, 1] (stereo is averaged) and their sample rate.

    Raises:
        FileNotFoundError: the file is missing.
        ValueError: the path is a folder, or the file is unreadable or not audio, empty, silent, or holds
            NaN/inf samples (the message names it).

    Example:
        >>> import os, tempfile, soundfile as sf
        >>> path = os.path.join(tempfile.mkdtemp(), "tone.wav")
        >>> sf.write(path, 0.5 * np.sin(np.arange(44100) / 10), 44100)
        >>> y, rate = load_audio(path, sr=22050)
        >>> y.dtype, y.shape, rate
        (dtype('float32'), (22050,), 22050)
    """
    import soundfile as sf

    path = check_path(path, "path", kind="any")
    if path.is_dir():
        raise ValueError(f"path {str(path)!r} is a folder, not an audio file")
    if sr is not None:
        sr = check_int(sr, "sr", low=1)
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
    return resample(y, native_sr, sr), sr


@contract(y=Array(ndim=1), orig_sr=Number(low=0, low_open=True), target_sr=Number(low=0, low_open=True))
def resample(y, orig_sr, target_sr):
    """Resample a 1-D signal from ``orig_sr`` to ``target_sr`` Hz, as float32.

    ``librosa.resample(res_type="soxr_hq")``: soxr's high-quality band-limited resampler.

    Args:
        y: a 1-D signal of finite samples.
        orig_sr: its sample rate in Hz (> 0).
        target_sr: the new sample rate in Hz (> 0).

    Returns:
        The resampled float32 signal.

    Example:
        >>> resample(np.ones(1000), 16000, 8000).shape
        (500,)
    """
    import librosa

    y = _check_signal(y)
    orig_sr = check_number(orig_sr, "orig_sr", low=0.0, low_open=True)
    target_sr = check_number(target_sr, "target_sr", low=0.0, low_open=True)
    if orig_sr == target_sr:
        return y.copy()
    return np.asarray(librosa.resample(y, orig_sr=orig_sr, target_sr=target_sr, res_type="soxr_hq"),
                      dtype=np.float32)


@contract(y=Array(ndim=1), sr=Int(low=1), kind=Choice("mel", "linear"), n_fft=Int(low=2), hop=Int(low=1),
          n_mels=Int(low=1), db=Bool(), top_db=_TOP_DB | None, fmin=Number(low=0),
          fmax=Number(low=0, low_open=True) | None, htk=Bool(),
          norm=(Choice("slaney") | Number(low=0, low_open=True)).describe("'slaney', a number > 0 or None") | None,
          pad_mode=Choice(*PAD_MODES))
def spectrogram(y, sr, *, kind="mel", n_fft=2048, hop=512, n_mels=128, db=True, top_db=80.0,
                fmin=0.0, fmax=None, htk=False, norm="slaney", pad_mode="constant"):
    """The power spectrogram of ``y`` (librosa), shape ``(n_freq, n_frames)``, float32.

    Frames are centred (``n_fft // 2`` samples of ``pad_mode`` padding each side), so
    ``n_frames = 1 + len(y) // hop``. :func:`cnnkit.music.audio_tf.mel_spectrogram_tf` matches
    ``htk=True, norm=None, pad_mode="reflect"``.

    Args:
        y: a 1-D mono signal.
        sr: its sample rate in Hz (an int ≥ 1).
        kind: ``"mel"`` for ``n_mels`` mel bands, ``"linear"`` for the ``n_fft // 2 + 1`` DFT bins.
        n_fft: the frame length in samples (≥ 2).
        hop: the hop between frames in samples (≥ 1).
        n_mels: the mel bands (with ``kind="mel"``).
        db: decibels relative to the clip's own peak (0 dB); every clip is normalised on its own, so a
            silent clip (peak below 1e-6) raises ``ValueError``, as :func:`load_audio` does for a silent file.
        top_db: with ``db``, the dB range kept below the peak (> 0); None keeps everything.
        fmin: the lowest mel frequency in Hz.
        fmax: the highest mel frequency in Hz (≤ ``sr / 2``; None: ``sr / 2``).
        htk: the HTK mel scale instead of Slaney's (librosa's default).
        norm: the mel filters' normalisation: ``"slaney"`` (area), a p-norm number, or None.
        pad_mode: the ``numpy.pad`` mode of the centring padding.

    Returns:
        A float32 array ``(n_freq, n_frames)``: powers, or dB with ``db=True``.

    Raises:
        ValueError: a silent clip with ``db=True``, or ``fmin``/``fmax`` outside ``(0, sr / 2]``.

    Example:
        >>> S = spectrogram(np.random.default_rng(0).normal(size=22050), 22050, n_mels=32)
        >>> S.shape, float(S.max())
        ((32, 44), 0.0)
    """
    import librosa

    y = _check_signal(y)
    sr = check_int(sr, "sr", low=1)
    check_choice(kind, "kind", ("mel", "linear"))
    n_fft = check_int(n_fft, "n_fft", low=2)
    hop = check_int(hop, "hop", low=1)
    n_mels = check_int(n_mels, "n_mels", low=1)
    if len(y) < 1:
        raise ValueError("y is empty")
    if db and np.abs(y).max() < _SILENCE:      # dB relative to the clip's own peak is undefined for silence
        raise ValueError(f"y is silent (peak below {_SILENCE:g}): a spectrogram in dB relative to its own peak "
                         "is undefined (load_audio refuses silent files for the same reason); use db=False")
    if fmax is not None and not fmin < fmax <= sr / 2:
        raise ValueError(f"fmax must lie in (fmin, sr / 2] = ({fmin:g}, {sr / 2:g}] Hz, got {fmax:g}")
    if fmax is None and fmin >= sr / 2:
        raise ValueError(f"fmin must be below sr / 2 = {sr / 2:g} Hz, got {fmin:g}")
    stft = librosa.stft(y, n_fft=n_fft, hop_length=hop, center=True, pad_mode=pad_mode)
    power = stft.real ** 2 + stft.imag ** 2
    if kind == "mel":
        power = np.asarray(_mel_bank(sr, n_fft, n_mels, fmin, fmax, htk, norm) @ power)
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


@contract(power=Array(low=0).describe("an array of non-negative powers"), top_db=_TOP_DB | None,
          amin=Number(low=0, low_open=True))
def power_to_db(power, *, top_db=80.0, amin=1e-10):
    """``10 log10(power / peak)`` clipped at ``-top_db``: 0 dB is the loudest bin of *this* array.

    Same as ``librosa.power_to_db(power, ref=np.max, amin=amin, top_db=top_db)``.

    Args:
        power: an array of non-negative powers (real numbers).
        top_db: the dB range kept below the peak (> 0), or None to keep everything.
        amin: the smallest power taken into account (> 0; avoids log(0)).

    Returns:
        The dB array, of ``power``'s shape, at most 0.

    Example:
        >>> power_to_db(np.array([1.0, 0.1, 0.0]), top_db=50).tolist()
        [0.0, -10.0, -50.0]
    """
    power = np.asarray(power)
    if top_db is not None:
        top_db = check_number(top_db, "top_db", low=0.0, low_open=True)
    if not np.issubdtype(power.dtype, np.floating):
        power = power.astype(np.float64)
    db = np.log10(np.maximum(power, power.dtype.type(amin)))
    db *= 10
    if db.size:
        db -= db.max()          # = 10 log10(max(peak, amin)): the peak becomes exactly 0 dB
    if top_db is not None:
        np.maximum(db, -top_db, out=db)
    return db


@contract(S=Array(ndim=2).describe("a 2-D (n_freq, n_frames) spectrogram"), width=Int(low=1), hop=Int(low=1) | None,
          pad=_PAD, pad_value=Number() | None)
def slice_spectrogram(S, *, width=128, hop=None, pad=False, pad_value=None):
    """Cut a ``(n_freq, n_frames)`` spectrogram into ``(n_slices, n_freq, width)`` windows along time.

    An exact multiple (``n_frames = k * width``) gives ``k`` slices and loses nothing.

    Args:
        S: the spectrogram, frames along axis 1 (finite values).
        width: frames per slice (≥ 1).
        hop: frames between the starts of two slices (≥ 1); None → ``width``: side by side, no overlap.
        pad: False (or None) drops a remainder that cannot fill a whole window, and a clip shorter than
            one window raises ``ValueError``. A ``numpy.pad`` mode (one of :data:`PAD_MODES`; True means
            ``"constant"``) pads the end instead, so the remainder becomes one last slice and a short clip
            gives one slice (no window starts past the last frame).
        pad_value: the value ``"constant"`` pads with; by default ``S.min()`` (silence for a dB
            spectrogram, where 0 would mean "as loud as the peak"). Only for ``pad="constant"``.

    Returns:
        A contiguous array ``(n_slices, n_freq, width)``.

    Raises:
        ValueError: a clip shorter than one slice without ``pad``, or a padded width past this machine's memory.

    Example:
        >>> slice_spectrogram(np.zeros((8, 300)), width=128).shape
        (2, 8, 128)
        >>> slice_spectrogram(np.zeros((8, 300)), width=128, pad="constant").shape
        (3, 8, 128)
        >>> slice_spectrogram(np.arange(3.0)[None], width=8, pad="reflect")[0, 0].tolist()
        [0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0]
    """
    S = check_array(S, "S", ndim=2, finite=False)
    width = check_int(width, "width", low=1)
    hop = width if hop is None else check_int(hop, "hop", low=1)
    if pad is True:
        pad = "constant"
    if pad is not False and pad is not None:
        if not isinstance(pad, str):
            raise TypeError(f"pad must be False, True or a numpy.pad mode name, got {pad!r}")
        check_choice(pad, "pad", PAD_MODES)
    if pad_value is not None and pad != "constant":
        raise ValueError(f"pad_value is only used with pad='constant', got pad={pad!r}")
    n_frames = S.shape[1]
    if pad:
        if n_frames == 0:
            raise ValueError("S has no frames to pad")
        check_size(S.itemsize * S.shape[0] * (max(n_frames - width, 0) // hop + 2) * width, "width", width,
                   "the padded slices")
        # as many windows as it takes to reach the last frame, none starting past the end
        n_slices = min(-(-max(n_frames - width, 0) // hop) + 1, -(-n_frames // hop))
        extra = (n_slices - 1) * hop + width - n_frames
        if extra > 0:
            kwargs = {"constant_values": S.min() if pad_value is None else pad_value} if pad == "constant" else {}
            S = np.pad(S, ((0, 0), (0, extra)), mode=pad, **kwargs)
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
