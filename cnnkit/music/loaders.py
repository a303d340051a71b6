"""Real music datasets on disk: GTZAN and FMA small, indexed without loading any audio.

Each loader returns a :class:`MusicIndex` (paths, integer labels, genre names, song ids, and for
FMA its official split); audio is read one song at a time with :func:`cnnkit.music.audio.load_audio`::

    >>> from cnnkit.music import load_fma, load_gtzan
    >>> songs = cnnkit.music.load_gtzan("~/data/gtzan")                # doctest: +SKIP
    gtzan: skipped 1 of 1000 files: jazz/jazz.00054.wav (known corrupt file of GTZAN: ...)
    >>> y = songs.load(0, sr=22050)                           # doctest: +SKIP
    >>> train = cnnkit.music.load_fma("~/data/fma").subset("training") # doctest: +SKIP

Nothing is downloaded: fetch the data yourself (see datasets/README.md) and point the loader at it.
Unreadable or missing files are listed (how many and which). The datasets' known-broken files
(GTZAN ``jazz.00054.wav``; FMA small ``099134``, ``108925``, ``133297``, which hold no audio) are
skipped with a message; any other bad file raises ``ValueError`` unless ``strict=False``, which
skips it and says so.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

GTZAN_KNOWN_CORRUPT = frozenset({"jazz.00054"})
FMA_KNOWN_CORRUPT = frozenset({"099134", "108925", "133297"})
FMA_SPLITS = ("training", "validation", "test")
_GTZAN_NAME = re.compile(r"^(?P<genre>[a-z0-9_-]+)\.(?P<number>\d{5})\.(?:wav|au)$", re.I)
_SHOW = 10  # names listed in a message before "… and N more"


@dataclass
class MusicIndex:
    """Songs on disk: ``paths[i]`` has label ``labels[i]`` (genre ``genres[labels[i]]``) and id
    ``song_ids[i]``; ``split[i]`` is the official split when the dataset has one (else None).
    ``skipped`` lists ``(path, reason)`` for every file left out. No audio is held in memory."""

    paths: list
    labels: np.ndarray
    genres: list
    song_ids: list
    split: np.ndarray = None
    skipped: list = field(default_factory=list, repr=False)

    def __len__(self):
        return len(self.paths)

    def __repr__(self):
        counts = np.bincount(self.labels, minlength=len(self.genres))
        per_genre = ", ".join(f"{g}: {n}" for g, n in zip(self.genres, counts))
        return f"MusicIndex({len(self)} songs, skipped={len(self.skipped)}; {per_genre})"

    def load(self, i, sr=22050):
        """The audio of song ``i``: mono float32 samples at ``sr`` (see :func:`cnnkit.music.audio.load_audio`)."""
        from cnnkit.music.audio import load_audio

        return load_audio(self.paths[i], sr=sr)[0]

    def iter_audio(self, sr=22050):
        """Yield ``(samples, label, song_id)`` one song at a time."""
        for i in range(len(self)):
            yield self.load(i, sr), int(self.labels[i]), self.song_ids[i]

    def load_all(self, sr=22050):
        """Every song's samples in a list (all in memory: only for small subsets)."""
        return [self.load(i, sr) for i in range(len(self))]

    def subset(self, which):
        """A new index with some songs: a split name (``"training"``…), a boolean mask or indices."""
        if isinstance(which, str):
            if self.split is None:
                raise ValueError(f"this dataset has no official split, so subset({which!r}) is undefined")
            if which not in set(self.split):
                raise ValueError(f"split {which!r} not found; the splits are {sorted(set(self.split))}")
            which = self.split == which
        idx = np.arange(len(self))[np.asarray(which)]
        return MusicIndex([self.paths[i] for i in idx], self.labels[idx], list(self.genres),
                          [self.song_ids[i] for i in idx], None if self.split is None else self.split[idx],
                          list(self.skipped))


# ------------------------------------------------------------------ shared checks
def _root(root):
    root = Path(root).expanduser()
    if not root.is_dir():
        raise FileNotFoundError(f"root {str(root)!r} is not a folder")
    return root


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


def _names(items, base):
    names = [str(Path(p).relative_to(base)) if Path(p).is_relative_to(base) else str(p) for p, _ in items]
    more = f", … and {len(names) - _SHOW} more" if len(names) > _SHOW else ""
    return ", ".join(names[:_SHOW]) + more


def _settle(dataset, base, total, known, bad, strict):
    """Report skipped files; raise for unexpected bad ones when ``strict``."""
    if bad and strict:
        reasons = "; ".join(f"{Path(p).name}: {why}" for p, why in bad[:_SHOW])
        raise ValueError(f"{dataset}: {len(bad)} of {total} files cannot be used ({reasons}). "
                         "Fix or remove them, or pass strict=False to skip them.")
    skipped = known + bad
    if skipped:
        reason = skipped[0][1] if len(skipped) == 1 else "see .skipped for the reasons"
        print(f"{dataset}: skipped {len(skipped)} of {total} files: {_names(skipped, base)} ({reason})")
    return skipped


# ------------------------------------------------------------------ GTZAN
def _gtzan_genre_root(root):
    def holds_genres(folder):
        return folder.is_dir() and any(
            sub.is_dir() and any(_GTZAN_NAME.match(f.name) for f in sub.iterdir()) for sub in folder.iterdir())

    for folder in (root / "genres", root / "genres_original", root / "Data" / "genres_original", root):
        if holds_genres(folder):
            return folder
    raise ValueError(
        f"root {str(root)!r} holds no GTZAN genre folders: expected <root>/genres/<genre>/<genre>.00000.wav "
        "(or .au), <root>/genres_original/<genre>/…, or <root>/<genre>/<genre>.00000.wav")


