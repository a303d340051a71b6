"""Real music datasets on disk: GTZAN and FMA small, indexed without loading any audio.

Each loader returns a :class:`MusicIndex` (paths, integer labels, genre names, song ids, and for
FMA its official split); audio is read one song at a time with :func:`cnnkit.music.audio.load_audio`::

    >>> from cnnkit.music import load_fma, load_gtzan
    >>> songs = load_gtzan("~/data/gtzan")                    # doctest: +SKIP
    gtzan: 1000 items in …/genres_original, kept 999, skipped 1: 1 known corrupt file: jazz/jazz.00054.wav (…)
    >>> y = songs.load(0, sr=22050)                           # doctest: +SKIP
    >>> train = load_fma("~/data/fma").subset("training")     # doctest: +SKIP

GTZAN comes with the fault-filtered, **artist-disjoint** split of Kereliuk, Sturm & Larsen (2015) by default
(930 clips; the file lists ship with cnnkit, ``cnnkit/music/gtzan_splits/SOURCE.md`` says where from), FMA
with its official artist-disjoint split: ``songs.splits()`` gives the train / val / test indices. Split by
song is the minimum; split by artist is what MIR papers require.

Nothing is downloaded: fetch the data yourself (see datasets/README.md) and point the loader at it.
What was found, kept and skipped goes into a :class:`~cnnkit.data.LoadReport` (``MusicIndex.report``),
printed in one line when anything was skipped. The datasets' known-broken files (GTZAN
``jazz.00054.wav``; FMA small ``099134``, ``108925``, ``133297``, which hold no audio), FMA tracks
without a ``genre_top`` label and stray files are skipped and listed; any other bad file (missing,
unreadable) raises ``ValueError`` unless ``strict=False``, which skips it and lists it.
"""
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cnnkit._checks import check_choice, check_path
from cnnkit.data.report import LoadReport
from cnnkit.data.splits import Splits

GTZAN_KNOWN_CORRUPT = frozenset({"jazz.00054"})
FMA_KNOWN_CORRUPT = frozenset({"099134", "108925", "133297"})
FMA_SPLITS = ("training", "validation", "test")
_GTZAN_NAME = re.compile(r"^(?P<genre>[a-z0-9_-]+)\.(?P<number>\d{5})\.(?:wav|au)$", re.I)
#: kinds of skipped item that never make a strict loader raise (the data set ships them)
EXPECTED = ("known corrupt file", "unlabelled track", "stray file", "not in split")
#: the split names of :func:`load_gtzan`'s file lists (and of FMA's ``set/split`` column)
GTZAN_SPLIT_FILES = {"training": "train_filtered.txt", "validation": "valid_filtered.txt",
                     "test": "test_filtered.txt"}


