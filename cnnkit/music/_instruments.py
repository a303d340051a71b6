"""The synthesiser's instruments: wavetable timbres, genre styles, drum patterns and the drum kit.

Private to the synthesiser (:mod:`cnnkit.music.synth`, :mod:`cnnkit.music._render`). Time runs on a grid of
16th-note steps (16 per 4/4 bar).

    >>> from cnnkit.music._instruments import DRUMS, STYLES, WAVES
    >>> sorted(STYLES) == sorted(["classical", "electronic", "hip-hop", "jazz", "reggae", "rock"])
    True
    >>> WAVES["piano"].shape, sorted(DRUMS["four_floor"])
    ((2048,), ['clap', 'hat', 'kick', 'open_hat'])
"""
import numpy as np

TABLE = 2048
PHASES = np.arange(TABLE) / TABLE

# instrument timbres: harmonic amplitudes, envelope (seconds), vibrato (Hz, fraction), unison detune
TIMBRES = {
    "piano": dict(harm=[1, .5, .3, .2, .12, .08, .05], attack=.004, decay=.7, bright=.15),
    "epiano": dict(harm=[1, .25, .05, 0, .04], attack=.005, decay=.9, bright=.08),
    "strings": dict(harm=[1, .5, .33, .25, .2, .16, .14, .12], attack=.18, decay=np.inf, vibrato=(5.5, .004)),
    "pad": dict(harm=[1, .5, .33, .25, .2, .16], attack=.3, decay=np.inf, detune=(-.008, 0, .008)),
    "organ": dict(harm=[1, .8, .6, .5, 0, .3, 0, .2], attack=.005, decay=np.inf),
    "guitar": dict(harm=[1, .6, .45, .35, .3, .25, .2, .18, .15, .12], attack=.003, decay=1.2),
    "pluck": dict(harm=[1, .4, .3, .15, .1], attack=.002, decay=.18, bright=.05),
    "sax": dict(harm=[1, .6, .5, .35, .3, .2, .15], attack=.03, decay=np.inf, vibrato=(5.0, .006)),
    "flute": dict(harm=[1, .15, .05], attack=.05, decay=np.inf, vibrato=(5.0, .004)),
    "bell": dict(harm=[1, 0, .4, 0, .25, 0, .1], attack=.002, decay=.6),
    "bass": dict(harm=[1, .5, .25, .12], attack=.004, decay=.35),
    "synth_bass": dict(harm=[1, .5, .33, .25, .2, .16, .14], attack=.003, decay=.25, bright=.06),
    "upright": dict(harm=[1, .35, .1], attack=.01, decay=.45),
    "sub": dict(harm=[1, .08], attack=.005, decay=.8),
    "cello": dict(harm=[1, .6, .4, .3, .2, .15], attack=.15, decay=np.inf, vibrato=(5.0, .004)),
}
WAVES = {name: sum(a * np.sin(2 * np.pi * (k + 1) * PHASES) for k, a in enumerate(t["harm"]))
          for name, t in TIMBRES.items()}
for name in WAVES:
    WAVES[name] = (WAVES[name] / np.abs(WAVES[name]).max()).astype(np.float32)
SINE = np.sin(2 * np.pi * PHASES).astype(np.float32)

MAJOR, MINOR = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 10)

# per genre: tempo range, P(minor), progressions (scale degrees), instruments per layer, drum patterns
STYLES = {
    "classical": dict(tempo=(60, 112), minor=.4, swing=(0, 0), bars_per_chord=(1, 2),
                      progs=[[0, 3, 4, 0], [0, 5, 3, 4], [0, 4, 5, 2, 3, 0, 3, 4], [0, 3, 6, 2, 5, 1, 4, 0]],
                      chords=["strings", "piano"], bass=["cello", "piano"], lead=["strings", "flute", "piano"],
                      drums=[None]),
    "electronic": dict(tempo=(118, 140), minor=.7, swing=(0, 0), bars_per_chord=(1, 2),
                       progs=[[0, 5, 2, 6], [0, 3, 5, 4], [0, 0, 5, 5], [0, 6, 5, 6]],
                       chords=["pad", "pad", "pluck"], bass=["synth_bass"], lead=["pluck", "bell", None],
                       drums=["four_floor", "four_floor", "steppers"]),
    "hip-hop": dict(tempo=(78, 100), minor=.75, swing=(0, .35), bars_per_chord=(1, 2),
                    progs=[[0, 5], [0, 3], [1, 4, 0, 0], [0, 5, 3, 4]],
                    chords=["epiano", "piano", "epiano"], bass=["sub"], lead=["bell", None, None],
                    drums=["boom_bap", "boom_bap", "trap"]),
    "jazz": dict(tempo=(100, 190), minor=.3, swing=(.55, .7), bars_per_chord=(1, 1),
                 progs=[[1, 4, 0, 5], [1, 4, 0, 0], [0, 5, 1, 4], [2, 5, 1, 4]],
                 chords=["piano", "epiano", "piano"], bass=["upright"], lead=["sax", "sax", "flute", None],
                 drums=["swing", "swing", "brushes"]),
    "reggae": dict(tempo=(66, 92), minor=.5, swing=(0, .25), bars_per_chord=(1, 2),
                   progs=[[0, 3], [0, 4], [0, 3, 4, 3], [0, 6, 3, 0]],
                   chords=["organ", "guitar", "organ"], bass=["bass", "sub"], lead=["organ", "bell", None, None],
                   drums=["one_drop", "one_drop", "steppers"]),
    "rock": dict(tempo=(92, 160), minor=.4, swing=(0, 0), bars_per_chord=(1, 2),
                 progs=[[0, 4, 5, 3], [0, 3, 4, 3], [0, 6, 5, 6], [0, 3, 0, 4]],
                 chords=["guitar"], bass=["bass", "synth_bass"], lead=["guitar", None, None],
                 drums=["backbeat", "backbeat", "backbeat_16"]),
}

