"""cnnkit.music.pipeline.slice_dataset: the tf.data route gives the very slices of slice_songs."""
import numpy as np
import pytest

from cnnkit.music import load_gtzan, make_songs, slice_dataset, slice_songs

SETTINGS = dict(sr=8000, n_mels=16, width=8, n_fft=256, hop=128)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gtzan")
    make_songs(6, duration=2.0, sr=8000, genres=("classical", "jazz", "rock"), seed=3).to_wav(folder)
    return load_gtzan(folder, split=None)


def _collect(ds):
    xs, ys, songs = zip(*[(x.numpy(), y.numpy(), s.numpy()) for x, y, s in ds])
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(songs)


def test_streamed_slices_equal_the_in_memory_slices_song_by_song(index):
    x, y, song = _collect(slice_dataset(index, with_song=True, batch_size=7, **SETTINGS))
    ref = slice_songs(index, **SETTINGS)
    assert x.shape == ref.x.shape and sorted(song.tolist()) == sorted(ref.song.tolist())
    for s in np.unique(ref.song):                      # interleaving mixes songs, but keeps each song's order
        np.testing.assert_array_equal(x[song == s], ref.x[ref.song == s])
        assert set(y[song == s]) == {index.labels[s]}


def test_a_file_cache_is_written_once_and_read_back(index, tmp_path):
    cache = tmp_path / "slices.cache"
    ds = slice_dataset(index, which=[0, 2, 4], cache=cache, with_song=True, **SETTINGS)
    first = _collect(ds)
    assert list(tmp_path.glob("slices.cache*")), "no cache file was written"
    second = _collect(ds)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_shuffling_reorders_but_keeps_every_slice(index):
    plain = _collect(slice_dataset(index, with_song=True, **SETTINGS))
    mixed = _collect(slice_dataset(index, with_song=True, shuffle=True, seed=1, batch_size=4, **SETTINGS))
    assert not np.array_equal(plain[2], mixed[2])
    key = lambda parts: sorted(zip(parts[2].tolist(), parts[0].reshape(len(parts[0]), -1).sum(1).round(4).tolist()))
    assert key(plain) == key(mixed)


def test_two_part_batches_for_training(index):
    x, y = next(iter(slice_dataset(index, batch_size=5, **SETTINGS)))
    assert tuple(x.shape) == (5, 16, 8, 1) and tuple(y.shape) == (5,)


def test_bad_batch_size_is_named(index):
    with pytest.raises(ValueError, match="batch_size must be ≥ 1"):
        slice_dataset(index, batch_size=0, **SETTINGS)
