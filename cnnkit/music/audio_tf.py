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


def mel_filter_bank(sr, n_fft, n_mels, fmin=0.0, fmax=None):
    """The HTK mel filter bank without normalisation, shape ``(n_mels, n_fft // 2 + 1)``, float32."""
    import librosa

    if fmax is not None and not 0 <= fmin < fmax <= sr / 2:
        raise ValueError(f"need 0 ≤ fmin < fmax ≤ sr/2, got fmin={fmin}, fmax={fmax}, sr={sr}")
    return librosa.filters.mel(sr=sr, n_fft=int(n_fft), n_mels=int(n_mels), fmin=fmin, fmax=fmax,
                               htk=True, norm=None).astype(np.float32)


def mel_spectrogram_tf(y, sr, n_fft=2048, hop=512, n_mels=128, fmin=0.0, fmax=None, db=True,
                       top_db=80.0, amin=1e-10):
    """Mel power spectrogram of ``y`` (``(samples,)`` or ``(batch, samples)``) with TensorFlow ops.

    Returns ``(n_mels, n_frames)`` or ``(batch, n_mels, n_frames)`` with ``n_frames = 1 + samples // hop``,
    the same layout as :func:`cnnkit.music.audio.spectrogram`. With ``db=True``, each example is in dB
    relative to its own peak and clipped at ``-top_db``.
    """
    y = tf.convert_to_tensor(y, dtype=tf.float32)
    single = y.shape.rank == 1
    if y.shape.rank not in (1, 2):
        raise ValueError(f"y must be (samples,) or (batch, samples), got shape {tuple(y.shape)}")
    n_fft, hop = int(n_fft), int(hop)
    if n_fft < 2 or hop < 1:
        raise ValueError(f"n_fft must be ≥ 2 and hop ≥ 1, got n_fft={n_fft}, hop={hop}")
    if y.shape[-1] is not None and y.shape[-1] <= n_fft // 2:
        raise ValueError(f"y has {y.shape[-1]} samples; reflect padding needs more than n_fft // 2 = {n_fft // 2}")
    if single:
        y = y[tf.newaxis]
    frames = tf.pad(y, [[0, 0], [n_fft // 2, n_fft // 2]], mode="REFLECT")
    stft = tf.signal.stft(frames, frame_length=n_fft, frame_step=hop, fft_length=n_fft,
                          window_fn=tf.signal.hann_window, pad_end=False)
    power = tf.math.square(tf.math.real(stft)) + tf.math.square(tf.math.imag(stft))  # (batch, frames, bins)
    bank = tf.constant(mel_filter_bank(sr, n_fft, n_mels, fmin, fmax).T)              # (bins, n_mels)
    mel = tf.transpose(tf.matmul(power, bank), [0, 2, 1])                              # (batch, n_mels, frames)
    if db:
        mel = power_to_db_tf(mel, top_db=top_db, amin=amin)
    return mel[0] if single else mel


def power_to_db_tf(power, top_db=80.0, amin=1e-10):
    """``10 log10(power / peak)`` per example (axis 0 is the batch), clipped at ``-top_db``."""
    power = tf.convert_to_tensor(power, dtype=tf.float32)
    axes = list(range(1, power.shape.rank))
    log10 = tf.math.log(tf.constant(10.0))
    db = 10.0 * tf.math.log(tf.maximum(power, amin)) / log10
    peak = tf.reduce_max(power, axis=axes, keepdims=True)
    db = db - 10.0 * tf.math.log(tf.maximum(peak, amin)) / log10
    if top_db is not None:
        db = tf.maximum(db, -float(top_db))
    return db


@keras.saving.register_keras_serializable(package="cnnkit")
class LogMelSpectrogram(keras.layers.Layer):
    """Keras layer: waveforms ``(batch, samples)`` → per-example dB mel spectrograms.

    Output ``(batch, n_mels, n_frames, 1)`` (an image with one channel, ready for ``Conv2D``), or
    ``(batch, n_mels, n_frames)`` with ``add_channel=False``. ``scale=True`` maps [-top_db, 0] dB to [0, 1].

        >>> inputs = keras.Input(shape=(22050,))                                   # doctest: +SKIP
        >>> x = LogMelSpectrogram(22050, n_fft=1024, hop=512, n_mels=64)(inputs)     # doctest: +SKIP
    """

    def __init__(self, sr, n_fft=2048, hop=512, n_mels=128, fmin=0.0, fmax=None, top_db=80.0,
                 scale=False, add_channel=True, **kwargs):
        super().__init__(**kwargs)
        self.sr, self.n_fft, self.hop, self.n_mels = int(sr), int(n_fft), int(hop), int(n_mels)
        self.fmin, self.fmax, self.top_db = fmin, fmax, top_db
        self.scale, self.add_channel = bool(scale), bool(add_channel)
        if self.scale and top_db is None:
            raise ValueError("scale=True needs a top_db (the dB range mapped to [0, 1])")

    def call(self, inputs):
        S = mel_spectrogram_tf(inputs, self.sr, self.n_fft, self.hop, self.n_mels, self.fmin, self.fmax,
                               db=True, top_db=self.top_db)
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
