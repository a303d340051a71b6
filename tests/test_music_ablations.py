"""cnnkit.music.ablations and the synthesiser's controls (make_songs drums / instruments / tempo_scale / which),
each checked against an independent computation (scipy's periodogram and Welch PSD, the song as rendered in full)."""
import numpy as np
import pytest
from scipy import signal

from cnnkit.music import GENRES, make_songs
from cnnkit.music import ablations as ab

SR = 8000


@pytest.fixture(scope="module")
def full():
    return make_songs(12, duration=2.0, sr=SR, seed=5)


def test_which_renders_the_same_songs_with_their_ids(full):
    part = make_songs(12, duration=2.0, sr=SR, seed=5, which=[11, 2, 7])
    np.testing.assert_array_equal(part.audio, full.audio[[11, 2, 7]])
    np.testing.assert_array_equal(part.song_ids, full.song_ids[[11, 2, 7]])
    np.testing.assert_array_equal(part.labels, full.labels[[11, 2, 7]])
    np.testing.assert_array_equal(part.tempos, full.tempos[[11, 2, 7]])


def test_neutral_controls_change_nothing(full):
    same = make_songs(12, duration=2.0, sr=SR, seed=5, drums=True, tempo_scale=1.0,
                      instruments={g: g for g in GENRES})
    np.testing.assert_array_equal(same.audio, full.audio)


def _song(genre, seed, **controls):
    from cnnkit.music._render import _Song

    return _Song(genre, np.random.default_rng(seed), 4 * SR, SR, **controls)


@pytest.mark.parametrize("genre", GENRES)
def test_muting_drums_keeps_every_other_part_note_for_note(genre):
    loud, quiet = _song(genre, 3).play(), _song(genre, 3, drums=False).play()
    for bus in ("bass", "chords", "lead"):
        np.testing.assert_array_equal(quiet[bus], loud[bus])
    np.testing.assert_array_equal(quiet["drums"], loud["drums"])             # played, then muted in the mix
    assert _song(genre, 3, drums=False).render()[1] == _song(genre, 3).render()[1]


def test_muted_drums_take_the_high_frequencies_with_them():
    """Independent measure: the share of power above 5 kHz (scipy's Welch PSD) drops in every drummed song."""
    genres = ["electronic", "rock", "hip-hop", "reggae", "jazz"]
    loud = make_songs(10, duration=6.0, sr=16000, seed=1, genres=genres)
    quiet = make_songs(10, duration=6.0, sr=16000, seed=1, genres=genres, drums=False)

    def high_share(y):
        f, p = signal.welch(y, fs=16000, nperseg=1024)
        return p[f >= 5000].sum() / p.sum()

    assert all(high_share(q) < high_share(d) for q, d in zip(quiet.audio, loud.audio))
    classical = make_songs(6, duration=2.0, sr=SR, seed=2, genres=["classical", "rock"])
    no_drums = make_songs(6, duration=2.0, sr=SR, seed=2, genres=["classical", "rock"], drums=False)
    assert any(np.array_equal(a, b) for a, b in zip(classical.audio[::2], no_drums.audio[::2]))   # nothing to mute


@pytest.mark.parametrize("genre", GENRES)
def test_swapped_instruments_play_the_same_parts(genre):
    own, swapped = _song(genre, 4), _song(genre, 4, voice=ab.INSTRUMENT_SWAP[genre])
    assert swapped.layers == own.layers and swapped.tempo == own.tempo and swapped.sections == own.sections
    assert swapped.prog == own.prog and swapped.drums == own.drums
    donor = ab.INSTRUMENT_SWAP[genre]
    from cnnkit.music._instruments import STYLES

    for layer, voice in swapped.voices.items():
        assert voice in STYLES[donor][layer] or own.layers[layer] not in STYLES[genre][layer]   # a borrowed part
    np.testing.assert_array_equal(swapped.play()["drums"], own.play()["drums"])      # the same drum performance


def test_swapping_instruments_keeps_tempo_and_length_and_changes_the_sound(full):
    swapped = make_songs(12, duration=2.0, sr=SR, seed=5, instruments=ab.INSTRUMENT_SWAP)
    np.testing.assert_array_equal(swapped.tempos, full.tempos)
    assert swapped.audio.shape == full.audio.shape
    assert sum(not np.array_equal(a, b) for a, b in zip(swapped.audio, full.audio)) >= 10
    assert sorted(ab.INSTRUMENT_SWAP) == sorted(GENRES)
    assert all(ab.INSTRUMENT_SWAP[ab.INSTRUMENT_SWAP[g]] == g != ab.INSTRUMENT_SWAP[g] for g in GENRES)


