"""A seeded music synthesiser: six genres, offline, deterministic, returned as :class:`~cnnkit.music.songs.Songs`.

Each song is rendered from its genre's tempo range, drum pattern (classical: none; electronic:
four-on-the-floor; hip-hop: boom-bap with an 808; jazz: swung ride and walking bass; reggae: one drop
and off-beat skank; rock: backbeat and distorted power chords), bass line, chord progression and
instruments. Inside a genre the key, tempo, pattern variant, instruments, mix, recording tone and noise
vary, songs have 2-bar sections (breakdowns without drums, bass-and-drums parts…) and one layer is
borrowed from another genre in one song of ten, so a 3-second slice can be ambiguous while the whole song is not.

    >>> from cnnkit.music import make_songs, song_split
    >>> songs = make_songs(24, seed=0, duration=5.0, sr=16000)
    >>> songs.audio.shape, songs.genres[songs.labels[0]], str(songs.song_ids[0])
    ((24, 80000), 'classical', 'classical.00000')
    >>> split = song_split(songs, val=0.25, test=0.25, seed=0)      # by song, stratified
    >>> [len(part) for part in split]
    [12, 6, 6]

Splitting by song and slicing for the CNN live in :mod:`cnnkit.music.songs`.
"""
import numpy as np

from cnnkit.music.songs import Songs

GENRES = ("classical", "electronic", "hip-hop", "jazz", "reggae", "rock")


def make_songs(n_songs, seed=0, duration=30.0, sr=22050, genres=GENRES):
    """``n_songs`` synthetic songs, as balanced as possible over ``genres`` (song ``i`` is genre ``i % k``).

    Deterministic: the same ``seed`` gives the same songs, and song ``i`` does not depend on ``n_songs``.
    Renders a few hundred times faster than real time (vectorised wavetable synthesis).

        >>> songs = make_songs(6, seed=1, duration=3.0)
        >>> [songs.genres[label] for label in songs.labels]
        ['classical', 'electronic', 'hip-hop', 'jazz', 'reggae', 'rock']
    """
    if not isinstance(n_songs, (int, np.integer)) or n_songs < 1:
        raise ValueError(f"n_songs must be a positive integer, got {n_songs!r}")
    if not duration > 0:
        raise ValueError(f"duration must be positive (seconds), got {duration!r}")
    if not isinstance(sr, (int, np.integer)) or sr < 8000:
        raise ValueError(f"sr must be an integer sample rate ≥ 8000 Hz, got {sr!r}")
    genres = list(genres)
    unknown = [g for g in genres if g not in GENRES]
    if unknown or len(set(genres)) != len(genres) or len(genres) < 2:
        raise ValueError(f"genres must be at least 2 distinct names from {GENRES}, got {genres}")
    n_samples = int(round(duration * sr))
    audio = np.empty((n_songs, n_samples), dtype=np.float32)
    labels = np.arange(n_songs) % len(genres)
    tempos = np.empty(n_songs)
    counters = dict.fromkeys(genres, 0)
    ids = []
    for i, label in enumerate(labels):
        genre = genres[label]
        rng = np.random.default_rng([int(seed), i])
        audio[i], tempos[i] = _Song(genre, rng, n_samples, sr).render()
        ids.append(f"{genre}.{counters[genre]:05d}")
        counters[genre] += 1
    return Songs(audio, labels, genres, int(sr), np.array(ids), tempos)


# ----------------------------------------------------------------------------------------------
# The synthesiser. Time runs on a grid of 16th-note steps (16 per 4/4 bar).

_TABLE = 2048
_PHASES = np.arange(_TABLE) / _TABLE

# instrument timbres: harmonic amplitudes, envelope (seconds), vibrato (Hz, fraction), unison detune
_TIMBRES = {
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
_WAVES = {name: sum(a * np.sin(2 * np.pi * (k + 1) * _PHASES) for k, a in enumerate(t["harm"]))
          for name, t in _TIMBRES.items()}
for _name in _WAVES:
    _WAVES[_name] = (_WAVES[_name] / np.abs(_WAVES[_name]).max()).astype(np.float32)
_SINE = np.sin(2 * np.pi * _PHASES).astype(np.float32)

_MAJOR, _MINOR = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 10)

