"""Songs on disk, indexed without loading any audio: :class:`MusicIndex`, and the triage every music loader shares.

The loaders (:func:`cnnkit.music.load_gtzan` in :mod:`cnnkit.music.gtzan`, :func:`cnnkit.music.load_fma` in
:mod:`cnnkit.music.fma`) return a :class:`MusicIndex`: paths, integer labels, genre names, song ids and, where the
dataset has one, its official split; audio is read one song at a time with :func:`cnnkit.music.audio.load_audio`.
What a loader found, kept and skipped goes into a :class:`~cnnkit.data.LoadReport` (``MusicIndex.report``), printed
in one line when anything was skipped. A dataset's known-broken files, unlabelled tracks and stray files are skipped
and listed; any other bad file (missing, unreadable) raises ``ValueError`` unless ``strict=False``, which skips it and
lists it. Nothing is downloaded: fetch the data yourself (see datasets/README.md).

    >>> index = MusicIndex(["a.wav", "b.wav"], np.array([0, 1]), ["jazz", "rock"], ["jazz.00000", "rock.00000"])
    >>> index.subset([1]).song_ids
    ['rock.00000']
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnkit._checks import Array, Instance, Int, Labels, PathLike, Seq, Str, contract
from cnnkit.data.report import LoadReport
from cnnkit.data.splits import Splits

#: the split names of an official split (FMA's ``set/split`` column; :func:`~cnnkit.music.load_gtzan` uses them too)
FMA_SPLITS = ("training", "validation", "test")
#: kinds of skipped item that never make a strict loader raise (the data set ships them)
EXPECTED = ("known corrupt file", "unlabelled track", "stray file", "not in split")


@contract(paths=Seq(PathLike(), min_len=0, what="a list of audio paths"), labels=Labels(empty=True),
          genres=Seq(Str(), min_len=0), song_ids=Seq(Str(), min_len=0, what="a list of song ids"),
          split=Array(ndim=1, numeric=False, empty=True) | None, report=Instance(LoadReport) | None)
@dataclass
class MusicIndex:
    """Songs on disk: ``paths[i]`` has label ``labels[i]`` (genre ``genres[labels[i]]``) and id ``song_ids[i]``.

    No audio is held in memory: :meth:`load` reads one song at a time.

    Args:
        paths: one audio file per song.
        labels: one integer label per song.
        genres: the class names (``genres[label]``).
        song_ids: one id per song.
        split: the official split of each song (``"training"``, ``"validation"``, ``"test"``) when the
            dataset has one, else None.
        report: the :class:`~cnnkit.data.LoadReport` of what the loader found, kept and skipped, or None.

    Example:
        >>> index = MusicIndex(["a.wav", "b.wav"], np.array([0, 1]), ["jazz", "rock"], ["jazz.00000", "rock.00000"])
        >>> index
        MusicIndex(2 songs, skipped=0; jazz: 1, rock: 1)
        >>> index.subset([1]).song_ids
        ['rock.00000']
    """

    paths: list
    labels: np.ndarray
    genres: list
    song_ids: list
    split: np.ndarray = None
    report: LoadReport = None

    def __len__(self):
        return len(self.paths)

    def __repr__(self):
        counts = np.bincount(self.labels, minlength=len(self.genres))
        per_genre = ", ".join(f"{g}: {n}" for g, n in zip(self.genres, counts))
        skipped = 0 if self.report is None else self.report.n_skipped
        return f"MusicIndex({len(self)} songs, skipped={skipped}; {per_genre})"

    @contract(i=Int(low=0), sr=Int(low=1) | None)
    def load(self, i, *, sr=22050):
        """The audio of song ``i``: mono float32 samples at ``sr`` Hz (None: the file's own rate).

        Args:
            i: the song's index.
            sr: the sample rate to resample to, or None (see :func:`cnnkit.music.audio.load_audio`).

        Returns:
            A 1-D float32 array.

        Example:
            >>> import tempfile
            >>> from cnnkit.music import load_gtzan, make_songs
            >>> root = tempfile.mkdtemp()
            >>> _ = make_songs(2, duration=0.5, sr=8000, genres=["jazz", "rock"]).to_wav(root)
            >>> load_gtzan(root, split=None).load(1, sr=4000).shape
            (2000,)
        """
        from cnnkit.music.audio import load_audio

        return load_audio(self.paths[i], sr=sr)[0]

    @contract(sr=Int(low=1) | None)
    def iter_audio(self, *, sr=22050):
        """Yield ``(samples, label, song_id)`` one song at a time, at ``sr`` Hz."""
        for i in range(len(self)):
            yield self.load(i, sr=sr), int(self.labels[i]), self.song_ids[i]

    @contract(sr=Int(low=1) | None)
    def load_all(self, *, sr=22050):
        """Every song's samples at ``sr`` Hz in a list (all in memory: only for small subsets)."""
        return [self.load(i, sr=sr) for i in range(len(self))]

    def splits(self):
        """The official split as a :class:`~cnnkit.data.Splits` of song indices (train, val, test).

            >>> index = MusicIndex(["a", "b", "c"], np.array([0, 0, 1]), ["jazz", "rock"], ["a", "b", "c"],
            ...                    np.array(["test", "training", "validation"]))
            >>> [part.tolist() for part in index.splits()]
            [[1], [2], [0]]
        """
        if self.split is None:
            raise ValueError("this index has no official split (load_gtzan(root, split=None)?): "
                             "use cnnkit.music.song_split instead")
        return Splits(*(np.flatnonzero(self.split == name) for name in FMA_SPLITS), class_names=list(self.genres))

    @contract(which=(Str() | Array(ndim=1, empty=True)).describe("a split name, a boolean mask or song indices"))
    def subset(self, which):
        """A new index with some songs: a split name (``"training"``…), a boolean mask or indices.

        The new index shares this one's ``report``.

        Args:
            which: a split name, a boolean mask (one entry per song) or song indices.

        Returns:
            A :class:`MusicIndex`.

        Raises:
            ValueError: a split name when the index has no official split, or one it does not hold.

        Example:
            >>> index = MusicIndex(["a", "b", "c"], np.array([0, 0, 1]), ["jazz", "rock"], ["a", "b", "c"],
            ...                    np.array(["test", "training", "training"]))
            >>> index.subset("training").song_ids, index.subset([True, False, False]).song_ids
            (['b', 'c'], ['a'])
        """
        if isinstance(which, str):
            if self.split is None:
                raise ValueError(f"this dataset has no official split, so subset({which!r}) is undefined")
            if which not in set(self.split):
                raise ValueError(f"split {which!r} not found; the splits are {sorted(set(self.split))}")
            which = self.split == which
        idx = np.arange(len(self))[np.asarray(which)]
        return MusicIndex([self.paths[i] for i in idx], self.labels[idx], list(self.genres),
                          [self.song_ids[i] for i in idx], None if self.split is None else self.split[idx],
                          self.report)



def _unreadable(path):
    """Why ``path`` cannot be used as audio (from its header alone), or None if it looks fine."""
    import soundfile as sf

    if path.stat().st_size == 0:
        return "empty file (0 bytes)"
    try:
        info = sf.info(str(path))
    except Exception as err:  # noqa: BLE001 - libsndfile raises several types for bad files
        return f"unreadable: {err}"
    if info.frames == 0:
        return "no audio samples"
    return None


def _name(path, base):
    path = Path(path)
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


def _triage(report, candidates, *, base, known, check_audio):
    """The ``(path, song_id, ...)`` candidates whose file is usable; the others go into ``report``.

    A missing file is a "missing file", one whose header libsndfile rejects (with ``check_audio``) an
    "unreadable file", except for the dataset's ``known`` broken song ids: "known corrupt file".
    """
    keep = []
    for candidate in candidates:
        path, song_id = candidate[0], candidate[1]
        if not path.is_file():
            kind, why = "missing file", "no such file"
        else:
            kind, why = "unreadable file", (_unreadable(path) if check_audio else None)
        if why is None:
            keep.append(candidate)
        else:
            report.add("known corrupt file" if song_id in known else kind, _name(path, base), why)
    return keep


def _settle(report, strict):
    """Raise for unexpected problems when ``strict``; print the report in one line when anything was skipped."""
    report.check(strict)
    if report.n_skipped:
        print(report)