def test_tempo_scale_multiplies_the_tempo(full):
    fast = make_songs(12, duration=2.0, sr=SR, seed=5, tempo_scale=1.25)
    np.testing.assert_allclose(fast.tempos, 1.25 * full.tempos)
    assert not np.array_equal(fast.audio, full.audio)
    slow, quick = _song("rock", 6), _song("rock", 6, tempo_scale=1.25)
    assert quick.n_bars >= slow.n_bars and quick.prog == slow.prog and quick.voices == slow.voices
    assert quick.sections[:slow.n_bars - 2] == slow.sections[:slow.n_bars - 2]      # the same arrangement


@pytest.mark.parametrize("tilt", [-3.0, 2.0, 6.0])
def test_tilt_eq_matches_welch_psd_ratios_of_white_noise(tilt):
    noise = np.random.default_rng(0).normal(size=(1, 4 * SR)).astype(np.float32)
    out = ab.tilt_eq(noise, SR, db_per_octave=tilt, pivot=1000.0, limit_db=40.0)
    f, before = signal.welch(noise[0], fs=SR, nperseg=1024)
    _, after = signal.welch(out[0], fs=SR, nperseg=1024)
    ratio_db = 10 * np.log10(after / before)
    band = (f >= 250) & (f <= 3500)
    expected = tilt * np.log2(f[band] / 1000.0)
    offset = np.median(ratio_db[band] - expected)               # the peak renormalisation is one overall gain
    np.testing.assert_allclose(ratio_db[band] - offset, expected, atol=0.6)
    assert np.isclose(np.abs(out).max(), np.abs(noise).max(), rtol=1e-5)


def test_tilt_eq_limits_its_gain():
    sines = np.sin(2 * np.pi * np.array([[62.0], [1000.0]]) * np.arange(SR) / SR).sum(axis=0)[None]
    spectrum = np.abs(np.fft.rfft(ab.tilt_eq(sines, SR, db_per_octave=6.0, limit_db=12.0)[0]))
    assert np.isclose(20 * np.log10(spectrum[1000] / spectrum[62]), 12.0, atol=0.3)   # 4 octaves, capped


def test_add_tone_puts_the_cue_at_its_frequency_and_level():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2 * SR)).astype(np.float32) * np.array([[0.1], [0.5], [1.0]], np.float32)
    cues = [0, 3, 5]
    y = ab.add_tone(x, cues, SR, level_db=-25.0)
    for row, cue in enumerate(cues):
        f, p = signal.periodogram(y[row] - x[row], fs=SR)
        assert abs(f[np.argmax(p)] - ab.CUE_TONES[cue]) <= 0.5
        level = 10 * np.log10(np.mean((y[row] - x[row]) ** 2) / np.mean(x[row] ** 2))
        assert abs(level + 25.0) < 0.05
    with pytest.raises(ValueError, match="cues must hold one cue label per song"):
        ab.add_tone(x, [0, 1], SR)
    with pytest.raises(ValueError, match="cues must be indices into frequencies"):
        ab.add_tone(x, [0, 1, 6], SR)
    with pytest.raises(ValueError, match="below sr / 2"):
        ab.add_tone(x, [0, 1, 2], SR, frequencies=[100.0, 200.0, 4500.0])


def test_loudness_cue_changes_the_level_only():
    x = np.random.default_rng(2).normal(size=(4, 1000)).astype(np.float32)
    y = ab.add_loudness_cue(x, [0, 1, 2, 3], step_db=-4.0)
    level = 20 * np.log10(np.sqrt((y ** 2).mean(axis=1) / (x ** 2).mean(axis=1)))
    np.testing.assert_allclose(level, [0.0, -4.0, -8.0, -12.0], atol=1e-4)
    np.testing.assert_allclose(y / y.std(axis=1, keepdims=True), x / x.std(axis=1, keepdims=True), rtol=1e-4)


def test_a_loudness_cue_is_invisible_to_peak_normalised_slices():
    from cnnkit.music import slice_songs
    from cnnkit.music.songs import Songs

    songs = make_songs(4, duration=2.0, sr=SR, seed=0)
    louder = Songs(ab.add_loudness_cue(songs.audio, [0, 1, 2, 3], step_db=-6.0), songs.labels, songs.genres, SR,
                   songs.song_ids)
    kw = dict(n_mels=16, width=8, n_fft=256, hop=128)
    assert np.abs(slice_songs(louder, **kw).x - slice_songs(songs, **kw).x).max() < 1e-4


@pytest.mark.parametrize("call, error, match", [
    (lambda: ab.tilt_eq(np.zeros(10), SR), ValueError, "audio must be 2-D"),
    (lambda: ab.tilt_eq(np.zeros((1, 10)), SR, db_per_octave=20.0), ValueError, "db_per_octave"),
    (lambda: ab.add_tone(np.zeros((1, 10)), [-1], SR), ValueError, "cues must .*≥ 0"),
    (lambda: ab.add_tone(np.zeros((1, 10)), [0], SR, level_db=3.0), ValueError, "level_db"),
    (lambda: ab.add_loudness_cue(np.zeros((1, 10)), [0.5]), ValueError, "cues must"),
])
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
