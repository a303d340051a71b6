"""GTZAN on disk (10 genres × 100 clips of 30 s), indexed without loading any audio, with its artist-disjoint split.

:func:`load_gtzan` returns a :class:`~cnnkit.music.index.MusicIndex`; by default it keeps the 930 clips of the
fault-filtered, **artist-disjoint** split of Kereliuk, Sturm & Larsen (2015), whose file lists ship with cnnkit
(``cnnkit/music/gtzan_splits/SOURCE.md`` says where from; :func:`load_gtzan_split` reads them), and
``songs.splits()`` gives the train / val / test indices. Split by song is the minimum; split by artist is what MIR
papers require. The known-broken ``jazz.00054.wav`` and stray files are skipped and listed::

    >>> from cnnkit.music import load_gtzan
    >>> songs = load_gtzan("~/data/gtzan")                    # doctest: +SKIP
    gtzan: 1000 items in …/genres_original, kept 929, skipped 71: 70 not in splits: …; 1 known corrupt file: …
    >>> y = songs.load(0, sr=22050)                           # doctest: +SKIP
"""
import re
from pathlib import Path

import numpy as np

from cnnkit._checks import Bool, Choice, PathLike, check_path, contract
from cnnkit._paths import find_data_dir
from cnnkit.data.report import LoadReport
from cnnkit.music.index import EXPECTED, MusicIndex, _name, _settle, _triage

GTZAN_KNOWN_CORRUPT = frozenset({"jazz.00054"})
_GTZAN_NAME = re.compile(r"^(?P<genre>[a-z0-9_-]+)\.(?P<number>\d{5})\.(?:wav|au)$", re.I)
#: the split names of :func:`load_gtzan`'s file lists (and of FMA's ``set/split`` column)
GTZAN_SPLIT_FILES = {"training": "train_filtered.txt", "validation": "valid_filtered.txt",
                     "test": "test_filtered.txt"}


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


@contract(folder=PathLike() | None)
def load_gtzan_split(folder=None):
    """The GTZAN split lists as ``{song_id: split name}``: the bundled fault-filtered split, or ``folder``'s.

    Split names are ``"training"``, ``"validation"``, ``"test"`` (as in FMA).

    Args:
        folder: None for the lists that ship with cnnkit (Kereliuk, Sturm & Larsen 2015: 443 training,
            197 validation, 290 test clips, artist-disjoint; see ``gtzan_splits/SOURCE.md``), or a folder
            holding ``train_filtered.txt``, ``valid_filtered.txt`` and ``test_filtered.txt`` with one
            ``<genre>/<genre>.NNNNN.wav`` per line.

    Returns:
        A dict ``{song_id: split name}``.

    Raises:
        FileNotFoundError: the folder or one of its lists is missing.
        ValueError: a clip is listed twice.

    Example:
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


@contract(root=PathLike(),
          split=(Choice("filtered") | PathLike()).describe("'filtered', a folder of split lists or None") | None,
          check_audio=Bool(), strict=Bool())
def load_gtzan(root, *, split="filtered", check_audio=True, strict=True):
    """Index GTZAN (10 genres × 100 clips of 30 s) under ``root``, without reading any audio.

    Genre names are the sorted folder names; song ids are ``"<genre>.NNNNN"``. Files not named like
    that are skipped as "stray file"s and listed.

    Args:
        root: a folder holding ``genres/``, ``genres_original/`` (the Kaggle copy) or the genre folders
            themselves, with files ``<genre>/<genre>.NNNNN.wav`` (or ``.au``).
        split: ``"filtered"`` (the bundled artist-disjoint split of :func:`load_gtzan_split`; clips it
            leaves out are skipped and listed), a folder of split lists, or None (no official split).
        check_audio: read each file's header to find unreadable files (GTZAN's ``jazz.00054.wav`` is one).
        strict: raise ``ValueError`` naming unexpected bad files; False skips and lists them.

    Returns:
        A :class:`~cnnkit.music.MusicIndex` (its ``splits()`` gives the official split).

    Raises:
        FileNotFoundError: ``root`` or its genre folders are missing.
        ValueError: unexpected bad files when ``strict``, or no readable file at all.

    Example:
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
    root = find_data_dir(root, "root")   # relative: from the working directory, then the course folder
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
