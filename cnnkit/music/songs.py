"""Songs as data: the :class:`Songs` container, a split **by song**, and CNN slices that remember their song.

Slices of one song share its key, tempo, instruments and mix; a split by slice lets test songs leak into
training. So you split songs first, then slice each part::

    >>> import numpy as np
    >>> from cnnkit.music import check_split_by_song, song_split
    >>> split = song_split(np.repeat(np.arange(3), 4), val=0.25, test=0.25, seed=0)
    >>> [len(part) for part in split], check_split_by_song(*split)
    ([6, 3, 3], True)

:func:`slice_songs` then turns each part into ``(x, y, song)`` arrays for the CNN and for voting
(:func:`cnnkit.music.voting.vote_songs`). It reads a :class:`Songs` in memory or an on-disk index such as
``cnnkit.music.load_gtzan(root)``.
"""
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cnnkit._checks import (Array, Bool, Choice, Fraction, Has, Int, Labels, Number, PathLike, Seed, Seq, Str,
                            check_array, contract)
from cnnkit.data.splits import split_indices
from cnnkit.music.audio import PAD_MODES

#: what slice_songs and slice_dataset read songs from: Songs in memory, or an on-disk MusicIndex (GTZAN, FMA)
_SONGS = Has("labels", "song_ids", what="a Songs or a MusicIndex (anything with labels, song_ids)")
#: the padding of the last slice: False / None (drop the remainder), True ("constant") or a numpy.pad mode
_PAD = (Bool() | Choice(*PAD_MODES)).describe("False, True or a numpy.pad mode name (or None)") | None

@contract(x=Array(ndim=4, empty=True), y=Labels(empty=True), song=Labels(empty=True))
class SongSlices(namedtuple("SongSlices", "x y song")):
    """What :func:`slice_songs` returns: CNN slices with their labels and the song each comes from.

    Args:
        x: the slices, ``(n_slices, n_mels, width, 1)`` float32 in [0, 1].
        y: each slice's label (its song's label).
        song: each slice's song index (into the songs that were sliced), for voting.

    Example:
        >>> s = SongSlices(np.zeros((3, 4, 4, 1), "float32"), np.array([1, 1, 0]), np.array([5, 5, 2]))
        >>> x, y, song = s                                       # unpacks like a tuple
        >>> x.shape, s.song.tolist()
        ((3, 4, 4, 1), [5, 5, 2])
    """

    __slots__ = ()


@contract(audio=(Array(ndim=2) | Seq(Array(ndim=1), min_len=0)).describe(
              "an (n_songs, n_samples) array or a list of 1-D arrays"),
          labels=Labels(empty=True), genres=Seq(Str(), what="a list of genre names"), sr=Int(low=1),
          song_ids=Array(ndim=1, numeric=False, empty=True), tempos=Array(ndim=1, empty=True) | None)
@dataclass
class Songs:
    """Synthetic (or loaded) songs: ``audio[i]`` is song ``song_ids[i]`` with label ``labels[i]``.

    Args:
        audio: ``(n_songs, n_samples)`` float32 in [-1, 1] at ``sr`` Hz, or a list of 1-D arrays when
            lengths differ.
        labels: one integer label per song; ``genres[label]`` is its class name.
        genres: the class names.
        sr: the sample rate in Hz.
        song_ids: one id per song (``"jazz.00000"``…).
        tempos: the beats per minute of each song, or None.

    Raises:
        ValueError: ``audio``, ``labels`` and ``song_ids`` differ in length.

    Example:
        >>> Songs(np.zeros((2, 8000), "float32"), np.array([0, 1]), ["jazz", "rock"], 8000,
        ...       np.array(["jazz.00000", "rock.00000"]))
        Songs(2 songs, 1.0 s each at 8000 Hz; jazz: 1, rock: 1)
    """

    audio: np.ndarray
    labels: np.ndarray
    genres: list
    sr: int
    song_ids: np.ndarray
    tempos: np.ndarray = field(default=None)

    def __post_init__(self):
        if not len(self.audio) == len(self.labels) == len(self.song_ids):
            raise ValueError(f"audio ({len(self.audio)}), labels ({len(self.labels)}) and song_ids "
                             f"({len(self.song_ids)}) must have one entry per song")

    def __len__(self):
        return len(self.labels)

    def __repr__(self):
        counts = np.bincount(np.asarray(self.labels, dtype=int), minlength=len(self.genres))
        per = ", ".join(f"{g}: {c}" for g, c in zip(self.genres, counts))
        seconds = np.mean([len(a) for a in self.audio]) / self.sr if len(self) else 0.0
        return f"Songs({len(self)} songs, {seconds:.1f} s each at {self.sr} Hz; {per})"

    @contract(folder=PathLike(), subtype=Str())
    def to_wav(self, folder, *, subtype="PCM_16"):
        """Write ``folder/<genre>/<song_id>.wav`` (GTZAN's layout) and return the paths.

        Args:
            folder: where to write (made if missing).
            subtype: the libsndfile sample format (``"PCM_16"``, ``"PCM_24"``, ``"FLOAT"``…).

        Returns:
            The written files, a list of :class:`pathlib.Path`.

        Example:
            >>> import tempfile
            >>> from cnnkit.music import make_songs
            >>> paths = make_songs(2, duration=0.5, sr=8000).to_wav(tempfile.mkdtemp())
            >>> [p.relative_to(p.parents[1]).as_posix() for p in paths]
            ['classical/classical.00000.wav', 'electronic/electronic.00000.wav']
        """
        import soundfile as sf

        paths = []
        for audio, label, song_id in zip(self.audio, self.labels, self.song_ids):
            path = Path(folder) / self.genres[int(label)] / f"{song_id}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            sf.write(str(path), np.asarray(audio, dtype=np.float32), self.sr, subtype=subtype)
            paths.append(path)
        return paths