def load_gtzan(root, check_audio=True, strict=True):
    """Index GTZAN (10 genres × 100 clips of 30 s) under ``root``, which may hold ``genres/``,
    ``genres_original/`` (the Kaggle copy), or the genre folders themselves.

    Files are ``<genre>/<genre>.NNNNN.wav`` (or ``.au``); genre names are the sorted folder names;
    song ids are ``"<genre>.NNNNN"``. With ``check_audio`` each file's header is read to find
    unreadable files (GTZAN's ``jazz.00054.wav`` is one). Files not named like that are ignored,
    with a message listing them.

        >>> songs = gtzan("data/gtzan")           # doctest: +SKIP
        >>> songs.genres[:3], len(songs)          # doctest: +SKIP
        (['blues', 'classical', 'country'], 999)
    """
    base = _gtzan_genre_root(_root(root))
    found, ignored = [], []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        for f in sorted(folder.iterdir()):
            if f.name.startswith("."):
                continue
            m = _GTZAN_NAME.match(f.name)
            if f.is_file() and m and m["genre"].lower() == folder.name.lower():
                found.append((folder.name, f))
            else:
                ignored.append((f, "not named <genre>.NNNNN.wav inside its genre folder"))
    if ignored:
        print(f"gtzan: ignored {len(ignored)} files not named <genre>.NNNNN.wav: {_names(ignored, base)}")
    known, bad, keep = [], [], []
    for genre, f in found:
        why = _unreadable(f) if check_audio else None
        if why is None:
            keep.append((genre, f))
        elif f.name.rsplit(".", 1)[0] in GTZAN_KNOWN_CORRUPT:
            known.append((f, f"known corrupt file of GTZAN: {why}"))
        else:
            bad.append((f, why))
    skipped = _settle("gtzan", base, len(found), known, bad, strict)
    if not keep:
        raise ValueError(f"root {str(root)!r}: no readable GTZAN audio files found in {str(base)!r}")
    genres = sorted({g for g, _ in keep})
    return MusicIndex([f for _, f in keep], np.array([genres.index(g) for g, _ in keep]), genres,
                      [f.name.rsplit(".", 1)[0] for _, f in keep], None, skipped + ignored)


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


def load_fma(root, subset="small", check_audio=True, strict=True):
    """Index the FMA ``subset`` ("small": 8,000 clips of 30 s, 8 balanced genres) under ``root``:
    ``<root>/fma_small/<NNN>/<NNNNNN>.mp3`` and ``<root>/fma_metadata/tracks.csv``.

    Labels come from ``track/genre_top``, the official split from ``set/split`` (``"training"``,
    ``"validation"``, ``"test"``), membership from ``set/subset``. Song ids are the 6-digit track
    ids. Tracks listed in the metadata whose mp3 is missing or unreadable raise ``ValueError``
    (``strict=True``) or are skipped with a message; FMA small's three known empty files are
    always skipped with a message. mp3 decoding needs libsndfile ≥ 1.1.

        >>> songs = fma("data/fma")                         # doctest: +SKIP
        >>> len(songs.subset("training")), songs.genres[0]  # doctest: +SKIP
        (6397, 'Electronic')
    """
    root = _root(root)
    if subset not in _FMA_SUBSETS:
        raise ValueError(f"subset must be one of {sorted(_FMA_SUBSETS)}, got {subset!r}")
    tracks, csv = _fma_tracks(root)
    audio_dir = root / f"fma_{subset}"
    if not audio_dir.is_dir():
        if any(p.is_dir() and re.fullmatch(r"\d{3}", p.name) for p in root.iterdir()):
            audio_dir = root
        else:
            raise FileNotFoundError(f"root {str(root)!r} has no FMA audio: expected "
                                    f"<root>/fma_{subset}/<NNN>/<NNNNNN>.mp3 (from fma_{subset}.zip)")
    rows = tracks[tracks[("set", "subset")].isin(_FMA_SUBSETS[subset])]
    no_genre = rows[rows[("track", "genre_top")].isna()]
    if len(no_genre):
        print(f"fma: skipped {len(no_genre)} tracks of {csv.name} without a track/genre_top label")
    rows = rows[rows[("track", "genre_top")].notna()]
    if len(rows) == 0:
        raise ValueError(f"{str(csv)!r} lists no labelled tracks of subset {subset!r}")

    known, bad, keep = [], [], []
    for track_id, genre, split in zip(rows.index, rows[("track", "genre_top")], rows[("set", "split")]):
        song_id = f"{int(track_id):06d}"
        path = audio_dir / song_id[:3] / f"{song_id}.mp3"
        why = "missing" if not path.is_file() else (_unreadable(path) if check_audio else None)
        if why is None:
            keep.append((path, str(genre), str(split), song_id))
        elif song_id in FMA_KNOWN_CORRUPT:
            known.append((path, f"known empty file of FMA: {why}"))
        else:
            bad.append((path, why))
    skipped = _settle("fma", audio_dir, len(rows), known, bad, strict)
    if not keep:
        raise ValueError(f"root {str(root)!r}: none of the {len(rows)} tracks of subset {subset!r} is readable")
    listed = {p for p, *_ in keep} | {p for p, _ in skipped}
    extra = [(p, "not in tracks.csv") for p in sorted(audio_dir.glob("[0-9][0-9][0-9]/*.mp3")) if p not in listed]
    if extra:
        print(f"fma: ignored {len(extra)} mp3 files not listed for subset {subset!r} in {csv.name}: "
              f"{_names(extra, audio_dir)}")
    genres = sorted({g for _, g, _, _ in keep})
    return MusicIndex([p for p, *_ in keep], np.array([genres.index(g) for _, g, _, _ in keep]), genres,
                      [s for *_, s in keep], np.array([s for _, _, s, _ in keep]), skipped + extra)
