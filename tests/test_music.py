"""cnnkit.music.synth (and its _render) and .songs: the synthesiser, the split by song and the slices that carry their song."""
import numpy as np
import pytest
import soundfile as sf

from cnnkit.music import audio
from cnnkit.music import GENRES, make_songs
from cnnkit.music import check_split_by_song, slice_songs, song_split


@pytest.fixture(scope="module")
def songs():
    return make_songs(18, seed=3, duration=4.0, sr=16000)


def test_music_shapes_labels_and_ids(songs):
    assert len(GENRES) >= 6 and {"classical", "rock", "electronic", "hip-hop", "jazz", "reggae"} <= set(GENRES)
    assert songs.audio.shape == (18, 64000) and songs.audio.dtype == np.float32 and songs.sr == 16000
    assert list(songs.genres) == list(GENRES)
    np.testing.assert_array_equal(np.bincount(songs.labels), [3] * 6)
    assert len(set(songs.song_ids)) == 18
    assert all(sid.startswith(songs.genres[label] + ".") for sid, label in zip(songs.song_ids, songs.labels))
    peaks = np.abs(songs.audio).max(axis=1)
    assert (peaks <= 1).all() and (peaks > 0.3).all() and np.isfinite(songs.audio).all()
    assert "18 songs" in repr(songs)


def test_music_is_deterministic_and_seed_dependent(songs):
    again = make_songs(18, seed=3, duration=4.0, sr=16000)
    np.testing.assert_array_equal(again.audio, songs.audio)
    np.testing.assert_array_equal(again.tempos, songs.tempos)
    other = make_songs(18, seed=4, duration=4.0, sr=16000)
    assert not np.allclose(other.audio, songs.audio)
    prefix = make_songs(7, seed=3, duration=4.0, sr=16000)           # song i does not depend on n_songs
    np.testing.assert_array_equal(prefix.audio, songs.audio[:7])


def test_music_duration_sr_and_genre_subset():
    few = make_songs(4, seed=0, duration=2.5, sr=22050, genres=["jazz", "rock"])
    assert few.audio.shape == (4, int(2.5 * 22050)) and few.genres == ["jazz", "rock"]
    np.testing.assert_array_equal(few.labels, [0, 1, 0, 1])
    tempos = make_songs(12, seed=0, duration=1.0).tempos
    assert ((tempos >= 60) & (tempos <= 190)).all()


