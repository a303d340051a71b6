"""Songs on disk streamed to a CNN with ``tf.data``: parallel decoding, an optional cache, prefetching.

:func:`slice_songs` holds every slice in memory, which is fine for the synthetic songs; a real
collection (GTZAN's 1,000 clips, FMA's 8,000 or 100,000 tracks) is better streamed. :func:`slice_dataset`
decodes songs in parallel threads with the *same* code (:func:`cnnkit.music.songs.slice_song`, so the
slices are identical), cuts them into slices, caches them (in memory or in a file on disk) so that only
the first epoch decodes, shuffles, batches and prefetches while the model trains on the previous batch::

    >>> import tempfile
    >>> from cnnkit.music import load_gtzan, make_songs
    >>> folder = tempfile.mkdtemp()
    >>> _ = make_songs(4, duration=2.0, sr=8000, genres=("jazz", "rock"), seed=0).to_wav(folder)
    >>> index = load_gtzan(folder, split=None)               # made-up clips: no GTZAN split
    >>> ds = slice_dataset(index, sr=8000, n_mels=16, width=8, n_fft=256, hop=128, batch_size=10)
    >>> x, y = next(iter(ds))
    >>> tuple(x.shape), y.dtype.name
    ((10, 16, 8, 1), 'int32')

Pass ``with_song=True`` to get each slice's song index too, for voting (:mod:`cnnkit.music.voting`).
"""
import numpy as np

from cnnkit._checks import Bool, Choice, Has, Int, Labels, Number, PathLike, Seed, check_int, contract, int_seed
from cnnkit.music.audio import PAD_MODES
from cnnkit.music.songs import slice_song

_SONGS = Has("labels", "song_ids", what="a MusicIndex or a Songs (anything with labels, song_ids)")
_PAD = (Bool() | Choice(*PAD_MODES)).describe("False, True or a numpy.pad mode name (or None)") | None


@contract(songs=_SONGS, which=Labels() | None, sr=Int(low=1), n_mels=Int(low=1), width=Int(low=1),
          slice_hop=Int(low=1) | None, n_fft=Int(low=2), hop=Int(low=1), top_db=Number(low=0, low_open=True), pad=_PAD,
          batch_size=Int(low=1), shuffle=Bool(), seed=Seed(),
          cache=(Bool() | PathLike()).describe("True, False or a cache file path"), with_song=Bool(),
          parallel=Int(low=1) | None)
def slice_dataset(songs, which=None, *, sr=22050, n_mels=64, width=64, slice_hop=None, n_fft=1024, hop=512,
                  top_db=80.0, pad=False, batch_size=32, shuffle=False, seed=0, cache=True, with_song=False,
                  parallel=None):
    """A ``tf.data.Dataset`` of ``(slice, label)`` batches (``(slice, label, song)`` with ``with_song``).

    Songs are decoded in parallel threads by :func:`cnnkit.music.songs.slice_song` (the slices equal
    :func:`~cnnkit.music.slice_songs`'), cached, shuffled, batched and prefetched.

    Args:
        songs: a ``MusicIndex`` (GTZAN, FMA) or a :class:`~cnnkit.music.Songs`.
        which: the song indices (checked here, not at the first batch); None → every song.
        sr: as in :func:`~cnnkit.music.slice_songs`.
        n_mels: as in :func:`~cnnkit.music.slice_songs`.
        width: as in :func:`~cnnkit.music.slice_songs`.
        slice_hop: as in :func:`~cnnkit.music.slice_songs`.
        n_fft: as in :func:`~cnnkit.music.slice_songs`.
        hop: as in :func:`~cnnkit.music.slice_songs`.
        top_db: as in :func:`~cnnkit.music.slice_songs`.
        pad: as in :func:`~cnnkit.music.slice_songs`.
        batch_size: slices per batch.
        shuffle: shuffle the slices (in a buffer of 8 batches), in a new order each epoch.
        seed: an int, a NumPy ``SeedSequence`` or ``Generator`` for the shuffle (one int is drawn from those).
        cache: ``True`` caches the slices in memory after the first pass, a path caches them in that file
            (it survives the session; delete it when the settings change), ``False`` decodes every epoch.
        with_song: also yield each slice's song index, for voting.
        parallel: songs decoded at once (None: ``tf.data.AUTOTUNE``).

    Returns:
        A batched, prefetched ``tf.data.Dataset``.

    Raises:
        ValueError: an index in ``which`` outside the songs.

    Example:
        >>> from cnnkit.music import make_songs
        >>> songs = make_songs(2, duration=2.0, sr=8000, seed=0)
        >>> ds = slice_dataset(songs, sr=8000, n_mels=16, width=8, n_fft=256, hop=128, batch_size=10, with_song=True)
        >>> x, y, song = next(iter(ds))
        >>> tuple(x.shape), y.numpy().tolist()[:3], song.numpy().tolist()[:3]
        ((10, 16, 8, 1), [0, 0, 0], [0, 0, 0])
    """
    import tensorflow as tf

    which = np.arange(len(songs)) if which is None else np.asarray(which)
    if which.size and which.max() >= len(songs):       # here, not at the first batch inside TensorFlow
        raise ValueError(f"which holds song indices outside 0..{len(songs) - 1}: {which[which >= len(songs)][:5]}")
    batch_size = check_int(batch_size, "batch_size", low=1)
    settings = dict(n_mels=n_mels, width=width, slice_hop=slice_hop, n_fft=n_fft, hop=hop, top_db=top_db, pad=pad,
                    sr=sr)
    labels = np.asarray(songs.labels)

    def decode(i):
        cut = slice_song(songs, int(i), **settings)
        return cut[..., None], np.full(len(cut), labels[int(i)], np.int32), np.full(len(cut), int(i), np.int32)

    def load(i):
        x, y, song = tf.numpy_function(decode, [i], (tf.float32, tf.int32, tf.int32), stateful=False)
        x.set_shape((None, n_mels, width, 1))
        y.set_shape((None,))
        song.set_shape((None,))
        return tf.data.Dataset.from_tensor_slices((x, y, song))

    ds = tf.data.Dataset.from_tensor_slices(which.astype(np.int64))
    ds = ds.interleave(load, cycle_length=tf.data.AUTOTUNE if parallel is None else parallel,
                       num_parallel_calls=tf.data.AUTOTUNE if parallel is None else parallel, deterministic=True)
    if cache is not False:
        ds = ds.cache("" if cache is True else str(cache))
    if shuffle:
        ds = ds.shuffle(8 * batch_size, seed=int_seed(seed), reshuffle_each_iteration=True)
    ds = ds.batch(batch_size)
    if not with_song:  # drop the song index once per batch, not once per slice
        ds = ds.map(lambda x, y, song: (x, y))
    return ds.prefetch(tf.data.AUTOTUNE)