# drum patterns: instrument -> steps of a 16-step bar (velocity 1, ghost notes added at random)
DRUMS = {
    "four_floor": dict(kick=[0, 4, 8, 12], clap=[4, 12], open_hat=[2, 6, 10, 14], hat=list(range(0, 16, 2))),
    "steppers": dict(kick=[0, 4, 8, 12], rim=[4, 12], hat=list(range(0, 16, 2))),
    "boom_bap": dict(kick=[0, 7, 10], snare=[4, 12], hat=list(range(0, 16, 2))),
    "trap": dict(kick=[0, 6, 11], clap=[8], hat=list(range(16))),
    "swing": dict(ride=[0, 4, 6, 8, 12, 14], hat=[4, 12]),
    "brushes": dict(brush=[0, 2, 4, 6, 8, 10, 12, 14], ride=[0, 4, 6, 8, 12, 14], hat=[4, 12]),
    "one_drop": dict(kick=[8], rim=[8], hat=list(range(0, 16, 2))),
    "backbeat": dict(kick=[0, 8, 10], snare=[4, 12], hat=list(range(0, 16, 2))),
    "backbeat_16": dict(kick=[0, 3, 8], snare=[4, 12], hat=list(range(16))),
}

# which layers play in a 2-bar section, and how often each arrangement is drawn
SECTIONS = [dict(drums=1, bass=1, chords=1, lead=1), dict(drums=1, bass=1, chords=1, lead=0),
            dict(drums=0, bass=0, chords=1, lead=1), dict(drums=1, bass=1, chords=0, lead=0),
            dict(drums=0, bass=1, chords=1, lead=0)]
SECTION_WEIGHTS = np.array([.4, .25, .15, .1, .1])


def drum_kit(rng, sr, pattern):
    """One song's drum samples (0.8 s each, drawn from ``rng``) at ``sr`` Hz, by instrument name.

    Noise bands are band-passed up to 0.45 · ``sr``; a band that starts above that (a hi-hat at
    ``sr=8000``) is silent, as the cymbals of a recording resampled to ``sr`` would be. Partials above
    it are left out too. The draws from ``rng`` do not depend on ``sr``.

        >>> kit = drum_kit(np.random.default_rng(0), 8000, "four_floor")
        >>> len(kit["kick"]), float(abs(kit["hat"]).max()), float(abs(kit["snare"]).max()) > 0
        (6400, 0.0, True)
    """
    from scipy.signal import butter, sosfilt

    t = np.arange(int(0.8 * sr)) / sr
    noise = rng.standard_normal(len(t)).astype(np.float32)
    top = 0.45 * sr

    def band(lo, hi):
        hi = min(hi, top)
        if lo >= hi:                                    # entirely above what sr can hold
            return np.zeros(len(t))
        return sosfilt(butter(2, [lo, hi], btype="band", fs=sr, output="sos"), noise)

    low_end = rng.uniform(42, 60)
    boom = 0.5 if pattern == "trap" else rng.uniform(0.08, 0.2)
    kick_f = low_end + rng.uniform(60, 120) * np.exp(-t / 0.03)
    snare_tone = rng.uniform(160, 240)
    partials = rng.uniform(300, 800, 6) * np.array([1, 1.48, 1.93, 2.41, 2.87, 3.6])
    phases = rng.random(6) * 6.3
    ride = sum(np.sin(2 * np.pi * f * t + p) for f, p in zip(partials * 1.6, phases) if f < top)
    return {
        "kick": np.sin(2 * np.pi * np.cumsum(kick_f) / sr) * np.exp(-t / boom),
        "snare": (band(1200, 8000) * 2 * np.exp(-t / rng.uniform(0.07, 0.15))
                  + 0.5 * np.sin(2 * np.pi * snare_tone * t) * np.exp(-t / 0.05)),
        "clap": band(900, 3500) * 3 * (np.exp(-t / 0.09) + (t < 0.03) * np.sin(2 * np.pi * 100 * t) ** 2),
        "rim": band(1500, 4000) * 3 * np.exp(-t / 0.02),
        "hat": band(6000, 11000) * 2 * np.exp(-t / rng.uniform(0.015, 0.04)),
        "open_hat": band(5000, 11000) * 2 * np.exp(-t / 0.18),
        "ride": (0.15 * ride + band(5000, 11000)) * np.exp(-t / rng.uniform(0.35, 0.7)),
        "brush": band(2000, 9000) * np.exp(-t / 0.12) * np.minimum(t / 0.02, 1),
    }


def recording(song, rng, sr):
    """Recording colour: a random low-pass, hiss at 25–50 dB below the music, a random level.

        >>> out = recording(np.ones(100, dtype=np.float32), np.random.default_rng(0), 8000)
        >>> out.dtype, bool(0.5 <= abs(out).max() <= 0.95)
        (dtype('float32'), True)
    """
    from scipy.signal import butter, sosfilt

    cutoff = min(rng.uniform(3500, 10000), 0.45 * sr)
    song = normalise(sosfilt(butter(2, cutoff, fs=sr, output="sos"), song).astype(np.float32))
    song += np.float32(10 ** (-rng.uniform(25, 50) / 20)) * rng.standard_normal(len(song), dtype=np.float32)
    return normalise(song) * np.float32(rng.uniform(0.5, 0.95))


def normalise(x):
    """``x`` scaled to a peak of 1 (silence stays silent).

        >>> normalise(np.array([0.5, -0.25])).tolist()
        [1.0, -0.5]
    """
    peak = np.abs(x).max()
    return x / peak if peak > 0 else x
