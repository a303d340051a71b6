"""The mel spectrogram inside the TensorFlow graph, for input pipelines that run on the GPU.

:func:`mel_spectrogram_tf` (and the Keras layer :class:`LogMelSpectrogram`) computes what
``cnnkit.music.audio.spectrogram(y, sr, htk=True, norm=None, pad_mode="reflect")`` computes with librosa,
to within 0.1 dB: centred frames with reflect padding, a periodic Hann window, the power STFT, an
HTK mel filter bank without area normalisation, then decibels relative to **each example's own
peak**, clipped at ``-top_db``. (``keras.layers.MelSpectrogram`` clips ``top_db`` against the
peak of the whole batch, so one loud song changes the quiet songs' spectrograms; this does not.)

    >>> import numpy as np
    >>> from cnnkit.music.audio_tf import mel_spectrogram_tf
    >>> y = np.random.default_rng(0).normal(size=(2, 22050)).astype("float32")
    >>> tuple(mel_spectrogram_tf(y, 22050, n_fft=1024, hop=512, n_mels=64).shape)
    (2, 64, 44)
"""
import keras
import numpy as np
import tensorflow as tf

from cnnkit._checks import Any_, Array, Bool, Instance, Int, Number, check_int, contract


#: top_db: the dB range kept below each example's peak; 0 would clip everything (and divide by zero when scaled)
_TOP_DB = Number(low=0, low_open=True)


@contract(sr=Int(low=1), n_fft=Int(low=2), n_mels=Int(low=1), fmin=Number(low=0),
          fmax=Number(low=0, low_open=True) | None)
def mel_filter_bank(sr, *, n_fft=2048, n_mels=128, fmin=0.0, fmax=None):
    """The HTK mel filter bank without normalisation, shape ``(n_mels, n_fft // 2 + 1)``, float32.

    Args:
        sr: the sample rate in Hz.
        n_fft: the frame length.
        n_mels: the number of bands.
        fmin: the lowest frequency in Hz.
        fmax: the highest frequency in Hz (None → ``sr / 2``); need ``0 ≤ fmin < fmax ≤ sr / 2``.

    Returns:
        A float32 array ``(n_mels, n_fft // 2 + 1)``.

    Example:
        >>> mel_filter_bank(22050, n_fft=1024, n_mels=40).shape
        (40, 513)
    """
    import librosa

    sr = check_int(sr, "sr", low=1)
    n_fft, n_mels = check_int(n_fft, "n_fft", low=2), check_int(n_mels, "n_mels", low=1)
    if fmax is not None and not 0 <= fmin < fmax <= sr / 2:
        raise ValueError(f"need 0 ≤ fmin < fmax ≤ sr/2, got fmin={fmin}, fmax={fmax}, sr={sr}")
    return librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax,
                               htk=True, norm=None).astype(np.float32)


@contract(y=(Instance("tensorflow.Tensor") | Array(ndim=(1, 2))).describe("(samples,) or (batch, samples) waveforms"),
          sr=Int(low=1), n_fft=Int(low=2), hop=Int(low=1), n_mels=Int(low=1), fmin=Number(low=0),
          fmax=Number(low=0, low_open=True) | None, db=Bool(), top_db=_TOP_DB | None,
          amin=Number(low=0, low_open=True))
def mel_spectrogram_tf(y, sr, *, n_fft=2048, hop=512, n_mels=128, fmin=0.0, fmax=None, db=True,
                       top_db=80.0, amin=1e-10):
    """Mel power spectrogram of ``y`` (``(samples,)`` or ``(batch, samples)``) with TensorFlow ops.

    Builds the filter bank on every call: in a model, use :class:`LogMelSpectrogram`, which builds it once.

    Args:
        y: waveforms, ``(samples,)`` or ``(batch, samples)``, an array or a tensor.
        sr: their sample rate in Hz.
        n_fft: the frame length (see :func:`mel_filter_bank`).
        hop: the hop between frames.
        n_mels: the mel bands.
        fmin: the lowest mel frequency in Hz.
        fmax: the highest mel frequency in Hz (None: ``sr / 2``).
        db: each example in dB relative to its own peak (see :func:`power_to_db_tf`).
        top_db: with ``db``, the dB range kept below each peak (> 0), or None.
        amin: the smallest power used (> 0).

    Returns:
        A tensor ``(n_mels, n_frames)`` or ``(batch, n_mels, n_frames)`` with ``n_frames = 1 + samples // hop``,
        the layout of :func:`cnnkit.music.audio.spectrogram`.

    Example:
        >>> S = mel_spectrogram_tf(np.ones(4096, dtype="float32"), 8000, n_fft=512, hop=256, n_mels=16)
        >>> tuple(S.shape)
        (16, 17)
    """
    bank = mel_filter_bank(sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax)
    return _mel_spectrogram(y, tf.constant(bank.T), n_fft=int(n_fft), hop=hop, db=db, top_db=top_db, amin=amin)


