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

from cnnkit._checks import Bool, Choice, Int, Labels, Mapping, Number, Seed, Seq, Str, contract, seed_sequence
from cnnkit._progress import check_progress, progress_iter
from cnnkit.music._render import _Song
from cnnkit.music.songs import Songs

GENRES = ("classical", "electronic", "hip-hop", "jazz", "reggae", "rock")


@contract(n_songs=Int(low=1), duration=Number(low=0.0, low_open=True), sr=Int(low=8000), genres=Seq(Str(), min_len=2),
          seed=Seed(), progress=Bool() | None, which=Labels() | None, drums=Bool(),
          instruments=Mapping(Choice(*GENRES), Choice(*GENRES), min_len=0) | None, tempo_scale=Number(low=0.25, high=4.0))
def make_songs(n_songs, *, duration=30.0, sr=22050, genres=GENRES, seed=0, progress=None, which=None, drums=True,
               instruments=None, tempo_scale=1.0):
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
        which: render only these songs of the ``n_songs`` (indices, e.g. a test split), with the ids and
            audio they have in the full set; None renders all.
        drums: False mutes every song's drums; the other parts are the same, note for note.
        instruments: ``{genre: other genre}``: the genre's parts (rhythms, bass lines, harmony, drums) are
            played on the other genre's instruments (its i-th instrument choice for the genre's i-th).
        tempo_scale: multiplies every song's tempo (0.25–4); the bars both versions hold are the same notes.

    The last three are the synthesiser's controls for ablations (:mod:`cnnkit.music.ablations`): with the
    same seed, each changes one factor of the same songs and leaves the rest (key, sections, mix) as it was.

    Returns:
        :class:`~cnnkit.music.songs.Songs` with ``audio`` ``(n, round(duration * sr))`` float32, ``labels``,
        ``genres``, ``sr``, ``song_ids`` (``"<genre>.NNNNN"``) and ``tempos`` (beats per minute), ``n`` being
        ``n_songs`` or ``len(which)``.

    Raises:
        TypeError, ValueError: for a bad argument, naming it.

    Renders a few hundred times faster than real time (vectorised wavetable synthesis).

    Example:
        >>> songs = make_songs(6, duration=3.0, seed=1)
        >>> [songs.genres[label] for label in songs.labels]
        ['classical', 'electronic', 'hip-hop', 'jazz', 'reggae', 'rock']
        >>> bool((make_songs(2, duration=1.0, seed=1).audio == songs.audio[:2, :22050]).all())
        False
        >>> bool((make_songs(2, duration=3.0, seed=1).audio == songs.audio[:2]).all())
        True
        >>> rock = make_songs(6, duration=3.0, seed=1, which=[5])
        >>> rock.song_ids.tolist(), bool((rock.audio == songs.audio[5:]).all())
        (['rock.00000'], True)
        >>> quiet = make_songs(6, duration=3.0, seed=1, which=[5], drums=False)
        >>> bool(abs(quiet.audio).max() > 0), bool((quiet.audio != rock.audio).any())
        (True, True)
    """
    genres = list(genres)
    unknown = [g for g in genres if g not in GENRES]
    if unknown or len(set(genres)) != len(genres):
        raise ValueError(f"genres must be at least 2 distinct names from {GENRES}, got {genres}")
    which = np.arange(n_songs) if which is None else np.asarray(which, dtype=np.int64)
    if which.size == 0 or which.max() >= n_songs:
        raise ValueError(f"which must hold song indices in 0..{n_songs - 1}, got {which.tolist()[:5]}…")
    instruments = dict(instruments or {})
    bad = sorted(set(instruments) - set(genres))
    if bad:
        raise ValueError(f"instruments must map genres of {genres} (the songs' genres), got keys {bad}")
    root = seed_sequence(seed)
    entropy = list(np.atleast_1d(np.asarray(root.entropy, dtype=object)))
    n_samples = int(round(duration * sr))
    if n_samples < 1:
        raise ValueError(f"duration must give at least one sample at sr={sr}, got {duration!r} s")
    audio = np.empty((len(which), n_samples), dtype=np.float32)
    labels = which % len(genres)
    tempos = np.empty(len(which))
    show = check_progress(progress, len(which) * duration * sr / 22050 / 100)   # ~100× real time on one core
    for j, i in progress_iter(enumerate(which), total=len(which), desc="songs", enabled=show):
        genre = genres[labels[j]]
        stream = np.random.SeedSequence([*entropy, int(i)], spawn_key=root.spawn_key)
        song = _Song(genre, np.random.default_rng(stream), n_samples, sr, drums=drums,
                     voice=instruments.get(genre), tempo_scale=tempo_scale)
        audio[j], tempos[j] = song.render()
    ids = np.array([f"{genres[label]}.{i // len(genres):05d}" for i, label in zip(which, labels)])
    return Songs(audio, labels, genres, sr, ids, tempos)
