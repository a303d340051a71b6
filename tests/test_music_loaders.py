"""GTZAN and FMA loaders on fake dataset folders written by the tests (tiny audio files)."""
import numpy as np
import pandas as pd
import pytest
import soundfile as sf

from cnnkit import music
from cnnkit.music.index import MusicIndex

SR = 8000


def _tone(freq, seconds=0.25, sr=SR):
    return (0.3 * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)).astype("float32")


def _write(path, y, sr=SR, fmt=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "MP3":
        try:
            sf.write(str(path), y, sr, format="MP3")
            return
        except Exception:  # noqa: BLE001 - libsndfile without an mp3 encoder: WAV content, .mp3 name
            fmt = "WAV"
    sf.write(str(path), y, sr, format=fmt)


def make_gtzan(base, genres=("blues", "jazz", "rock"), per_genre=3, ext="wav", corrupt_jazz=True):
    for g, genre in enumerate(genres):
        for n in range(per_genre):
            _write(base / genre / f"{genre}.{n:05d}.{ext}", _tone(200 + 100 * g + 10 * n),
                   fmt="AU" if ext == "au" else None)
    if corrupt_jazz and "jazz" in genres:
        (base / "jazz" / "jazz.00054.wav").write_bytes(b"RIFF\x00\x00not really a wave file")
    return base


@pytest.mark.parametrize("layout", ["genres", "genres_original", "."])
def test_gtzan_finds_every_layout_and_skips_the_known_corrupt_file(tmp_path, capsys, layout):
    make_gtzan(tmp_path / layout)
    songs = music.load_gtzan(tmp_path, split=None)
    out = capsys.readouterr().out
    assert out.count("\n") == 1                                                # one line
    assert out.startswith("gtzan: 10 items in ")
    assert "kept 9, skipped 1: 1 known corrupt file: jazz/jazz.00054.wav" in out
    assert isinstance(songs, MusicIndex) and len(songs) == 9
    assert songs.genres == ["blues", "jazz", "rock"]
    assert songs.labels.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert songs.song_ids[:2] == ["blues.00000", "blues.00001"] and "jazz.00054" not in songs.song_ids
    assert [(kind, item) for kind, item, _ in songs.report.skipped] == [("known corrupt file", "jazz/jazz.00054.wav")]
    assert songs.report.found == 10 and songs.report.kept == 9
    assert songs.split is None and "skipped=1" in repr(songs)


def test_gtzan_prints_nothing_when_nothing_is_skipped(tmp_path, capsys):
    make_gtzan(tmp_path / "genres", corrupt_jazz=False)
    songs = music.load_gtzan(tmp_path, split=None)
    assert capsys.readouterr().out == "" and songs.report.n_skipped == 0 and songs.report.kept == 9


def test_gtzan_loads_audio_lazily_and_resampled(tmp_path):
    make_gtzan(tmp_path / "genres", corrupt_jazz=False)
    songs = music.load_gtzan(tmp_path, split=None)
    y = songs.load(4, sr=16000)
    assert y.dtype == np.float32 and y.shape == (2 * int(0.25 * SR),)
    native = songs.load(4, sr=None)
    # the file's own tone: 300 Hz + 10 Hz for song 1 of genre 1 (jazz.00001)
    spectrum = np.abs(np.fft.rfft(native))
    assert np.fft.rfftfreq(len(native), 1 / SR)[spectrum.argmax()] == pytest.approx(310, abs=4)
    audio, label, song_id = next(songs.iter_audio(sr=SR))
    assert label == 0 and song_id == "blues.00000" and len(audio) == int(0.25 * SR)
    assert len(songs.subset([0, 5]).load_all(sr=SR)) == 2


def test_gtzan_reads_the_original_au_files_and_reports_stray_files(tmp_path, capsys):
    base = make_gtzan(tmp_path / "genres", genres=("pop", "metal"), ext="au", corrupt_jazz=False)
    (base / "pop" / "notes.txt").write_text("hello")
    (base / "pop" / ".DS_Store").write_bytes(b"\x00")
    songs = music.load_gtzan(tmp_path, split=None)
    assert len(songs) == 6 and songs.genres == ["metal", "pop"]
    assert "skipped 1: 1 stray file: pop/notes.txt" in capsys.readouterr().out
    assert songs.load(0, sr=SR).shape == (int(0.25 * SR),)


def test_gtzan_other_unreadable_files_raise_unless_not_strict(tmp_path, capsys):
    base = make_gtzan(tmp_path / "genres", corrupt_jazz=False)
    (base / "rock" / "rock.00007.wav").write_bytes(b"")
    (base / "blues" / "blues.00009.wav").write_bytes(b"garbage" * 10)
    with pytest.raises(ValueError, match=r"gtzan: 2 of 11 items cannot be used: 2 unreadable files: "
                                         r"blues/blues.00009.wav \(unreadable.*"
                                         r"rock/rock.00007.wav \(empty.*strict=False"):
        music.load_gtzan(tmp_path, split=None)
    songs = music.load_gtzan(tmp_path, split=None, strict=False)
    out = capsys.readouterr().out
    assert len(songs) == 9 and "kept 9, skipped 2" in out
    assert "rock/rock.00007.wav" in out and "blues/blues.00009.wav" in out
    assert sorted(item for _, item, _ in songs.report.skipped) == ["blues/blues.00009.wav", "rock/rock.00007.wav"]


def test_gtzan_wrong_root_says_what_it_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match="root: no such folder: .*nowhere"):
        music.load_gtzan(tmp_path / "nowhere")
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "song.wav").write_bytes(b"x")
    with pytest.raises(FileNotFoundError, match=r"holds no GTZAN genre folders: expected <root>/genres/<genre>/"):
        music.load_gtzan(tmp_path, split=None)
    with pytest.raises(TypeError, match="positional"):
        music.load_gtzan(tmp_path, False)