def _mel_spectrogram(y, bank, *, n_fft, hop, db, top_db, amin=1e-10):
    """:func:`mel_spectrogram_tf` with the filter bank given, ``(n_fft // 2 + 1, n_mels)``."""
    y = tf.convert_to_tensor(y, dtype=tf.float32)
    single = y.shape.rank == 1
    if y.shape.rank not in (1, 2):
        raise ValueError(f"y must be (samples,) or (batch, samples), got shape {tuple(y.shape)}")
    hop = check_int(hop, "hop", low=1)
    if y.shape[-1] is not None and y.shape[-1] <= n_fft // 2:
        raise ValueError(f"y has {y.shape[-1]} samples; reflect padding needs more than n_fft // 2 = {n_fft // 2}")
    if single:
        y = y[tf.newaxis]
    frames = tf.pad(y, [[0, 0], [n_fft // 2, n_fft // 2]], mode="REFLECT")
    stft = tf.signal.stft(frames, frame_length=n_fft, frame_step=hop, fft_length=n_fft,
                          window_fn=tf.signal.hann_window, pad_end=False)
    power = tf.math.square(tf.math.real(stft)) + tf.math.square(tf.math.imag(stft))  # (batch, frames, bins)
    mel = tf.transpose(tf.matmul(power, bank), [0, 2, 1])                              # (batch, n_mels, frames)
    if db:
        mel = power_to_db_tf(mel, top_db=top_db, amin=amin)
    return mel[0] if single else mel


@contract(power=(Instance("tensorflow.Tensor") | Array(low=0)).describe("a batch of non-negative powers"),
          top_db=_TOP_DB | None, amin=Number(low=0, low_open=True))
def power_to_db_tf(power, *, top_db=80.0, amin=1e-10):
    """``10 log10(power / peak)`` per example (axis 0 is the batch), clipped at ``-top_db``.

    Args:
        power: a batch of non-negative powers, axis 0 the batch (an array or a tensor).
        top_db: the dB range kept below each example's peak (> 0), or None.
        amin: the smallest power used (> 0).

    Returns:
        A float32 tensor of ``power``'s shape.

    Example:
        >>> power_to_db_tf(np.array([[1.0, 0.1], [0.01, 0.0]]), top_db=30).numpy().round(3).tolist()
        [[0.0, -10.0], [0.0, -30.0]]
    """
    power = tf.convert_to_tensor(power, dtype=tf.float32)
    axes = list(range(1, power.shape.rank))
    log10 = tf.math.log(tf.constant(10.0))
    db = 10.0 * tf.math.log(tf.maximum(power, amin)) / log10
    peak = tf.reduce_max(power, axis=axes, keepdims=True)
    db = db - 10.0 * tf.math.log(tf.maximum(peak, amin)) / log10
    if top_db is not None:
        db = tf.maximum(db, -float(top_db))
    return db


@contract(sr=Int(low=1), n_fft=Int(low=2), hop=Int(low=1), n_mels=Int(low=1), fmin=Number(low=0),
          fmax=Number(low=0, low_open=True) | None, top_db=_TOP_DB | None, scale=Bool(), add_channel=Bool(),
          kwargs=Any_("Keras Layer keywords (name, dtype, trainable…), which Keras checks"))
@keras.saving.register_keras_serializable(package="cnnkit")
class LogMelSpectrogram(keras.layers.Layer):
    """Keras layer: waveforms ``(batch, samples)`` → per-example dB mel spectrograms.

    The mel filter bank is built once, when the layer is made, and reused by every call and trace.

    Args:
        sr: the sample rate in Hz.
        n_fft: as in :func:`mel_spectrogram_tf`.
        hop: as in :func:`mel_spectrogram_tf`.
        n_mels: as in :func:`mel_spectrogram_tf`.
        fmin: as in :func:`mel_spectrogram_tf`.
        fmax: as in :func:`mel_spectrogram_tf`.
        top_db: the dB range kept below each example's peak (> 0), or None.
        scale: map [-top_db, 0] dB to [0, 1] (needs a ``top_db``).
        add_channel: output ``(batch, n_mels, n_frames, 1)`` (an image with one channel, ready for
            ``Conv2D``); False gives ``(batch, n_mels, n_frames)``.
        **kwargs: Keras layer keywords (``name``, ``dtype``…).

    Example:
        >>> inputs = keras.Input(shape=(8000,))
        >>> x = LogMelSpectrogram(8000, n_fft=512, hop=256, n_mels=16)(inputs)
        >>> tuple(x.shape)
        (None, 16, 32, 1)
    """

    def __init__(self, sr, *, n_fft=2048, hop=512, n_mels=128, fmin=0.0, fmax=None, top_db=80.0,
                 scale=False, add_channel=True, **kwargs):
        super().__init__(**kwargs)
        self.sr, self.n_fft = check_int(sr, "sr", low=1), check_int(n_fft, "n_fft", low=2)
        self.hop, self.n_mels = check_int(hop, "hop", low=1), check_int(n_mels, "n_mels", low=1)
        self.fmin, self.fmax, self.top_db = fmin, fmax, top_db
        self.scale, self.add_channel = bool(scale), bool(add_channel)
        if self.scale and top_db is None:
            raise ValueError("scale=True needs a top_db (the dB range mapped to [0, 1])")
        self._bank = tf.constant(mel_filter_bank(self.sr, n_fft=self.n_fft, n_mels=self.n_mels, fmin=fmin,
                                                 fmax=fmax).T)          # (bins, n_mels), built once

    def call(self, inputs):
        S = _mel_spectrogram(inputs, self._bank, n_fft=self.n_fft, hop=self.hop, db=True, top_db=self.top_db)
        if self.scale:
            S = (S + float(self.top_db)) / float(self.top_db)
        return S[..., tf.newaxis] if self.add_channel else S

    def compute_output_shape(self, input_shape):
        frames = None if input_shape[-1] is None else 1 + input_shape[-1] // self.hop
        shape = (input_shape[0], self.n_mels, frames)
        return shape + (1,) if self.add_channel else shape

    def get_config(self):
        config = super().get_config()
        config.update(sr=self.sr, n_fft=self.n_fft, hop=self.hop, n_mels=self.n_mels, fmin=self.fmin,
                      fmax=self.fmax, top_db=self.top_db, scale=self.scale, add_channel=self.add_channel)
        return config
