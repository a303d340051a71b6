"""The fault-filtered, artist-disjoint GTZAN split (Kereliuk, Sturm & Larsen 2015) on a fake GTZAN folder."""
import numpy as np
import pytest
import soundfile as sf

from cnnkit import music

SR = 8000
# from the bundled lists: blues.00029 is in train_filtered.txt, blues.00000 in valid, blues.00012 in test,
# classical.00042 in none of them (one of the 70 clips the split leaves out)
CLIPS = {"blues.00029": "training", "blues.00000": "validation", "blues.00012": "test", "classical.00042": None}


def make_gtzan(base, ids=CLIPS):
    for song_id in ids:
        path = base / song_id.split(".")[0] / f"{song_id}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(str(path), (0.1 * np.sin(np.arange(SR // 4) / 5)).astype("float32"), SR)
    return base


def test_bundled_lists_are_the_published_930_clips_artist_disjoint_split():
    split = music.load_gtzan_split()
    counts = {name: sum(v == name for v in split.values()) for name in ("training", "validation", "test")}
    assert counts == {"training": 443, "validation": 197, "test": 290}
    assert {k: split.get(k) for k in CLIPS} == CLIPS
    assert {song_id.split(".")[0] for song_id in split} == {
        "blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"}


def test_load_gtzan_uses_the_filtered_split_by_default(tmp_path, capsys):
    songs = music.load_gtzan(make_gtzan(tmp_path / "genres"))
    out = capsys.readouterr().out
    assert "skipped 1: 1 not in split: classical/classical.00042.wav" in out
    assert songs.song_ids == ["blues.00000", "blues.00012", "blues.00029"]
    assert songs.split.tolist() == ["validation", "test", "training"]
    train, val, test = songs.splits()
    assert [songs.song_ids[i] for i in (*train, *val, *test)] == ["blues.00029", "blues.00000", "blues.00012"]
    assert songs.subset("test").song_ids == ["blues.00012"]


def test_load_gtzan_without_split_keeps_every_clip(tmp_path, capsys):
    songs = music.load_gtzan(make_gtzan(tmp_path / "genres"), split=None)
    assert capsys.readouterr().out == ""
    assert len(songs) == 4 and songs.split is None
    with pytest.raises(ValueError, match="no official split.*song_split"):
        songs.splits()


def test_load_gtzan_reads_split_lists_from_a_folder(tmp_path):
    root = make_gtzan(tmp_path / "data" / "genres")
    lists = tmp_path / "my_split"
    lists.mkdir()
    (lists / "train_filtered.txt").write_text("blues/blues.00000.wav\nclassical/classical.00042.wav\n")
    (lists / "valid_filtered.txt").write_text("blues/blues.00012.wav\n\n")
    (lists / "test_filtered.txt").write_text("blues/blues.00029.wav\n")
    songs = music.load_gtzan(root, split=lists)
    assert dict(zip(songs.song_ids, songs.split)) == {
        "blues.00000": "training", "classical.00042": "training", "blues.00012": "validation", "blues.00029": "test"}


def test_bad_split_lists_are_named(tmp_path):
    root = make_gtzan(tmp_path / "genres")
    with pytest.raises(FileNotFoundError, match="split: no such folder"):
        music.load_gtzan(root, split=tmp_path / "nowhere")
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "train_filtered.txt").write_text("blues/blues.00000.wav\n")
    with pytest.raises(FileNotFoundError, match="split folder .* lacks valid_filtered.txt"):
        music.load_gtzan_split(tmp_path / "lists")
    (tmp_path / "lists" / "valid_filtered.txt").write_text("blues/blues.00000.wav\n")
    (tmp_path / "lists" / "test_filtered.txt").write_text("")
    with pytest.raises(ValueError, match="split: blues.00000 is listed in 'training' and 'validation'"):
        music.load_gtzan_split(tmp_path / "lists")
    with pytest.raises(TypeError, match=r"split must be 'filtered', a folder of split lists or None, got 3 \(int\)"):
        music.load_gtzan(root, split=3)