# ------------------------------------------------------------------ FMA
def make_fma(root, tracks, write=True):
    """tracks: (track_id, genre_top, split, subset). Writes tracks.csv like FMA's (two header rows)."""
    columns = pd.MultiIndex.from_tuples([("album", "title"), ("set", "split"), ("set", "subset"),
                                         ("track", "genre_top"), ("track", "title")])
    df = pd.DataFrame([["an album", split, subset, genre, f"song {tid}"] for tid, genre, split, subset in tracks],
                      index=pd.Index([t[0] for t in tracks], name="track_id"), columns=columns)
    (root / "fma_metadata").mkdir(parents=True)
    df.to_csv(root / "fma_metadata" / "tracks.csv")
    if write:
        for i, (tid, *_rest) in enumerate(tracks):
            _write(root / "fma_small" / f"{tid:06d}"[:3] / f"{tid:06d}.mp3", _tone(300 + 40 * i, 0.3), fmt="MP3")
    return root


TRACKS = [(2, "Hip-Hop", "training", "small"), (5, "Hip-Hop", "validation", "small"),
          (140, "Folk", "training", "small"), (1482, "Rock", "test", "small"),
          (99134, "Rock", "training", "small"), (123456, "Folk", "test", "small"),
          (3, "Rock", "training", "medium"), (4, float("nan"), "training", "small")]


def test_fma_reads_the_two_row_header_split_and_subset(tmp_path, capsys):
    make_fma(tmp_path, TRACKS)
    (tmp_path / "fma_small" / "099" / "099134.mp3").write_bytes(b"")     # FMA's known empty file
    songs = music.load_fma(tmp_path)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("fma: 8 items in ")   # 7 small tracks + 1 stray mp3
    assert "kept 5, skipped 3" in out
    assert "1 known corrupt file: 099/099134.mp3 (empty file (0 bytes))" in out
    assert "1 unlabelled track: 000004 (no track/genre_top in tracks.csv)" in out
    assert "1 stray file: 000/000003.mp3" in out            # track 3 is in fma_medium, not small
    assert songs.song_ids == ["000002", "000005", "000140", "001482", "123456"]
    assert songs.genres == ["Folk", "Hip-Hop", "Rock"]
    assert songs.labels.tolist() == [1, 1, 0, 2, 0]
    assert songs.split.tolist() == ["training", "validation", "training", "test", "test"]
    assert songs.paths[3].relative_to(tmp_path).as_posix() == "fma_small/001/001482.mp3"
    train = songs.subset("training")
    assert train.song_ids == ["000002", "000140"] and set(train.split) == {"training"}
    y = train.load(1, sr=SR)
    assert y.dtype == np.float32 and abs(len(y) - int(0.3 * SR)) < 0.05 * SR
    assert train.report is songs.report
    with pytest.raises(ValueError, match="splits are"):
        songs.subset("train")