@contract(labels_or_songs=(Has("labels") | Labels()).describe("a Songs (or MusicIndex) or a 1-D array of song labels"),
          val=Fraction(), test=Fraction(), seed=Seed())
def song_split(labels_or_songs, *, val=0.15, test=0.15, seed=0):
    """Split song indices into train / val / test **by song**, stratified by label.

    Slice *songs* after splitting (see :func:`slice_songs`): slices of one song never straddle two splits.

    Args:
        labels_or_songs: a :class:`Songs` (or a ``MusicIndex``) or a 1-D array of song labels.
        val: the share of songs (of each label) in the validation part.
        test: the share of songs (of each label) in the test part.
        seed: an int, a ``numpy.random.SeedSequence`` or a ``numpy.random.Generator``.

    Returns:
        A :class:`~cnnkit.data.Splits` of three disjoint, sorted arrays of song indices
        (``train, val, test = song_split(songs)``).

    Raises:
        ValueError: too few songs for a part that was asked for, or a label class too small to keep a
            training song.

    Example:
        >>> train, val, test = song_split([0, 0, 0, 0, 1, 1, 1, 1], val=0.25, test=0.25, seed=0)
        >>> len(train), len(val), len(test), check_split_by_song(train, val, test)
        (4, 2, 2, True)
    """
    labels = np.asarray(getattr(labels_or_songs, "labels", labels_or_songs))
    if labels.ndim != 1 or len(labels) == 0:
        raise ValueError(f"labels must be a non-empty 1-D array of song labels, got shape {labels.shape}")
    names = getattr(labels_or_songs, "genres", None)
    split = split_indices(labels, val=val, test=test, seed=seed, class_names=names)
    for name, fraction, idx in (("val", val, split.val), ("test", test, split.test)):
        if fraction > 0 and len(idx) == 0:
            raise ValueError(f"{len(labels)} songs are too few for a {name} split of {fraction:.2f}")
    return split


@contract(song_indices=Array(ndim=1, integer=True, empty=True).describe("a 1-D array of song indices"))
def check_split_by_song(*song_indices):
    """Check that no song index appears in two of the given arrays.

    Args:
        *song_indices: one array of song indices per part (train, val, test…).

    Returns:
        True (it raises otherwise).

    Raises:
        ValueError: a song is in two parts (the message names it and the parts).

    Example:
        >>> check_split_by_song([0, 1], [2], [3])
        True
        >>> check_split_by_song([0, 1], [1, 2])
        Traceback (most recent call last):
        ...
        ValueError: song 1 is in split 0 and split 1: the split leaks
    """
    seen = {}
    for part, songs in enumerate(song_indices):
        for song in np.unique(np.asarray(songs)):
            if song in seen and seen[song] != part:
                raise ValueError(f"song {song} is in split {seen[song]} and split {part}: the split leaks")
            seen[song] = part
    return True


@contract(songs=_SONGS, which=Labels() | None, n_mels=Int(low=1), width=Int(low=1), slice_hop=Int(low=1) | None,
          n_fft=Int(low=2), hop=Int(low=1), top_db=Number(low=0, low_open=True), pad=_PAD, sr=Int(low=1))
