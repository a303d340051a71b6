"""cnnkit.music.audio and cnnkit.music.audio_tf: file loading, spectrograms (vs librosa), slicing, voting."""
import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import cnnkit  # noqa: F401  (quiet TensorFlow first)
import librosa
import numpy as np
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser from PyPI (the test extra installs it there)
    import tomli as tomllib
import soundfile as sf
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnkit.music import audio, voting

SR = 22050


def tone(seconds=1.0, sr=SR, freq=440.0, amp=0.5):
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


# ---------------------------------------------------------------- load_audio
@pytest.mark.parametrize("fmt, subtype", [("WAV", "PCM_U8"), ("WAV", "PCM_16"), ("WAV", "PCM_24"),
                                          ("WAV", "PCM_32"), ("WAV", "FLOAT"), ("FLAC", "PCM_16"),
                                          ("OGG", "VORBIS")])
def test_load_audio_reads_every_format_and_bit_depth(tmp_path, fmt, subtype):
    y = tone(1.0, sr=16000)
    path = tmp_path / f"a.{fmt.lower()}"
    sf.write(path, y, 16000, format=fmt, subtype=subtype)
    out, sr = audio.load_audio(path, sr=16000)
    assert sr == 16000 and out.dtype == np.float32 and out.ndim == 1
    assert abs(len(out) - len(y)) <= 1
    tolerance = {"PCM_U8": 0.02, "VORBIS": 0.05}.get(subtype, 1e-3)
    n = min(len(out), len(y))
    assert np.abs(out[:n] - y[:n]).max() < tolerance


def test_load_audio_reads_mp3_where_libsndfile_can(tmp_path):
    path = tmp_path / "a.mp3"
    y = tone(2.0, sr=SR)
    try:
        sf.write(path, y, SR, format="MP3", subtype="MPEG_LAYER_III")
    except Exception as err:  # noqa: BLE001 - libsndfile < 1.1 has no MP3
        pytest.skip(f"this libsndfile cannot write MP3: {err}")
    out, sr = audio.load_audio(path, sr=SR)
    assert sr == SR and abs(len(out) - len(y)) < 0.05 * len(y)          # encoder delay/padding
    spectrum = np.abs(np.fft.rfft(out))
    assert abs(np.argmax(spectrum) * SR / len(out) - 440) < 5                # still a 440 Hz tone


def test_load_audio_stereo_becomes_the_channel_mean(tmp_path):
    left, right = tone(0.5, freq=440), tone(0.5, freq=660, amp=0.25)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([left, right], axis=1), SR, subtype="FLOAT")
    out, _ = audio.load_audio(path, sr=SR)
    np.testing.assert_allclose(out, (left + right) / 2, atol=1e-6)


def test_load_audio_resamples_like_librosa(tmp_path):
    y = tone(1.0, sr=44100, freq=1000)
    path = tmp_path / "hi.wav"
    sf.write(path, y, 44100, subtype="FLOAT")
    out, sr = audio.load_audio(path, sr=SR)
    expected = librosa.resample(y, orig_sr=44100, target_sr=SR, res_type="soxr_hq")
    assert sr == SR and len(out) == len(expected) == SR
    assert np.abs(out - expected).max() < 1e-4
    native, native_sr = audio.load_audio(path, sr=None)
    assert native_sr == 44100 and len(native) == 44100


def test_load_audio_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.wav"):
        audio.load_audio(tmp_path / "missing.wav")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty.wav.*empty"):
        audio.load_audio(empty)
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage" + bytes(100))
    with pytest.raises(ValueError, match="corrupt.wav.*cannot be read"):
        audio.load_audio(corrupt)
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio")
    with pytest.raises(ValueError, match="notes.wav"):
        audio.load_audio(text)
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(SR, dtype=np.float32), SR)
    with pytest.raises(ValueError, match="silent.wav.*silent"):
        audio.load_audio(silent)
    no_frames = tmp_path / "noframes.wav"
    sf.write(no_frames, np.zeros(0, dtype=np.float32), SR)
    with pytest.raises(ValueError, match="noframes.wav"):
        audio.load_audio(no_frames)
    with pytest.raises(ValueError, match="sr must be ≥ 1"):
        audio.load_audio(silent, sr=-5)
    with pytest.raises(TypeError, match="sr must be an integer"):
        audio.load_audio(silent, sr=22050.5)
    with pytest.raises(TypeError, match="positional"):
        audio.load_audio(silent, 16000)