# per genre: tempo range, P(minor), progressions (scale degrees), instruments per layer, drum patterns
_GENRE = {
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
_DRUMS = {
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


class _Song:
    """Renders one song of ``genre`` with its own random generator (all choices drawn from ``rng``)."""

    def __init__(self, genre, rng, n_samples, sr):
        self.genre, self.rng, self.n, self.sr = genre, rng, n_samples, sr
        style = _GENRE[genre]
        self.style = style
        self.tempo = float(rng.uniform(*style["tempo"]))
        self.step = 60.0 / self.tempo / 4
        self.swing = float(rng.uniform(*style["swing"]))
        self.minor = rng.random() < style["minor"]
        self.root = 36 + int(rng.integers(0, 12))              # the key's bass note, C2..B2
        self.n_bars = int(np.ceil(n_samples / sr / (16 * self.step))) + 1
        borrow = rng.random() < 0.10                            # one layer from another genre
        layers = {k: style[k][rng.integers(len(style[k]))] for k in ("chords", "bass", "lead")}
        self.drums = style["drums"][rng.integers(len(style["drums"]))]
        if borrow:
            other = _GENRE[rng.choice([g for g in _GENRE if g != genre])]
            layer = rng.choice(["chords", "bass", "lead", "drums"])
            pick = other[layer][rng.integers(len(other[layer]))]
            if layer == "drums":
                self.drums = pick
            else:
                layers[layer] = pick
        self.layers = layers
        self.t = (np.arange(n_samples) / sr).astype(np.float32)
        self.cache = {}

    # -- time and pitch ------------------------------------------------------------------------
    def when(self, bar, step):
        """Seconds at which 16th-note ``step`` of ``bar`` starts, with swing on the off-beat 8th."""
        shift = self.swing * self.step * (1.0 if step % 4 == 2 else 0.0)
        return (bar * 16 + step) * self.step + shift + self.rng.normal(0, 0.004)

    def scale_note(self, degree, octave=0):
        scale = _MINOR if self.minor else _MAJOR
        return self.root + 12 * (octave + degree // 7) + scale[degree % 7]

    def chord(self, degree, sevenths=False):
        notes = [degree, degree + 2, degree + 4] + ([degree + 6] if sevenths else [])
        return [self.scale_note(d) for d in notes]

    # -- rendering -----------------------------------------------------------------------------
    def shapes(self, timbre):
        """Per-timbre arrays over the longest note, computed once per song: envelope, vibrato, brightness."""
        if timbre not in self.cache:
            spec, t = _TIMBRES[timbre], self.t
            env = np.minimum(t / np.float32(spec["attack"]), np.float32(1))
            if np.isfinite(spec["decay"]):
                env *= np.exp(-t / np.float32(spec["decay"]))
            rate, depth = spec.get("vibrato", (1.0, 0.0))
            wobble = (depth * np.sin(2 * np.pi * rate * t) / (2 * np.pi * rate)).astype(np.float32) if depth else None
            bright = np.exp(-t / np.float32(spec["bright"])) if "bright" in spec else None
            self.cache[timbre] = env, wobble, bright
        return self.cache[timbre]

    def note(self, buf, timbre, start, length, midi, velocity):
        """Add one note (wavetable lookup × envelope) to ``buf`` in place."""
        sr, spec = self.sr, _TIMBRES[timbre]
        i0 = int(round(start * sr))
        if i0 >= len(buf) or velocity <= 0:
            return
        i0 = max(i0, 0)
        length = min(length, spec["decay"] * 5)
        count = min(int(length * sr), len(buf) - i0)
        if count <= 8:
            return
        env, wobble, bright = (a[:count] if a is not None else None for a in self.shapes(timbre))
        t = self.t[:count]
        freq = np.float32(440.0 * 2 ** ((midi - 69) / 12))
        detunes = spec.get("detune", (0.0,))
        wave = np.zeros(count, dtype=np.float32)
        for detune in detunes:
            phase = t * (freq * np.float32(1 + detune))
            if wobble is not None:
                phase += freq * wobble
            idx = (phase * np.float32(_TABLE)).astype(np.int64)
            idx += int(self.rng.integers(_TABLE))              # a random start phase
            idx &= _TABLE - 1
            if bright is not None:                             # the tone darkens as the note decays
                sine = _SINE[idx]
                wave += sine + (_WAVES[timbre][idx] - sine) * bright
            else:
                wave += _WAVES[timbre][idx]
        wave *= env
        tail = min(count, int(0.01 * sr))                      # 10 ms release, no clicks
        wave[count - tail:] *= np.linspace(1, 0, tail, dtype=np.float32)
        buf[i0:i0 + count] += np.float32(velocity / len(detunes)) * wave

    def hit(self, buf, sample, start, velocity):
        i0 = int(round(start * self.sr))
        if i0 >= len(buf):
            return
        i0 = max(i0, 0)
        count = min(len(sample), len(buf) - i0)
        buf[i0:i0 + count] += velocity * sample[:count]

    def drum_kit(self):
        rng, sr = self.rng, self.sr
        t = np.arange(int(0.8 * sr)) / sr
        noise = rng.standard_normal(len(t)).astype(np.float32)
        from scipy.signal import butter, sosfilt

        def band(lo, hi):
            hi = min(hi, 0.45 * sr)
            return sosfilt(butter(2, [lo, hi], btype="band", fs=sr, output="sos"), noise)

        low_end = rng.uniform(42, 60)
        boom = 0.5 if self.drums == "trap" else rng.uniform(0.08, 0.2)
        kick_f = low_end + rng.uniform(60, 120) * np.exp(-t / 0.03)
        snare_tone = rng.uniform(160, 240)
        partials = rng.uniform(300, 800, 6) * np.array([1, 1.48, 1.93, 2.41, 2.87, 3.6])
        ride = sum(np.sin(2 * np.pi * f * t + rng.random() * 6.3) for f in partials * 1.6)
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

    def render(self):
        rng, sr, n = self.rng, self.sr, self.n
        style = self.style
        mix = {name: np.zeros(n, dtype=np.float32) for name in ("drums", "bass", "chords", "lead")}
        prog = style["progs"][rng.integers(len(style["progs"]))]
        per_chord = int(rng.integers(style["bars_per_chord"][0], style["bars_per_chord"][1] + 1))
        kit = self.drum_kit() if self.drums else None
        pattern = _DRUMS[self.drums] if self.drums else {}
        sections = self.sections()
        lead_degree = 7 + int(rng.integers(0, 5))
        for bar in range(self.n_bars):
            degree = prog[(bar // per_chord) % len(prog)]
            on = sections[bar]
            if on["drums"] and kit is not None:
                self.drum_bar(mix["drums"], kit, pattern, bar)
            if on["bass"]:
                self.bass_bar(mix["bass"], bar, degree)
            if on["chords"]:
                self.chord_bar(mix["chords"], bar, degree)
            if on["lead"] and self.layers["lead"] is not None:
                lead_degree = self.lead_bar(mix["lead"], bar, degree, lead_degree)
        gains = {"drums": rng.uniform(.5, 1.1), "bass": rng.uniform(.4, 1.0),
                 "chords": rng.uniform(.35, .9), "lead": rng.uniform(.2, .6)}
        if self.layers["chords"] == "guitar" and self.genre == "rock" or rng.random() < 0.1:
            drive = rng.uniform(3, 8)                   # distortion on the chord bus
            mix["chords"] = np.tanh(drive * mix["chords"]) / np.tanh(drive) * 0.5
        song = sum(np.float32(gains[k]) * _normalise(mix[k]) for k in mix)
        song = self.finish(song)
        return song.astype(np.float32), self.tempo

    def sections(self):
        """Per bar, which layers play: mostly everything, with 2-bar breakdowns and sparse parts."""
        out = []
        arrangements = [dict(drums=1, bass=1, chords=1, lead=1), dict(drums=1, bass=1, chords=1, lead=0),
                        dict(drums=0, bass=0, chords=1, lead=1), dict(drums=1, bass=1, chords=0, lead=0),
                        dict(drums=0, bass=1, chords=1, lead=0)]
        weights = np.array([.4, .25, .15, .1, .1])
        for _ in range(0, self.n_bars, 2):
            choice = arrangements[self.rng.choice(len(arrangements), p=weights)]
            out.extend([choice] * 2)
        return out

    def drum_bar(self, buf, kit, pattern, bar):
        rng = self.rng
        for name, steps in pattern.items():
            for s in steps:
                velocity = rng.uniform(0.7, 1.0) * (0.6 if name == "hat" and s % 4 else 1.0)
                self.hit(buf, kit[name], self.when(bar, s), velocity)
        if self.drums in ("boom_bap", "backbeat", "trap", "backbeat_16") and rng.random() < 0.3:
            self.hit(buf, kit["snare"], self.when(bar, int(rng.choice([7, 9, 14, 15]))), 0.35)   # ghost note
        if self.drums in ("swing", "brushes") and rng.random() < 0.5:
            self.hit(buf, kit["snare"], self.when(bar, int(rng.choice([2, 6, 10, 14]))), 0.25)   # comping

    def bass_bar(self, buf, bar, degree):
        rng, step, timbre = self.rng, self.step, self.layers["bass"]
        root = self.scale_note(degree)
        if self.genre == "jazz":                        # walking bass: four quarter notes
            notes = [root, self.scale_note(degree + 2), self.scale_note(degree + 4), root + rng.choice([-1, 1, 2])]
            for beat, midi in enumerate(notes):
                self.note(buf, timbre, self.when(bar, 4 * beat), 4 * step, midi, 1.0)
        elif self.genre == "reggae":                    # melodic, rests on the one
            line = [(2, 0), (3, 0), (6, 4), (8, 7), (10, 4), (11, 2)]
            for s, d in line:
                self.note(buf, timbre, self.when(bar, s), 1.5 * step, self.scale_note(degree + d), 0.9)
        elif self.genre == "electronic":                # off-beat 8ths
            for s in (2, 6, 10, 14):
                self.note(buf, timbre, self.when(bar, s), 1.8 * step, root + 12 * int(rng.random() < .2), 1.0)
        elif self.genre == "hip-hop":                   # long 808 notes with the kick
            for s in (0, 7, 10):
                self.note(buf, timbre, self.when(bar, s), 3 * step, root, 1.0)
        elif self.genre == "rock":                      # root 8ths
            for s in range(0, 16, 2):
                self.note(buf, timbre, self.when(bar, s), 1.8 * step, root + 12, rng.uniform(.8, 1.0))
        else:                                           # classical: half notes, root then fifth
            self.note(buf, timbre, self.when(bar, 0), 8 * step, root, 0.9)
            self.note(buf, timbre, self.when(bar, 8), 8 * step, self.scale_note(degree + 4) - 12, 0.8)

    def chord_bar(self, buf, bar, degree):
        rng, step, timbre = self.rng, self.step, self.layers["chords"]
        notes = [m + 12 for m in self.chord(degree, sevenths=self.genre in ("jazz", "hip-hop"))]
        if self.genre == "rock":                        # power chords, 8th-note chugs or held
            notes = [notes[0], notes[0] + 7, notes[0] + 12]
            held = rng.random() < 0.3
            for s in ([0, 8] if held else range(0, 16, 2)):
                for m in notes:
                    self.note(buf, timbre, self.when(bar, s), (8 if held else 1.9) * step, m, 0.6)
        elif self.genre == "reggae":                    # the skank: short stabs on 2 and 4
            for s in (4, 12):
                for m in notes:
                    self.note(buf, timbre, self.when(bar, s), 0.9 * step, m + 12, 0.8)
        elif self.genre == "jazz":                      # comping on swung off-beats
            for s in range(0, 16, 2):
                if rng.random() < 0.35:
                    for m in notes[1:] + [notes[0] + 14]:
                        self.note(buf, timbre, self.when(bar, s), rng.uniform(1, 3) * step, m, 0.6)
        elif self.genre == "classical" and timbre == "piano":   # Alberti arpeggio in 8ths
            order = [0, 2, 1, 2]
            for k, s in enumerate(range(0, 16, 2)):
                self.note(buf, timbre, self.when(bar, s), 2 * step, notes[order[k % 4]], 0.7)
        elif self.genre == "hip-hop":                   # a two-hit loop
            for s in (0, 6):
                for m in notes:
                    self.note(buf, timbre, self.when(bar, s), 5 * step, m, 0.6)
        else:                                           # held chords (pads, strings)
            for m in notes:
                self.note(buf, timbre, self.when(bar, 0), 16 * step, m, 0.6)

    def lead_bar(self, buf, bar, degree, current):
        rng, step, timbre = self.rng, self.step, self.layers["lead"]
        if self.genre == "electronic":                  # 16th-note arpeggio over the chord
            notes = self.chord(degree)
            for s in range(16):
                self.note(buf, timbre, self.when(bar, s), 0.9 * step, notes[s % 3] + 24, 0.5)
            return current
        length = 2 if self.genre in ("jazz", "classical") else 4
        for s in range(0, 16, length):
            current = int(np.clip(current + rng.choice([-2, -1, 1, 2]), 5, 16))
            if rng.random() < 0.25:
                continue                                # a rest
            midi = self.scale_note(current, octave=1) + (rng.choice([-1, 1]) if self.genre == "jazz"
                                                         and rng.random() < .15 else 0)
            self.note(buf, timbre, self.when(bar, s), length * step * 0.95, midi, 0.7)
        return current

    def finish(self, song):
        """Recording colour: a random low-pass, hiss at 25–50 dB below the music, a random level."""
        from scipy.signal import butter, sosfilt

        rng, sr = self.rng, self.sr
        cutoff = min(rng.uniform(3500, 10000), 0.45 * sr)
        song = _normalise(sosfilt(butter(2, cutoff, fs=sr, output="sos"), song).astype(np.float32))
        song += np.float32(10 ** (-rng.uniform(25, 50) / 20)) * rng.standard_normal(len(song), dtype=np.float32)
        return _normalise(song) * np.float32(rng.uniform(0.5, 0.95))


def _normalise(x):
    peak = np.abs(x).max()
    return x / peak if peak > 0 else x
