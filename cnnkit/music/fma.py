"""The Free Music Archive on disk (FMA small, medium or large), indexed without loading any audio.

:func:`load_fma` returns a :class:`~cnnkit.music.index.MusicIndex` with FMA's official artist-disjoint split
(``songs.splits()``); the three known empty files of FMA small, tracks without a ``genre_top`` and stray files are
skipped and listed::

    >>> from cnnkit.music import load_fma
    >>> train = load_fma("~/data/fma").subset("training")     # doctest: +SKIP
"""
import re

import numpy as np

from cnnkit._checks import Bool, Choice, PathLike, check_choice, contract
from cnnkit._paths import find_data_dir
from cnnkit.data.report import LoadReport
from cnnkit.music.index import EXPECTED, MusicIndex, _name, _settle, _triage

FMA_KNOWN_CORRUPT = frozenset({"099134", "108925", "133297"})


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


@contract(root=PathLike(), subset=Choice("small", "medium", "large"), check_audio=Bool(), strict=Bool())
def load_fma(root, *, subset="small", check_audio=True, strict=True):
    """Index the Free Music Archive's ``subset`` under ``root``, without reading any audio.

    Labels come from ``track/genre_top``, the official split from ``set/split`` (``"training"``,
    ``"validation"``, ``"test"``), membership from ``set/subset``. Song ids are the 6-digit track ids.
    Tracks without a ``genre_top``, FMA small's three known empty files and mp3 files not listed for
    the subset are always skipped and listed. mp3 decoding needs libsndfile ≥ 1.1.

    Args:
        root: a folder holding ``fma_metadata/tracks.csv`` and ``fma_<subset>/<NNN>/<NNNNNN>.mp3``.
        subset: ``"small"`` (8,000 clips of 30 s, 8 balanced genres), ``"medium"`` or ``"large"``
            (each includes the smaller ones).
        check_audio: read each file's header to find unreadable files.
        strict: raise ``ValueError`` naming missing or unreadable files; False skips and lists them.

    Returns:
        A :class:`~cnnkit.music.MusicIndex` with the official split.

    Raises:
        FileNotFoundError: ``root``, ``tracks.csv`` or the audio folder is missing.
        ValueError: unexpected bad files when ``strict``, or no readable track.

    Example:
        >>> load_fma("no/such/folder")              # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        FileNotFoundError: root: no such folder: ...
        >>> songs = load_fma("data/fma")                    # doctest: +SKIP
        >>> len(songs.subset("training")), songs.genres[0]  # doctest: +SKIP
        (6397, 'Electronic')
    """
    root = find_data_dir(root, "root")   # relative: from the working directory, then the course folder
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