def slice_songs(songs, which=None, *, n_mels=64, width=64, slice_hop=None, n_fft=1024, hop=512,
                top_db=80.0, pad=False, sr=22050):
    """Mel-spectrogram slices of the songs ``which``, ready for a CNN, each with its label and song.

    Each song → spectrogram (dB relative to its own peak) → scaled from [-top_db, 0] dB to [0, 1] → slices.

    Args:
        songs: a :class:`Songs` (audio in memory, at ``songs.sr``) or anything with ``labels``,
            ``song_ids`` and ``load(i, sr=sr)``, such as the GTZAN / FMA ``MusicIndex`` (read at ``sr``).
        which: the song indices to slice (a 1-D integer array); None → every song.
        n_mels: the mel bands of the spectrogram (:func:`cnnkit.music.audio.spectrogram`).
        width: frames per slice (:func:`cnnkit.music.audio.slice_spectrogram`).
        slice_hop: frames between the starts of two slices (None: ``width``, side by side).
        n_fft: the STFT frame length in samples.
        hop: the STFT hop in samples.
        top_db: the dB range kept below each song's peak (> 0), mapped to [0, 1].
        pad: False drops a remainder shorter than a slice; ``"constant"`` (or True) pads it with silence,
            another ``numpy.pad`` mode pads it so.
        sr: the sample rate songs are read at when they come from disk.

    Returns:
        A :class:`SongSlices` ``(x, y, song)``: ``x`` ``(n_slices, n_mels, width, 1)`` float32, ``y`` each
        slice's label, ``song`` each slice's song index (into ``songs``), for
        :func:`cnnkit.music.voting.vote_songs`.

    Raises:
        ValueError: an index outside the songs, a silent song, or a song shorter than a slice (naming it).

    Example:
        >>> from cnnkit.music import make_songs
        >>> songs = make_songs(2, duration=2.0, sr=8000)
        >>> x, y, song = slice_songs(songs, n_mels=16, width=8, n_fft=256, hop=128)
        >>> x.shape, np.bincount(song).tolist(), y[song == 1][:3].tolist()     # 15 slices per song
        ((30, 16, 8, 1), [15, 15], [1, 1, 1])
    """
    if which is None:
        which = np.arange(len(songs))
    which = check_array(which, "which", ndim=1)
    if len(which) == 0:
        raise ValueError("which must be a non-empty 1-D array of song indices")
    if not np.issubdtype(which.dtype, np.integer):
        raise TypeError(f"which must hold integer song indices, got dtype {which.dtype}")
    if which.min() < 0 or which.max() >= len(songs):
        raise ValueError(f"which holds song indices outside 0..{len(songs) - 1}")
    xs, ys, index = [], [], []
    for i in which:
        cut = slice_song(songs, int(i), n_mels=n_mels, width=width, slice_hop=slice_hop, n_fft=n_fft, hop=hop,
                         top_db=top_db, pad=pad, sr=sr)
        xs.append(cut)
        ys.append(np.full(len(cut), int(songs.labels[i])))
        index.append(np.full(len(cut), int(i)))
    return SongSlices(np.concatenate(xs)[..., None].astype(np.float32), np.concatenate(ys),
                      np.concatenate(index))


@contract(songs=_SONGS, i=Int(low=0), n_mels=Int(low=1), width=Int(low=1), slice_hop=Int(low=1) | None,
          n_fft=Int(low=2), hop=Int(low=1), top_db=Number(low=0, low_open=True), pad=_PAD, sr=Int(low=1))
def slice_song(songs, i, *, n_mels=64, width=64, slice_hop=None, n_fft=1024, hop=512, top_db=80.0, pad=False,
               sr=22050):
    """The slices of song ``i`` alone, ``(n_slices, n_mels, width)`` float32 in [0, 1].

    Args:
        songs: as :func:`slice_songs`.
        i: the song's index.
        n_mels: as :func:`slice_songs`.
        width: as :func:`slice_songs`.
        slice_hop: as :func:`slice_songs`.
        n_fft: as :func:`slice_songs`.
        hop: as :func:`slice_songs`.
        top_db: as :func:`slice_songs`.
        pad: as :func:`slice_songs`.
        sr: as :func:`slice_songs`.

    Returns:
        A float32 array ``(n_slices, n_mels, width)``.

    Raises:
        ValueError: ``i`` outside the songs, a silent song, or one shorter than a slice (naming the song).

    Example:
        >>> from cnnkit.music import make_songs
        >>> slice_song(make_songs(1, duration=2.0, sr=8000), 0, n_mels=16, width=8, n_fft=256, hop=128).shape
        (15, 16, 8)
    """
    from cnnkit.music import audio as au

    if i >= len(songs):
        raise ValueError(f"i must be a song index in 0..{len(songs) - 1}, got {i}")
    if hasattr(songs, "audio"):
        y, rate = np.asarray(songs.audio[i]), songs.sr
    else:
        y, rate = songs.load(int(i), sr=sr), sr
    try:        # a silent song is refused (its dB relative to its own peak is undefined), naming the song
        S = au.spectrogram(y, rate, n_fft=n_fft, hop=hop, n_mels=n_mels, top_db=top_db)
        S = (S + float(top_db)) / float(top_db)
        pad_value = 0.0 if pad is True or pad == "constant" else None        # 0 = silence after scaling
        cut = au.slice_spectrogram(S, width=width, hop=slice_hop, pad=pad, pad_value=pad_value)
    except ValueError as err:
        raise ValueError(f"song {i} ({songs.song_ids[i]}): {err}") from err
    return cut.astype(np.float32)