def test_resample_equals_librosa_soxr_hq_and_names_bad_rates():
    y = tone(0.5, sr=16000)
    expected = librosa.resample(y, orig_sr=16000, target_sr=11025, res_type="soxr_hq")
    np.testing.assert_array_equal(audio.resample(y, 16000, 11025), expected)
    with pytest.raises(ValueError, match="target_sr must be in"):
        audio.resample(y, 16000, 0)
    with pytest.raises(ValueError, match="y must be 1-D"):
        audio.resample(np.zeros((2, 10)), 16000, 8000)


MY_MODULES = ["audio", "audio_tf", "synth", "_render", "_instruments", "songs", "index", "gtzan", "fma", "voting"]


@pytest.mark.parametrize("module", MY_MODULES)
def test_every_imported_library_is_a_declared_dependency(module):
    """Issue 10, defect 14: audio.py imported soxr, which pyproject.toml does not declare."""
    root = Path(cnnkit.__file__).parent.parent
    declared = {re.split(r"[<>=!~ ;\[]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]}
    tree = ast.parse((root / "cnnkit" / "music" / f"{module}.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    providers = importlib.metadata.packages_distributions()
    for name in sorted(imported - {"cnnkit"}):
        if name in sys.stdlib_module_names:
            continue
        dists = {d.lower().replace("_", "-") for d in providers.get(name, [name])}
        assert dists & declared, f"cnnkit/music/{module}.py imports {name}, which pyproject.toml does not declare"


# ---------------------------------------------------------------- spectrogram
def test_spectrogram_matches_librosa_mel_and_linear():
    y = np.random.default_rng(0).normal(size=SR).astype(np.float32) * tone(1.0)
    mel = audio.spectrogram(y, SR, n_fft=1024, hop=256, n_mels=40)
    expected = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=SR, n_fft=1024, hop_length=256,
                                                                  n_mels=40), ref=np.max, top_db=80)
    assert mel.shape == (40, 1 + SR // 256)
    assert np.abs(mel - expected).max() < 1e-3
    lin = audio.spectrogram(y, SR, kind="linear", n_fft=512, hop=128, db=False)
    np.testing.assert_allclose(lin, np.abs(librosa.stft(y, n_fft=512, hop_length=128)) ** 2, rtol=1e-4, atol=1e-6)
    assert mel.max() == 0.0 and mel.min() >= -80.0


def test_spectrogram_rejects_bad_input():
    with pytest.raises(ValueError, match="kind must be one of"):
        audio.spectrogram(tone(), SR, kind="cqt")
    with pytest.raises(ValueError, match="n_fft must be ≥ 2"):
        audio.spectrogram(tone(), SR, n_fft=1)
    with pytest.raises(TypeError, match="hop must be an integer"):
        audio.spectrogram(tone(), SR, hop=True)
    with pytest.raises(TypeError, match="positional"):
        audio.spectrogram(tone(), SR, "linear")
    with pytest.raises(ValueError, match="1-D"):
        audio.spectrogram(np.zeros((2, 100)), SR)
    with pytest.raises(ValueError, match="NaN"):
        audio.spectrogram(np.full(1000, np.nan), SR)


def test_power_to_db_equals_librosa():
    power = np.random.default_rng(1).random((16, 30)) ** 4
    np.testing.assert_allclose(audio.power_to_db(power), librosa.power_to_db(power, ref=np.max), atol=1e-5)


# ---------------------------------------------------------------- in-graph path
@pytest.mark.parametrize("n_fft, hop, n_mels", [(2048, 512, 128), (1024, 256, 64), (512, 128, 40)])
def test_tf_mel_spectrogram_agrees_with_librosa_within_a_tenth_of_a_db(n_fft, hop, n_mels):
    from cnnkit.music.audio_tf import mel_spectrogram_tf

    rng = np.random.default_rng(n_fft)
    t = np.arange(2 * SR) / SR
    clips = np.stack([rng.normal(size=t.size), np.sin(2 * np.pi * 330 * t) * np.exp(-t),
                      0.01 * np.sin(2 * np.pi * 60 * t) + 1e-3 * rng.normal(size=t.size)]).astype(np.float32)
    graph = mel_spectrogram_tf(clips, SR, n_fft=n_fft, hop=hop, n_mels=n_mels).numpy()
    for clip, S in zip(clips, graph):
        expected = audio.spectrogram(clip, SR, n_fft=n_fft, hop=hop, n_mels=n_mels, htk=True, norm=None,
                                     pad_mode="reflect")
        assert S.shape == expected.shape
        assert np.abs(S - expected).max() <= 0.1
        assert S.max() == pytest.approx(0.0, abs=1e-4)      # each example relative to its own peak


def test_tf_db_is_per_example_not_per_batch():
    from cnnkit.music.audio_tf import mel_spectrogram_tf

    quiet, loud = tone(1.0, amp=1e-3), tone(1.0, freq=880, amp=1.0)
    alone = mel_spectrogram_tf(quiet, SR, n_fft=1024, hop=256, n_mels=32).numpy()
    batch = mel_spectrogram_tf(np.stack([quiet, loud]), SR, n_fft=1024, hop=256, n_mels=32).numpy()
    np.testing.assert_allclose(batch[0], alone, atol=1e-4)


def test_log_mel_layer_in_a_model():
    import keras

    from cnnkit.music.audio_tf import LogMelSpectrogram, mel_spectrogram_tf

    inputs = keras.Input(shape=(SR,))
    layer = LogMelSpectrogram(SR, n_fft=1024, hop=512, n_mels=32, scale=True)
    model = keras.Model(inputs, layer(inputs))
    y = np.random.default_rng(2).normal(size=(3, SR)).astype(np.float32)
    out = model(y).numpy()
    assert out.shape == (3, 32, 1 + SR // 512, 1) == (3,) + model.output_shape[1:]
    expected = (mel_spectrogram_tf(y, SR, n_fft=1024, hop=512, n_mels=32).numpy() + 80) / 80
    np.testing.assert_allclose(out[..., 0], expected, atol=1e-5)
    assert out.min() >= 0 and out.max() <= 1
    clone = LogMelSpectrogram.from_config(layer.get_config())
    assert clone.n_mels == 32 and clone.scale


def test_log_mel_layer_builds_its_filter_bank_once(monkeypatch):
    """Issue 10, defect 12: the layer rebuilt the mel filter bank (librosa) on every call and trace."""
    import keras
    import tensorflow as tf

    from cnnkit.music import audio_tf

    built = []
    real = audio_tf.mel_filter_bank

    def counting(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(audio_tf, "mel_filter_bank", counting)
    layer = audio_tf.LogMelSpectrogram(SR, n_fft=1024, hop=512, n_mels=32)
    y = np.random.default_rng(3).normal(size=(2, SR)).astype(np.float32)
    first = layer(y).numpy()
    for _ in range(3):                                                  # eager calls
        np.testing.assert_array_equal(layer(y).numpy(), first)
    traced = tf.function(lambda x: layer(x))
    for n in (SR, SR // 2):                                             # two traces (two input shapes)
        traced(y[:, :n])
    inputs = keras.Input(shape=(SR,))
    keras.Model(inputs, layer(inputs)).predict(y, verbose=0)          # a functional model
    assert len(built) == 1


def test_tf_functions_take_options_by_keyword():
    from cnnkit.music import audio_tf

    with pytest.raises(TypeError, match="positional"):
        audio_tf.mel_spectrogram_tf(tone(), SR, 1024)
    with pytest.raises(TypeError, match="positional"):
        audio_tf.LogMelSpectrogram(SR, 1024)
    with pytest.raises(ValueError, match="n_mels must be ≥ 1"):
        audio_tf.mel_filter_bank(SR, n_fft=1024, n_mels=0)


# ---------------------------------------------------------------- slicing
def test_slice_exact_multiple_keeps_every_frame():
    S = np.arange(4 * 300).reshape(4, 300)
    out = audio.slice_spectrogram(S, width=100)
    assert out.shape == (3, 4, 100)
    np.testing.assert_array_equal(np.concatenate(list(out), axis=1), S)


def test_slice_remainder_is_dropped_or_padded():
    S = np.arange(2 * 250, dtype=float).reshape(2, 250)
    dropped = audio.slice_spectrogram(S, width=100)
    assert dropped.shape == (2, 2, 100)
    np.testing.assert_array_equal(dropped[1], S[:, 100:200])
    padded = audio.slice_spectrogram(S, width=100, pad="constant")
    assert padded.shape == (3, 2, 100)
    np.testing.assert_array_equal(padded[2, :, :50], S[:, 200:])
    assert (padded[2, :, 50:] == S.min()).all()                 # silence, not 0 dB
    edge = audio.slice_spectrogram(S, width=100, pad="edge")
    assert (edge[2, :, 50:] == S[:, -1:]).all()


def test_slice_shorter_than_one_slice():
    S = np.random.default_rng(0).random((8, 30))
    with pytest.raises(ValueError, match="30 frames.*width=64"):
        audio.slice_spectrogram(S, width=64)
    for mode in ("constant", "reflect", "wrap", "edge"):
        out = audio.slice_spectrogram(S, width=64, pad=mode)
        assert out.shape == (1, 8, 64)
        np.testing.assert_array_equal(out[0, :, :30], S)


def test_slice_overlapping_hop_and_bad_arguments():
    S = np.arange(3 * 10).reshape(3, 10)
    out = audio.slice_spectrogram(S, width=4, hop=2)
    assert out.shape == (4, 3, 4)
    for i in range(4):
        np.testing.assert_array_equal(out[i], S[:, 2 * i:2 * i + 4])
    with pytest.raises(ValueError, match="S must be a 2-D"):
        audio.slice_spectrogram(np.zeros((2, 3, 4)), width=2)
    with pytest.raises(ValueError, match="width must be ≥ 1"):
        audio.slice_spectrogram(S, width=0)
    with pytest.raises(TypeError, match="hop must be an integer"):
        audio.slice_spectrogram(S, width=2, hop=1.5)
    with pytest.raises(ValueError, match="pad must be one of"):
        audio.slice_spectrogram(S, width=8, hop=3, pad="nonsense")
    with pytest.raises(TypeError, match="pad must be False, True or a numpy.pad mode"):
        audio.slice_spectrogram(S, width=8, pad=3)
    with pytest.raises(ValueError, match="pad_value is only used with pad='constant'"):
        audio.slice_spectrogram(S, width=8, pad="edge", pad_value=0.0)
    with pytest.raises(TypeError, match="positional"):
        audio.slice_spectrogram(S, 4)


@pytest.mark.parametrize("mode", ["reflect", "symmetric"])
@pytest.mark.parametrize("n_frames, width", [(1, 5), (2, 9), (3, 8), (5, 16), (30, 64), (7, 5)])
def test_slice_pads_with_the_mode_asked_for(mode, n_frames, width):
    """Issue 10, defect 9: pad="reflect" silently became "wrap" once the padding was as long as S."""
    S = np.random.default_rng(n_frames).random((3, n_frames))
    out = audio.slice_spectrogram(S, width=width, pad=mode)
    padded = np.pad(S, ((0, 0), (0, len(out) * width - n_frames)), mode=mode)
    np.testing.assert_array_equal(np.concatenate(list(out), axis=1), padded)


def test_silence_is_refused_in_db_as_load_audio_refuses_a_silent_file():
    with pytest.raises(ValueError, match=r"y is silent \(peak below 1e-06\)"):
        audio.spectrogram(np.zeros(SR, dtype=np.float32), SR, n_mels=16)
    S = audio.spectrogram(np.zeros(SR, dtype=np.float32), SR, n_mels=16, db=False)      # power: all zero, fine
    out = audio.slice_spectrogram(S, width=16)
    assert out.shape == (2, 16, 16) and np.isfinite(out).all() and np.ptp(out) == 0


@settings(max_examples=40, deadline=None)
@given(n_freq=st.integers(1, 5), n_frames=st.integers(1, 60), width=st.integers(1, 20), hop=st.integers(1, 20))
def test_slice_shapes_for_any_size(n_freq, n_frames, width, hop):
    S = np.random.default_rng(0).random((n_freq, n_frames))
    if n_frames < width:
        with pytest.raises(ValueError, match=f"{n_frames} frames, fewer than one slice of width={width}"):
            audio.slice_spectrogram(S, width=width, hop=hop)
    else:
        out = audio.slice_spectrogram(S, width=width, hop=hop)
        assert out.shape == (1 + (n_frames - width) // hop, n_freq, width)
        np.testing.assert_array_equal(out[-1], S[:, (len(out) - 1) * hop:(len(out) - 1) * hop + width])
    padded = audio.slice_spectrogram(S, width=width, hop=hop, pad="edge")
    # padding: the last window starts inside S and reaches its end (or the next one would start past it)
    last = (len(padded) - 1) * hop
    assert last < n_frames and (last + width >= n_frames or last + hop >= n_frames)
    np.testing.assert_array_equal(padded[0][:, :min(width, n_frames)], S[:, :width])


# ---------------------------------------------------------------- voting
def test_vote_majority_and_mean_can_disagree():
    p = [[0.55, 0.45, 0.0], [0.55, 0.45, 0.0], [0.0, 1.0, 0.0]]
    assert voting.vote(p, method="majority") == (0, pytest.approx(2 / 3))
    label, confidence = voting.vote(p, method="mean")
    assert label == 1 and confidence == pytest.approx((0.45 + 0.45 + 1.0) / 3)


def test_vote_ties_are_deterministic():
    # one vote each: the higher mean probability wins
    assert voting.vote([[0.9, 0.1, 0], [0.3, 0.7, 0]], method="majority")[0] == 0
    assert voting.vote([[0.6, 0.4, 0], [0.1, 0.9, 0]], method="majority")[0] == 1
    # equal votes and equal means: the lowest class index wins
    assert voting.vote([[0.6, 0.4], [0.4, 0.6]], method="majority") == (0, 0.5)
    assert voting.vote([[0.6, 0.4], [0.4, 0.6]], method="mean") == (0, 0.5)


def test_vote_abstains_below_the_threshold():
    p = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.3, 0.4, 0.3]]
    label, confidence = voting.vote(p, method="majority", abstain_below=0.5)
    assert label == voting.ABSTAIN == -1 and confidence == pytest.approx(1 / 3)
    assert voting.vote(p, method="majority", abstain_below=0.3)[0] == 0
    assert voting.vote(p, method="mean", abstain_below=0.5)[0] == voting.ABSTAIN


def test_vote_rejects_bad_input():
    for bad in ([], [[]], [0.2, 0.8], [[np.nan, 1.0]], [[-0.1, 1.1]]):
        with pytest.raises(ValueError, match="slice_probabilities"):
            voting.vote(bad)
    with pytest.raises(ValueError, match="method must be one of"):
        voting.vote([[1.0, 0.0]], method="median")
    with pytest.raises(ValueError, match="abstain_below must be in"):
        voting.vote([[1.0, 0.0]], abstain_below=2)
    with pytest.raises(TypeError, match="abstain_below must be a number"):
        voting.vote([[1.0, 0.0]], abstain_below="high")
    with pytest.raises(TypeError, match="positional"):
        voting.vote([[1.0, 0.0]], "mean")


def test_vote_songs_groups_slices_by_song():
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7], [0.6, 0.4]])
    songs, labels, confidences = voting.vote_songs(p, [5, 2, 2, 5], method="mean")
    np.testing.assert_array_equal(songs, [2, 5])
    np.testing.assert_array_equal(labels, [1, 0])
    np.testing.assert_allclose(confidences, [0.75, 0.75])
    with pytest.raises(ValueError, match="song_index must have one entry per slice"):
        voting.vote_songs(p, [1, 2])
    with pytest.raises(TypeError, match="positional"):
        voting.vote_songs(p, [5, 2, 2, 5], "mean")
