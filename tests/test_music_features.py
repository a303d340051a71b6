"""Per-song MFCC and spectral statistics (the non-CNN baseline's features)."""
import librosa
import numpy as np
import pytest

from cnnkit.music import make_songs
from cnnkit.music.features import feature_names, song_features


def test_features_match_librosa_and_separate_a_bright_from_a_dark_tone():
    sr = 8000
    t = np.arange(2 * sr) / sr
    dark, bright = np.sin(2 * np.pi * 200 * t), np.sin(2 * np.pi * 2000 * t)
    songs = make_songs(2, duration=2.0, sr=sr, seed=0)
    songs.audio[:] = np.stack([dark, bright]).astype("float32") * 0.5
    X = song_features(songs, n_mfcc=13, n_fft=512, hop=256)
    names = feature_names(n_mfcc=13)
    assert X.shape == (2, len(names))
    centroid = X[:, names.index("centroid_mean")]
    assert centroid[0] == pytest.approx(200, abs=40) and centroid[1] == pytest.approx(2000, abs=40)
    mag = np.abs(librosa.stft(songs.audio[1], n_fft=512, hop_length=256))
    assert X[1, names.index("rms_mean")] == pytest.approx(librosa.feature.rms(S=mag, frame_length=512).mean(), rel=1e-4)
    expected = librosa.feature.spectral_bandwidth(S=mag, sr=sr).mean()
    assert X[1, names.index("bandwidth_mean")] == pytest.approx(expected, rel=1e-4)


def test_song_features_refuses_bad_indices():
    songs = make_songs(2, duration=1.0, sr=8000, seed=0)
    with pytest.raises(ValueError, match="which must hold integers"):
        song_features(songs, [0.5])
    with pytest.raises(ValueError, match="n_mfcc"):
        song_features(songs, n_mfcc=0)