def test_genres_differ_on_average():
    """Crude check that genres sound different: the spectral centroid's spread across genres is clear."""
    songs = make_songs(24, seed=0, duration=3.0, sr=16000)
    centroid = np.array([float((np.abs(np.fft.rfft(a)) * np.arange(len(a) // 2 + 1)).sum() / np.abs(np.fft.rfft(a)).sum())
                         for a in songs.audio])
    per_genre = np.array([centroid[songs.labels == k].mean() for k in range(6)])
    assert per_genre.max() > 1.5 * per_genre.min()


@pytest.mark.parametrize("sr", [8000, 11025, 16000])
@pytest.mark.parametrize("genre", GENRES)
def test_every_genre_renders_down_to_the_lowest_sample_rate(genre, sr):
    """Issue 10, defect 2: 8000 ≤ sr < ~13.4 kHz crashed in scipy ("Wn[0] must be less than Wn[1]")."""
    songs = make_songs(4, duration=1.0, sr=sr, genres=[genre, "classical" if genre != "classical" else "rock"],
                       seed=5)
    assert songs.audio.shape == (4, sr) and np.isfinite(songs.audio).all()
    assert (np.abs(songs.audio).max(axis=1) > 0.3).all()


def test_drum_bands_above_the_nyquist_frequency_are_left_out():
    from cnnkit.music._instruments import drum_kit

    low = drum_kit(np.random.default_rng(0), 8000, "four_floor")
    high = drum_kit(np.random.default_rng(0), 22050, "four_floor")
    assert not low["hat"].any() and high["hat"].any()                  # a 6-11 kHz hat cannot exist at 8 kHz
    assert low["snare"].any() and low["kick"].any()


@pytest.mark.parametrize("bad, error, message", [
    (dict(n_songs=0), ValueError, "n_songs must be ≥ 1"),
    (dict(n_songs=2.5), TypeError, "n_songs must be an integer"),
    (dict(n_songs=True), TypeError, "n_songs must be an integer"),
    (dict(n_songs=4, duration=0), ValueError, "duration must be in"),
    (dict(n_songs=4, duration="long"), TypeError, "duration must be a number"),
    (dict(n_songs=4, sr=100), ValueError, "sr must be ≥ 8000"),
    (dict(n_songs=4, sr=7999), ValueError, "sr must be ≥ 8000"),
    (dict(n_songs=4, sr=16000.0), TypeError, "sr must be an integer"),
    (dict(n_songs=4, genres=["polka", "rock"]), ValueError, "genres must be at least 2 distinct"),
    (dict(n_songs=4, genres=["rock"]), ValueError, "genres must .*at least 2"),
    (dict(n_songs=4, genres=["rock", "rock"]), ValueError, "genres must be at least 2 distinct"),
    (dict(n_songs=4, genres="rock"), TypeError, "genres must be a list or tuple"),
    (dict(n_songs=4, which=[4]), ValueError, "which must hold song indices in 0..3"),
    (dict(n_songs=4, which=[-1]), ValueError, "which must .*≥ 0"),
    (dict(n_songs=4, drums="no"), TypeError, "drums must be True or False"),
    (dict(n_songs=4, instruments={"rock": "polka"}), ValueError, "instruments.*must be one of"),
    (dict(n_songs=4, genres=["jazz", "rock"], instruments={"reggae": "rock"}), ValueError, "instruments must map"),
    (dict(n_songs=4, instruments=[("rock", "jazz")]), TypeError, "instruments must be a dict"),
    (dict(n_songs=4, tempo_scale=0), ValueError, "tempo_scale must be"),
    (dict(n_songs=4, seed=-1), ValueError, "seed must be ≥ 0"),
    (dict(n_songs=4, seed="x"), TypeError, "seed must be an int"),
])
def test_music_rejects_bad_arguments(bad, error, message):
    with pytest.raises(error, match=message):
        make_songs(**bad)


def test_make_songs_options_are_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        make_songs(4, 0)


@pytest.mark.parametrize("kind", ["int", "SeedSequence", "Generator"])
def test_make_songs_takes_every_seed_form(kind):
    def seed():
        return {"int": 7, "SeedSequence": np.random.SeedSequence(7), "Generator": np.random.default_rng(7)}[kind]

    five = make_songs(5, duration=0.5, sr=8000, seed=seed())
    three = make_songs(3, duration=0.5, sr=8000, seed=seed())
    np.testing.assert_array_equal(three.audio, five.audio[:3])     # song i does not depend on n_songs
    assert not np.array_equal(five.audio[0], make_songs(1, duration=0.5, sr=8000, seed=8).audio[0])


def test_to_wav_writes_gtzan_layout(songs, tmp_path):
    paths = songs.to_wav(tmp_path)
    assert len(paths) == 18
    assert paths[0] == tmp_path / "classical" / "classical.00000.wav"
    y, sr = audio.load_audio(paths[5], sr=None)
    assert sr == 16000 and len(y) == 64000
    assert np.abs(y - songs.audio[5]).max() < 1e-3
    assert sf.info(str(paths[5])).subtype == "PCM_16"


def test_song_split_is_by_song_and_stratified():
    labels = np.repeat(np.arange(6), 20)
    split = song_split(labels, val=0.15, test=0.25, seed=0)
    assert sorted(np.concatenate(list(split)).tolist()) == list(range(120))       # every song exactly once
    assert check_split_by_song(*split)
    for part, share in zip(split, (0.6, 0.15, 0.25)):
        counts = np.bincount(labels[part], minlength=6)
        assert (counts == round(20 * share)).all()
    np.testing.assert_array_equal(song_split(labels, val=0.15, test=0.25, seed=0).test, split.test)
    assert not np.array_equal(song_split(labels, val=0.15, test=0.25, seed=1).test, split.test)
    with pytest.raises(ValueError, match="too few for a val split|empty val part"):
        song_split([0, 1], val=0.2, test=0.2)
    with pytest.raises(ValueError, match="val=0.6 and test=0.5 leave nothing"):
        song_split(labels, val=0.6, test=0.5)


def test_check_split_by_song_catches_a_leak():
    with pytest.raises(ValueError, match="song 3"):
        check_split_by_song([0, 1, 3], [2, 3, 3], [4])
    assert check_split_by_song([0, 0, 1], [2, 2], [3])


def test_slices_by_song_keep_every_slice_with_its_song(songs):
    split = song_split(songs, val=1 / 3, test=1 / 3, seed=0)
    parts = [slice_songs(songs, idx, n_mels=32, width=32, n_fft=512, hop=256) for idx in split]
    frames = 1 + 64000 // 256
    per_song = frames // 32
    for part, idx in zip(parts, split):
        assert part.x.shape == (len(idx) * per_song, 32, 32, 1) and part.x.dtype == np.float32
        assert 0 <= part.x.min() and part.x.max() <= 1
        np.testing.assert_array_equal(np.unique(part.song), idx)
        np.testing.assert_array_equal(part.y, songs.labels[part.song])
        assert (np.bincount(part.song)[idx] == per_song).all()
    check_split_by_song(*(p.song for p in parts))                  # slices of a song stay in its split
    # slice k of a song is columns [32k, 32k + 32) of the song's scaled spectrogram
    song = int(split.test[0])
    S = (audio.spectrogram(songs.audio[song], 16000, n_fft=512, hop=256, n_mels=32) + 80) / 80
    test = parts[2]
    np.testing.assert_allclose(test.x[test.song == song][1, :, :, 0], S[:, 32:64], atol=1e-6)


def test_slices_by_song_errors(songs):
    with pytest.raises(ValueError, match="which holds song indices outside"):
        slice_songs(songs, [0, 99])
    with pytest.raises(ValueError, match=r"which must hold integers \(labels or indices\), got values such as \[0.5\]"):
        slice_songs(songs, [0.5])
    with pytest.raises(ValueError, match="which is empty"):
        slice_songs(songs, [])
    with pytest.raises(TypeError, match="positional"):
        slice_songs(songs, [0], 32)
    with pytest.raises(ValueError, match="classical.00000"):
        slice_songs(songs, [0], width=10_000)
    padded = slice_songs(songs, [0], width=10_000, n_mels=16, pad="constant")
    assert padded.x.shape == (1, 16, 10_000, 1) and padded.x[0, :, -1, 0].max() == 0.0


def test_slices_by_song_reads_songs_from_disk_through_load(songs, tmp_path):
    """A MusicIndex-like object (labels, song_ids, load(i, sr)) of songs of different lengths."""
    paths = songs.to_wav(tmp_path)[:3]

    class Index:
        labels = songs.labels[:3]
        song_ids = list(songs.song_ids[:3])

        def __len__(self):
            return 3

        def load(self, i, sr):
            y, _ = audio.load_audio(paths[i], sr=sr)
            return y[: len(y) // (i + 1)]                               # song i is 1/(i+1) as long

    out = slice_songs(Index(), n_mels=16, width=20, n_fft=512, hop=256, sr=8000)
    frames = [1 + (32000 // (i + 1)) // 256 for i in range(3)]
    np.testing.assert_array_equal(np.bincount(out.song), [f // 20 for f in frames])
    np.testing.assert_array_equal(out.y, songs.labels[out.song])


def test_make_songs_progress_bar_only_when_asked_or_long(capsys):
    make_songs(2, duration=1.0, sr=8000, progress=True)
    assert "songs" in capsys.readouterr().out
    make_songs(2, duration=1.0, sr=8000)
    assert capsys.readouterr().out == ""