@dataclass
class MusicIndex:
    """Songs on disk: ``paths[i]`` has label ``labels[i]`` (genre ``genres[labels[i]]``) and id ``song_ids[i]``.

    ``split[i]`` is the official split when the dataset has one (else None); ``report`` is the
    :class:`~cnnkit.data.LoadReport` of what the loader found, kept and skipped. No audio is held in memory.

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

    def load(self, i, *, sr=22050):
        """The audio of song ``i``: mono float32 samples at ``sr`` Hz (None: the file's own rate).

        See :func:`cnnkit.music.audio.load_audio`; example in the module docstring.
        """
        from cnnkit.music.audio import load_audio

        return load_audio(self.paths[i], sr=sr)[0]

    def iter_audio(self, *, sr=22050):
        """Yield ``(samples, label, song_id)`` one song at a time, at ``sr`` Hz."""
        for i in range(len(self)):
            yield self.load(i, sr=sr), int(self.labels[i]), self.song_ids[i]

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

    def subset(self, which):
        """A new index with some songs: a split name (``"training"``…), a boolean mask or indices.

        The new index shares this one's ``report``.
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


# ------------------------------------------------------------------ shared
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


# ------------------------------------------------------------------ GTZAN
def _gtzan_genre_root(root):
    def holds_genres(folder):
        return folder.is_dir() and any(
            sub.is_dir() and any(_GTZAN_NAME.match(f.name) for f in sub.iterdir()) for sub in folder.iterdir())

    for folder in (root / "genres", root / "genres_original", root / "Data" / "genres_original", root):
        if holds_genres(folder):
            return folder
    raise FileNotFoundError(
        f"root {str(root)!r} holds no GTZAN genre folders: expected <root>/genres/<genre>/<genre>.00000.wav "
        "(or .au), <root>/genres_original/<genre>/…, or <root>/<genre>/<genre>.00000.wav")


def load_gtzan_split(folder=None):
    """The GTZAN split lists as ``{song_id: split name}``: the bundled fault-filtered split, or ``folder``'s.

    Args:
        folder: None for the lists that ship with cnnkit (Kereliuk, Sturm & Larsen 2015: 443 training,
            197 validation, 290 test clips, artist-disjoint; see ``gtzan_splits/SOURCE.md``), or a folder
            holding ``train_filtered.txt``, ``valid_filtered.txt`` and ``test_filtered.txt`` with one
            ``<genre>/<genre>.NNNNN.wav`` per line.

    Split names are ``"training"``, ``"validation"``, ``"test"`` (as in FMA). A clip listed twice
    raises ``ValueError``; a missing list ``FileNotFoundError``.

        >>> split = load_gtzan_split()
        >>> len(split), split["blues.00029"], sorted(set(split.values()))
        (930, 'training', ['test', 'training', 'validation'])
    """
    if folder is None:
        from importlib.resources import files

        folder, where = files("cnnkit.music") / "gtzan_splits", "cnnkit's bundled lists"
    else:
        folder = check_path(folder, "split", kind="dir")
        where = str(folder)
    out = {}
    for name, filename in GTZAN_SPLIT_FILES.items():
        path = folder / filename
        if not path.is_file():
            raise FileNotFoundError(f"split folder {where!r} lacks {filename} (expected "
                                    f"{', '.join(GTZAN_SPLIT_FILES.values())})")
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            song_id = Path(line.strip()).name.rsplit(".", 1)[0]
            if song_id in out:
                raise ValueError(f"split: {song_id} is listed in {out[song_id]!r} and {name!r} ({where})")
            out[song_id] = name
    return out


def load_gtzan(root, *, split="filtered", check_audio=True, strict=True):
    """Index GTZAN (10 genres × 100 clips of 30 s) under ``root``, without reading any audio.

    Args:
        root: a folder holding ``genres/``, ``genres_original/`` (the Kaggle copy) or the genre folders
            themselves, with files ``<genre>/<genre>.NNNNN.wav`` (or ``.au``).
        check_audio: read each file's header to find unreadable files (GTZAN's ``jazz.00054.wav`` is one).
        strict: raise ``ValueError`` naming unexpected bad files; False skips and lists them.

    Genre names are the sorted folder names; song ids are ``"<genre>.NNNNN"``. Files not named like
    that are skipped as "stray file"s and listed. Raises ``FileNotFoundError`` when ``root`` or its
    genre folders are missing.

        >>> import tempfile
        >>> from cnnkit.music import make_songs
        >>> root = tempfile.mkdtemp()
        >>> _ = make_songs(4, duration=0.5, sr=8000, genres=["jazz", "rock"]).to_wav(root)   # GTZAN's layout
        >>> songs = load_gtzan(root, split=None)
        >>> songs.genres, songs.song_ids, songs.load(0, sr=None).shape
        (['jazz', 'rock'], ['jazz.00000', 'jazz.00001', 'rock.00000', 'rock.00001'], (4000,))
        >>> songs = load_gtzan("~/data/gtzan")    # doctest: +SKIP
        gtzan: 1000 items in …/genres_original, kept 929, skipped 71: 70 not in splits: …; 1 known corrupt file: …
        >>> train, val, test = songs.splits()    # doctest: +SKIP
    """
    root = check_path(root, "root", kind="dir")
    if split is None:
        listed = None
    elif isinstance(split, str) and split == "filtered":
        listed = load_gtzan_split()
    elif isinstance(split, (str, Path)):
        listed = load_gtzan_split(split)
    else:
        raise TypeError(f"split must be 'filtered', a folder path or None, got {type(split).__name__}")
    base = _gtzan_genre_root(root)
    report = LoadReport("gtzan", str(base), expected=EXPECTED)
    found = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        for f in sorted(folder.iterdir()):
            if f.name.startswith("."):
                continue
            report.found += 1
            m = _GTZAN_NAME.match(f.name)
            song_id = f.name.rsplit(".", 1)[0]
            if not (f.is_file() and m and m["genre"].lower() == folder.name.lower()):
                report.add("stray file", _name(f, base), "not named <genre>.NNNNN.wav inside its genre folder")
            elif listed is not None and song_id not in listed:
                report.add("not in split", _name(f, base), "left out by the split lists")
            else:
                found.append((f, song_id, folder.name))
    keep = _triage(report, found, base=base, known=GTZAN_KNOWN_CORRUPT, check_audio=check_audio)
    report.kept = len(keep)
    _settle(report, strict)
    if not keep:
        raise ValueError(f"root {str(root)!r}: no readable GTZAN audio files found in {str(base)!r} ({report})")
    genres = sorted({g for *_, g in keep})
    return MusicIndex([f for f, *_ in keep], np.array([genres.index(g) for *_, g in keep]), genres,
                      [song_id for _, song_id, _ in keep],
                      None if listed is None else np.array([listed[song_id] for _, song_id, _ in keep]), report)


# ------------------------------------------------------------------ FMA
_FMA_COLUMNS = {("track", "genre_top"), ("set", "split"), ("set", "subset")}
_FMA_SUBSETS = {"small": ("small",), "medium": ("small", "medium"), "large": ("small", "medium", "large")}


def _fma_tracks(root):
    import pandas as pd

    for csv in (root / "fma_metadata" / "tracks.csv", root / "tracks.csv"):
        if csv.is_file():
            break
    else:
        raise FileNotFoundError(f"root {str(root)!r} has no FMA metadata: expected "
                                f"<root>/fma_metadata/tracks.csv (from fma_metadata.zip) or <root>/tracks.csv")
    try:
        tracks = pd.read_csv(csv, index_col=0, header=[0, 1], low_memory=False)
    except Exception as err:  # noqa: BLE001 - pandas raises several parser errors
        raise ValueError(f"{str(csv)!r} cannot be read as FMA's tracks.csv (two header rows): {err}") from err
    missing = sorted(_FMA_COLUMNS - set(tracks.columns))
    if missing:
        raise ValueError(f"{str(csv)!r} lacks the columns {missing}: is it FMA's tracks.csv "
                         "(header rows like 'track'/'genre_top', 'set'/'split', 'set'/'subset')?")
    return tracks, csv


def load_fma(root, *, subset="small", check_audio=True, strict=True):
    """Index the Free Music Archive's ``subset`` under ``root``, without reading any audio.

    Args:
        root: a folder holding ``fma_metadata/tracks.csv`` and ``fma_<subset>/<NNN>/<NNNNNN>.mp3``.
        subset: ``"small"`` (8,000 clips of 30 s, 8 balanced genres), ``"medium"`` or ``"large"``
            (each includes the smaller ones).
        check_audio: read each file's header to find unreadable files.
        strict: raise ``ValueError`` naming missing or unreadable files; False skips and lists them.

    Labels come from ``track/genre_top``, the official split from ``set/split`` (``"training"``,
    ``"validation"``, ``"test"``), membership from ``set/subset``. Song ids are the 6-digit track ids.
    Tracks without a ``genre_top``, FMA small's three known empty files and mp3 files not listed for
    the subset are always skipped and listed. mp3 decoding needs libsndfile ≥ 1.1. Raises
    ``FileNotFoundError`` when ``root``, ``tracks.csv`` or the audio folder is missing.

        >>> songs = load_fma("data/fma")                    # doctest: +SKIP
        >>> len(songs.subset("training")), songs.genres[0]  # doctest: +SKIP
        (6397, 'Electronic')
    """
    root = check_path(root, "root", kind="dir")
    check_choice(subset, "subset", tuple(_FMA_SUBSETS))
    tracks, csv = _fma_tracks(root)
    audio_dir = root / f"fma_{subset}"
    if not audio_dir.is_dir():
        if any(p.is_dir() and re.fullmatch(r"\d{3}", p.name) for p in root.iterdir()):
            audio_dir = root
        else:
            raise FileNotFoundError(f"root {str(root)!r} has no FMA audio: expected "
                                    f"<root>/fma_{subset}/<NNN>/<NNNNNN>.mp3 (from fma_{subset}.zip)")
    rows = tracks[tracks[("set", "subset")].isin(_FMA_SUBSETS[subset])]
    report = LoadReport("fma", str(audio_dir), found=len(rows), expected=EXPECTED)
    candidates = []
    genre_top = rows[("track", "genre_top")]
    for track_id, genre, labelled, split in zip(rows.index, genre_top, genre_top.notna(), rows[("set", "split")]):
        song_id = f"{int(track_id):06d}"
        if labelled:
            candidates.append((audio_dir / song_id[:3] / f"{song_id}.mp3", song_id, str(genre), str(split)))
        else:
            report.add("unlabelled track", song_id, f"no track/genre_top in {csv.name}")
    if not candidates:
        raise ValueError(f"{str(csv)!r} lists no labelled tracks of subset {subset!r}")
    keep = _triage(report, candidates, base=audio_dir, known=FMA_KNOWN_CORRUPT, check_audio=check_audio)
    listed = {audio_dir / s[:3] / f"{s}.mp3" for s in (f"{int(t):06d}" for t in rows.index)}
    for p in sorted(audio_dir.glob("[0-9][0-9][0-9]/*.mp3")):
        if p not in listed:
            report.found += 1
            report.add("stray file", _name(p, audio_dir), f"not listed for subset {subset!r} in {csv.name}")
    report.kept = len(keep)
    _settle(report, strict)
    if not keep:
        raise ValueError(f"root {str(root)!r}: none of the {len(rows)} tracks of subset {subset!r} is readable")
    genres = sorted({g for *_, g, _ in keep})
    return MusicIndex([p for p, *_ in keep], np.array([genres.index(g) for *_, g, _ in keep]), genres,
                      [s for _, s, *_ in keep], np.array([sp for *_, sp in keep]), report)

