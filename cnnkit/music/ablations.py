"""Ablations for Sturm's "horse" test: change one factor of the same songs and see which cue a classifier follows.

Sturm (2014, *A simple method to determine if a music information retrieval system is a "horse"*, IEEE Trans.
Multimedia 16(6)) borrows the controlled experiments that unmasked Clever Hans, the horse that "counted" by
reading its questioner: change the input in a way that should not matter (or that removes one cue) and see
whether the system's answers change. The synthesiser's factors are controllable, so here both kinds of change
are exact:

- factors the synthetic genres are made of, changed in the same songs by :func:`~cnnkit.music.make_songs`
  (``drums=False``, ``instruments=INSTRUMENT_SWAP``, ``tempo_scale=…``);
- a factor they are not made of, a recording's tone: :func:`tilt_eq`;
- a horse built on purpose: a cue unrelated to music given to each song by a *cue label*, :func:`add_tone` (a
  faint steady tone) or :func:`add_loudness_cue` (a level per class). Correlate the cue with the genre in
  training, then decorrelate it at test time (give each song another genre's cue): a horse follows the cue.

    >>> import numpy as np
    >>> x = np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)[None].astype(np.float32)
    >>> y = add_tone(x, [2], 8000, level_db=-20.0)
    >>> spectrum = np.abs(np.fft.rfft(y[0] - x[0]))
    >>> int(np.argmax(spectrum)) == CUE_TONES[2]            # 1 Hz bins: the cue sits at its frequency
    True
"""
import numpy as np

from cnnkit._checks import Array, Int, Labels, Number, Seq, contract

#: each genre played on its partner's instruments (an involution: classical ↔ rock, electronic ↔ jazz,
#: hip-hop ↔ reggae), for :func:`~cnnkit.music.make_songs`'s ``instruments``
INSTRUMENT_SWAP = {"classical": "rock", "rock": "classical", "electronic": "jazz", "jazz": "electronic",
                   "hip-hop": "reggae", "reggae": "hip-hop"}
#: the horse's steady tones (Hz), one per cue label: mid frequencies every genre reaches, a little off the
#: equal-tempered notes of the songs (A4 = 440 Hz), so no song plays them by chance
CUE_TONES = (523 + 7, 659 + 9, 784 + 11, 988 + 13, 1175 + 17, 1397 + 19)


def _check_pairs(audio, cues):
    audio = np.asarray(audio, dtype=np.float32)
    cues = np.asarray(cues, dtype=np.int64)
    if len(cues) != len(audio):
        raise ValueError(f"cues must hold one cue label per song ({len(audio)}), got {len(cues)}")
    return audio, cues


@contract(audio=Array(ndim=2), sr=Int(low=8000), db_per_octave=Number(low=-12.0, high=12.0),
          pivot=Number(low=20.0, high=20000.0), limit_db=Number(low=0.0, high=40.0))
def tilt_eq(audio, sr, *, db_per_octave=3.0, pivot=1000.0, limit_db=12.0):
    """A tilt equaliser: each frequency's gain is ``db_per_octave × log2(f / pivot)`` dB, within ±``limit_db``.

    The kind of tone change a different microphone, room or mastering makes: no note, drum or rhythm changes,
    so the genre does not. Applied in the frequency domain (one FFT per song); each song keeps its peak level.

    Args:
        audio: ``(n_songs, n_samples)`` samples.
        sr: their sample rate in Hz.
        db_per_octave: the tilt (positive: brighter, negative: darker), between -12 and 12.
        pivot: the frequency whose gain is 0 dB.
        limit_db: the largest boost or cut (frequencies below 20 Hz count as 20 Hz).

    Returns:
        The equalised ``(n_songs, n_samples)`` float32 audio, each song at its original peak.

    Example:
        >>> sr, t = 8000, np.arange(8000) / 8000
        >>> x = (np.sin(2 * np.pi * 500 * t) + np.sin(2 * np.pi * 2000 * t))[None]
        >>> spectrum = np.abs(np.fft.rfft(tilt_eq(x, sr, db_per_octave=3.0)[0]))
        >>> round(float(20 * np.log10(spectrum[2000] / spectrum[500])), 2)        # two octaves apart: 6 dB
        6.0
    """
    audio = np.asarray(audio, dtype=np.float32)
    freqs = np.fft.rfftfreq(audio.shape[1], 1 / sr)
    gain_db = np.clip(db_per_octave * np.log2(np.maximum(freqs, 20.0) / pivot), -limit_db, limit_db)
    out = np.fft.irfft(np.fft.rfft(audio, axis=1) * 10 ** (gain_db / 20), n=audio.shape[1], axis=1)
    peak_in, peak_out = np.abs(audio).max(axis=1, keepdims=True), np.abs(out).max(axis=1, keepdims=True)
    return (out * np.divide(peak_in, peak_out, out=np.zeros_like(peak_in), where=peak_out > 0)).astype(np.float32)


