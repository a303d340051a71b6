"""The synthesiser's renderer: one song of a genre, every choice drawn from the song's own random generator.

Private to :mod:`cnnkit.music.synth` (:func:`~cnnkit.music.make_songs` is the public way in). The instruments,
genre styles and drum kit it plays live in :mod:`cnnkit.music._instruments`.

    >>> import numpy as np
    >>> audio, tempo = _Song("jazz", np.random.default_rng(0), 8000, 8000).render()
    >>> audio.shape, audio.dtype, 100 <= tempo <= 190
    ((8000,), dtype('float32'), True)
"""
import numpy as np

from cnnkit.music._instruments import (DRUMS, MAJOR, MINOR, SECTION_WEIGHTS, SECTIONS, SINE, STYLES, TABLE, TIMBRES,
                                       WAVES, drum_kit, normalise, recording)

# Time runs on a grid of 16th-note steps (16 per 4/4 bar).
class _Song:
    """Renders one song of ``genre``; every choice is drawn from ``rng``, in four independent streams.

    The song's plan (tempo, key, instruments, progression, sections), its performance (timing, velocities,
    notes, phases), its drum kit and its mix (levels, distortion, recording) each have their own stream, so
    the controls below change one factor and leave the others as they were:

    - ``drums=False`` mutes the drum bus (every other layer is the same, note for note);
    - ``voice``: the genre whose instruments play this genre's parts (its rhythms, bass lines and
      harmony stay); the i-th instrument choice of one genre becomes the i-th of the other;
    - ``tempo_scale`` multiplies the drawn tempo (the bars that both versions hold are the same notes).
    """

    def __init__(self, genre, rng, n_samples, sr, *, drums=True, voice=None, tempo_scale=1.0):
        plan, self.rng, self.kit_rng, self.mix_rng = rng.spawn(4)
        self.genre, self.n, self.sr, self.drums_on = genre, n_samples, sr, drums
        style = STYLES[genre]
        self.style = style
        self.tempo = float(plan.uniform(*style["tempo"])) * tempo_scale
        self.step = 60.0 / self.tempo / 4
        self.swing = float(plan.uniform(*style["swing"]))
        self.minor = plan.random() < style["minor"]
        self.root = 36 + int(plan.integers(0, 12))             # the key's bass note, C2..B2
        self.n_bars = int(np.ceil(n_samples / sr / (16 * self.step))) + 1
        borrow = plan.random() < 0.10                           # one layer from another genre
        picks = {k: (genre, int(plan.integers(len(style[k])))) for k in ("chords", "bass", "lead")}
        self.drums = style["drums"][plan.integers(len(style["drums"]))]
        if borrow:
            source = str(plan.choice([g for g in STYLES if g != genre]))
            layer = str(plan.choice(["chords", "bass", "lead", "drums"]))
            pick = int(plan.integers(len(STYLES[source][layer])))
            if layer == "drums":
                self.drums = STYLES[source]["drums"][pick]
            else:
                picks[layer] = (source, pick)
        self.layers = {k: STYLES[g][k][i] for k, (g, i) in picks.items()}     # the parts as the genre plays them
        self.instruments = genre if voice is None else voice
        donors = {k: voice if voice is not None and g == genre else g for k, (g, _) in picks.items()}
        self.voices = {k: STYLES[donors[k]][k][i % len(STYLES[donors[k]][k])]           # the instruments that
                       for k, (_, i) in picks.items()}                                 # play them
        self.prog = style["progs"][plan.integers(len(style["progs"]))]
        self.per_chord = int(plan.integers(style["bars_per_chord"][0], style["bars_per_chord"][1] + 1))
        self.lead_degree = 7 + int(plan.integers(0, 5))
        self.sections = [SECTIONS[i] for i in plan.choice(len(SECTIONS), size=(self.n_bars + 1) // 2,
                                                          p=SECTION_WEIGHTS) for _ in range(2)]
        self.t = (np.arange(n_samples) / sr).astype(np.float32)
        self.cache = {}

    # -- time and pitch ------------------------------------------------------------------------
    def when(self, bar, step):
        """Seconds at which 16th-note ``step`` of ``bar`` starts, with swing on the off-beat 8th."""
        shift = self.swing * self.step * (1.0 if step % 4 == 2 else 0.0)
        return (bar * 16 + step) * self.step + shift + self.rng.normal(0, 0.004)

    def scale_note(self, degree, octave=0):
        scale = MINOR if self.minor else MAJOR
        return self.root + 12 * (octave + degree // 7) + scale[degree % 7]

    def chord(self, degree, sevenths=False):
        notes = [degree, degree + 2, degree + 4] + ([degree + 6] if sevenths else [])
        return [self.scale_note(d) for d in notes]

    # -- rendering -----------------------------------------------------------------------------
    def shapes(self, timbre):
        """Per-timbre arrays over the longest note, computed once per song: envelope, vibrato, brightness."""
        if timbre not in self.cache:
            spec, t = TIMBRES[timbre], self.t
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
        offset = int(self.rng.integers(TABLE))                 # a random start phase, drawn for every note
        if timbre is None:                                      # a part whose instrument is silent
            return
        sr, spec = self.sr, TIMBRES[timbre]
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
        for j, detune in enumerate(detunes):
            phase = t * (freq * np.float32(1 + detune))
            if wobble is not None:
                phase += freq * wobble
            idx = (phase * np.float32(TABLE)).astype(np.int64)
            idx += offset + j * (TABLE // 3)                   # unison voices start a third of a cycle apart
            idx &= TABLE - 1
            if bright is not None:                             # the tone darkens as the note decays
                sine = SINE[idx]
                wave += sine + (WAVES[timbre][idx] - sine) * bright
            else:
                wave += WAVES[timbre][idx]
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

    def render(self):
        """The mixed, recorded song (float32, ``n_samples``) and its tempo in beats per minute."""
        mix, mixer = self.play(), self.mix_rng
        gains = {"drums": mixer.uniform(.5, 1.1) * float(self.drums_on), "bass": mixer.uniform(.4, 1.0),
                 "chords": mixer.uniform(.35, .9), "lead": mixer.uniform(.2, .6)}
        distorted, drive = mixer.random() < 0.1, mixer.uniform(3, 8)
        if distorted or (self.voices["chords"] == "guitar" and self.instruments == "rock"):
            mix["chords"] = np.tanh(drive * mix["chords"]) / np.tanh(drive) * 0.5    # distortion on the chord bus
        song = sum(np.float32(gains[k]) * normalise(mix[k]) for k in mix)
        song = recording(song, mixer, self.sr)
        return song.astype(np.float32), self.tempo

    def play(self):
        """The four buses (drums, bass, chords, lead) before mixing, each ``n_samples`` float32."""
        mix = {name: np.zeros(self.n, dtype=np.float32) for name in ("drums", "bass", "chords", "lead")}
        kit = drum_kit(self.kit_rng, self.sr, self.drums) if self.drums else None
        pattern = DRUMS[self.drums] if self.drums else {}
        lead_degree = self.lead_degree
        for bar in range(self.n_bars):
            degree = self.prog[(bar // self.per_chord) % len(self.prog)]
            on = self.sections[bar]
            if on["drums"] and kit is not None:
                self.drum_bar(mix["drums"], kit, pattern, bar)
            if on["bass"]:
                self.bass_bar(mix["bass"], bar, degree)
            if on["chords"]:
                self.chord_bar(mix["chords"], bar, degree)
            if on["lead"] and self.layers["lead"] is not None:
                lead_degree = self.lead_bar(mix["lead"], bar, degree, lead_degree)
        return mix

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
        rng, step, timbre = self.rng, self.step, self.voices["bass"]
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
        rng, step, timbre = self.rng, self.step, self.voices["chords"]
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
        elif self.genre == "classical" and self.layers["chords"] == "piano":   # Alberti arpeggio in 8ths
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
        rng, step, timbre = self.rng, self.step, self.voices["lead"]
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
