"""A seeded music synthesiser: six genres, offline, deterministic, returned as :class:`~cnnkit.music.songs.Songs`.

Each song is rendered from its genre's tempo range, drum pattern (classical: none; electronic:
four-on-the-floor; hip-hop: boom-bap with an 808; jazz: swung ride and walking bass; reggae: one drop
and off-beat skank; rock: backbeat and distorted power chords), bass line, chord progression and
instruments. Inside a genre the key, tempo, pattern variant, instruments, mix, recording tone and noise
vary, songs have 2-bar sections (breakdowns without drums, bass-and-drums parts…) and one layer is
borrowed from another genre in one song of ten, so a 3-second slice can be ambiguous while the whole song is not.

    >>> from cnnkit.music import make_songs, song_split
    >>> songs = make_songs(24, duration=5.0, sr=16000, seed=0)
    >>> songs.audio.shape, songs.genres[songs.labels[0]], str(songs.song_ids[0])
    ((24, 80000), 'classical', 'classical.00000')
    >>> split = song_split(songs, val=0.25, test=0.25, seed=0)      # by song, stratified
    >>> [len(part) for part in split]
    [12, 6, 6]

The renderer lives in :mod:`cnnkit.music._render`, the instruments, genre styles and drum kit it plays in
:mod:`cnnkit.music._instruments`; splitting by song and slicing for the CNN in :mod:`cnnkit.music.songs`.
"""
import numpy as np

from cnnkit._checks import check_int, check_number, seed_sequence
from cnnkit._progress import check_progress, progress_iter
from cnnkit.music._render import _Song
from cnnkit.music.songs import Songs

GENRES = ("classical", "electronic", "hip-hop", "jazz", "reggae", "rock")


def make_songs(n_songs, *, duration=30.0, sr=22050, genres=GENRES, seed=0, progress=None):
    """Generate ``n_songs`` synthetic songs, as balanced as possible over ``genres`` (song ``i`` is genre ``i % k``).

    Args:
        n_songs: how many songs (an int ≥ 1).
        duration: the length of every song in seconds (> 0).
        sr: the sample rate in Hz (an int ≥ 8000). Sounds above 0.45 · ``sr`` (cymbals at 8 kHz) are
            left out, as a recording resampled to ``sr`` would lose them.
        genres: at least two distinct names from :data:`GENRES`; ``genres[label]`` names a label.
        seed: an int, a ``numpy.random.SeedSequence`` or a ``numpy.random.Generator``. Song ``i`` is drawn
            from its own stream (the seed's entropy followed by ``i``), so the same seed gives the same
            songs and song ``i`` does not depend on ``n_songs``.
        progress: a progress bar (True / False); None shows one only for sets that take more than about
            10 s (some 1,000 s of audio at 22,050 Hz).

    Returns:
        :class:`~cnnkit.music.songs.Songs` with ``audio`` ``(n_songs, round(duration * sr))`` float32, ``labels``,
        ``genres``, ``sr``, ``song_ids`` (``"<genre>.NNNNN"``) and ``tempos`` (beats per minute).

    Renders a few hundred times faster than real time (vectorised wavetable synthesis).

        >>> songs = make_songs(6, duration=3.0, seed=1)
        >>> [songs.genres[label] for label in songs.labels]
        ['classical', 'electronic', 'hip-hop', 'jazz', 'reggae', 'rock']
        >>> bool((make_songs(2, duration=1.0, seed=1).audio == songs.audio[:2, :22050]).all())
        False
        >>> bool((make_songs(2, duration=3.0, seed=1).audio == songs.audio[:2]).all())
        True
    """
    n_songs = check_int(n_songs, "n_songs", low=1)
    duration = check_number(duration, "duration", low=0.0, low_open=True)
    sr = check_int(sr, "sr", low=8000)
    if isinstance(genres, str):
        raise TypeError(f"genres must be a sequence of genre names, got the string {genres!r}")
    genres = list(genres)
    unknown = [g for g in genres if g not in GENRES]
    if unknown or len(set(genres)) != len(genres) or len(genres) < 2:
        raise ValueError(f"genres must be at least 2 distinct names from {GENRES}, got {genres}")
    root = seed_sequence(seed)
    entropy = list(np.atleast_1d(np.asarray(root.entropy, dtype=object)))
    n_samples = int(round(duration * sr))
    if n_samples < 1:
        raise ValueError(f"duration must give at least one sample at sr={sr}, got {duration!r} s")
    audio = np.empty((n_songs, n_samples), dtype=np.float32)
    labels = np.arange(n_songs) % len(genres)
    tempos = np.empty(n_songs)
    counters = dict.fromkeys(genres, 0)
    ids = []
    show = check_progress(progress, n_songs * duration * sr / 22050 / 100)   # ~100× real time on one core
    for i, label in progress_iter(enumerate(labels), total=n_songs, desc="songs", enabled=show):
        genre = genres[label]
        stream = np.random.SeedSequence([*entropy, i], spawn_key=root.spawn_key)
        audio[i], tempos[i] = _Song(genre, np.random.default_rng(stream), n_samples, sr).render()
        ids.append(f"{genre}.{counters[genre]:05d}")
        counters[genre] += 1
    return Songs(audio, labels, genres, sr, np.array(ids), tempos)