@contract(audio=Array(ndim=2), cues=Labels(), sr=Int(low=8000), level_db=Number(low=-80.0, high=0.0),
          frequencies=Seq(Number(low=20.0, high=20000.0)))
def add_tone(audio, cues, sr, *, level_db=-30.0, frequencies=CUE_TONES):
    """A horse's cue: a steady sine at ``frequencies[cues[i]]`` added to song ``i``, ``level_db`` below its RMS.

    A tone that no genre is made of, faint beside the music (−30 dB is a thousandth of its power), but present
    in every frame, breakdowns included.

    Args:
        audio: ``(n_songs, n_samples)`` samples.
        cues: one cue label per song (an index into ``frequencies``): the genre labels to build the horse,
            other labels to decorrelate it.
        sr: the sample rate in Hz; every frequency must be below ``sr / 2``.
        level_db: the tone's RMS relative to the song's, in dB (≤ 0).
        frequencies: the tone of each cue label, in Hz.

    Returns:
        ``(n_songs, n_samples)`` float32: each song plus its tone (the level is not renormalised).

    Example:
        >>> x = np.random.default_rng(0).normal(size=(2, 8000)).astype(np.float32)
        >>> tone = add_tone(x, [0, 1], 8000, level_db=-20.0) - x
        >>> [round(float(r), 3) for r in np.sqrt((tone ** 2).mean(axis=1) / (x ** 2).mean(axis=1))]   # -20 dB
        [0.1, 0.1]
    """
    audio, cues = _check_pairs(audio, cues)
    frequencies = np.asarray(frequencies, dtype=np.float64)
    if cues.max() >= len(frequencies):
        raise ValueError(f"cues must be indices into frequencies (0..{len(frequencies) - 1}), got {cues.max()}")
    if frequencies.max() >= sr / 2:
        raise ValueError(f"frequencies must be below sr / 2 = {sr / 2:g} Hz, got {frequencies.max():g}")
    t = np.arange(audio.shape[1]) / sr
    rms = np.sqrt((audio.astype(np.float64) ** 2).mean(axis=1, keepdims=True))
    tones = np.sqrt(2) * np.sin(2 * np.pi * frequencies[cues][:, None] * t)        # unit RMS
    return (audio + rms * 10 ** (level_db / 20) * tones).astype(np.float32)


@contract(audio=Array(ndim=2), cues=Labels(), step_db=Number(low=-20.0, high=20.0))
def add_loudness_cue(audio, cues, *, step_db=-4.0):
    """A horse's cue: song ``i`` made ``step_db × cues[i]`` dB louder (a level per class, nothing else).

    Every song keeps its own random level from the synthesiser on top. A spectrogram in dB relative to each
    song's peak (what the course's CNN sees) cannot tell the difference; absolute-level features can.

    Args:
        audio: ``(n_songs, n_samples)`` samples.
        cues: one cue label per song (≥ 0).
        step_db: the level change per cue label, in dB.

    Returns:
        ``(n_songs, n_samples)`` float32, song ``i`` scaled by ``10 ** (step_db * cues[i] / 20)``.

    Example:
        >>> [round(float(v), 3) for v in add_loudness_cue(np.ones((3, 2)), [0, 1, 2], step_db=-20.0)[:, 0]]
        [1.0, 0.1, 0.01]
    """
    audio, cues = _check_pairs(audio, cues)
    return (audio * 10 ** (step_db * cues[:, None] / 20)).astype(np.float32)
