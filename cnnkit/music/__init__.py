"""Lessons 09–10: music genres from spectrogram slices, and recommending songs nobody has played yet.

- :mod:`~cnnkit.music.audio`: load audio, (mel) spectrograms, equal square slices;
- :mod:`~cnnkit.music.audio_tf`: the same spectrogram inside the graph (a Keras layer);
- :mod:`~cnnkit.music.synth`: :func:`make_songs`, synthetic songs in six genres;
- :mod:`~cnnkit.music.songs`: :class:`Songs`, splitting by song, slicing songs;
- :mod:`~cnnkit.music.index`: :class:`MusicIndex`, songs on disk indexed without loading audio;
- :mod:`~cnnkit.music.gtzan`: :func:`load_gtzan`, :func:`load_gtzan_split` (the artist-disjoint split);
- :mod:`~cnnkit.music.fma`: :func:`load_fma`;
- :mod:`~cnnkit.music.pipeline`: :func:`slice_dataset`, songs on disk streamed with ``tf.data``;
- :mod:`~cnnkit.music.voting`: a song's genre from its slices' votes;
- :mod:`~cnnkit.music.features`: per-song MFCC and spectral statistics (a non-CNN baseline);
- :mod:`~cnnkit.music.ablations`: Sturm's horse test: change one factor of the same songs (EQ, a cue on purpose);
- :mod:`~cnnkit.music.evaluation`: intervals that count songs, per-class recall, spreads over seeds;
- :mod:`~cnnkit.music.recommend`: listening histories, implicit ALS, ranking metrics, audio for cold start.

    >>> from cnnkit.music import GENRES, make_songs
    >>> songs = make_songs(6, duration=1.0, sr=16000, seed=0)
    >>> len(songs), list(songs.genres) == list(GENRES)
    (6, True)
"""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=[
    "ablations", "audio", "audio_tf", "evaluation", "features", "fma", "gtzan", "index", "pipeline", "recommend",
    "songs", "synth", "voting"], submod_attrs={
    "audio": ["load_audio", "slice_spectrogram", "spectrogram"],
    "synth": ["GENRES", "make_songs"],
    "songs": ["Songs", "check_split_by_song", "slice_songs", "slice_song", "song_split"],
    "pipeline": ["slice_dataset"],
    "index": ["MusicIndex"],
    "gtzan": ["load_gtzan", "load_gtzan_split"],
    "fma": ["load_fma"],
    "voting": ["ABSTAIN", "vote", "vote_songs"],
    "features": ["song_features"],
})