def test_fma_lists_the_tracks_without_a_genre(tmp_path, capsys):
    """Issue 10, defect 13: tracks without track/genre_top were counted but not named."""
    tracks = TRACKS[:2] + [(7, float("nan"), "training", "small"), (11, float("nan"), "test", "small")]
    make_fma(tmp_path, tracks, write=False)
    for tid in (2, 5):
        _write(tmp_path / "fma_small" / "000" / f"{tid:06d}.mp3", _tone(440, 0.2), fmt="WAV")
    songs = music.load_fma(tmp_path)                                   # strict, yet FMA ships them: no error
    assert songs.song_ids == ["000002", "000005"]
    unlabelled = songs.report.problems["unlabelled track"]
    assert [item for item, _ in unlabelled] == ["000007", "000011"]
    assert "2 unlabelled tracks: 000007 (no track/genre_top in tracks.csv), 000011" in capsys.readouterr().out


def test_fma_missing_and_unreadable_files_raise_unless_not_strict(tmp_path, capsys):
    make_fma(tmp_path, TRACKS[:4])
    (tmp_path / "fma_small" / "000" / "000005.mp3").unlink()
    (tmp_path / "fma_small" / "000" / "000140.mp3").write_bytes(b"ID3 but no frames")
    with pytest.raises(ValueError, match=r"fma: 2 of 4 items cannot be used: 1 missing file: 000/000005.mp3 "
                                         r"\(no such file\); 1 unreadable file: 000/000140.mp3"):
        music.load_fma(tmp_path)
    songs = music.load_fma(tmp_path, strict=False)
    assert songs.song_ids == ["000002", "001482"]
    assert "kept 2, skipped 2: 1 missing file: 000/000005.mp3" in capsys.readouterr().out
    assert [item for _, item, _ in songs.report.skipped] == ["000/000005.mp3", "000/000140.mp3"]


def test_fma_medium_includes_small(tmp_path):
    make_fma(tmp_path, TRACKS[:4] + [TRACKS[6]], write=False)
    (tmp_path / "fma_medium").mkdir()
    for tid in (2, 5, 140, 1482, 3):
        _write(tmp_path / "fma_medium" / f"{tid:06d}"[:3] / f"{tid:06d}.mp3", _tone(440, 0.2), fmt="WAV")
    assert len(music.load_fma(tmp_path, subset="medium")) == 5


def test_fma_wrong_root_says_what_it_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match="root: no such folder: .*nowhere"):
        music.load_fma(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="fma_metadata/tracks.csv"):
        music.load_fma(tmp_path)
    make_fma(tmp_path, TRACKS[:2], write=False)
    with pytest.raises(FileNotFoundError, match=r"fma_small/<NNN>/<NNNNNN>\.mp3"):
        music.load_fma(tmp_path)
    with pytest.raises(ValueError, match="subset must be one of"):
        music.load_fma(tmp_path, subset="tiny")
    with pytest.raises(TypeError, match="positional"):
        music.load_fma(tmp_path, "small")
    pd.DataFrame({"a": [1]}).to_csv(tmp_path / "fma_metadata" / "tracks.csv")
    (tmp_path / "fma_small").mkdir()
    with pytest.raises(ValueError, match="tracks.csv.*(lacks the columns|cannot be read)"):
        music.load_fma(tmp_path)


def test_a_gtzan_index_feeds_slices_by_song(tmp_path):
    make_gtzan(tmp_path / "genres", per_genre=2, corrupt_jazz=False)
    for f in (tmp_path / "genres").rglob("*.wav"):                       # 1.5 s clips: a few slices each
        _write(f, np.tile(sf.read(str(f), dtype="float32")[0], 6))
    songs = music.load_gtzan(tmp_path, split=None)
    slices = music.slice_songs(songs, n_mels=32, width=8, n_fft=256, hop=128, sr=SR)
    assert slices.x.shape[1:] == (32, 8, 1)
    assert sorted(set(slices.song.tolist())) == list(range(6))
    np.testing.assert_array_equal(slices.y, songs.labels[slices.song])
