"""The defects the adversarial sweep of cnnkit 0.2 found (issue 17 §1–2; ids from ../shared/reviews/package.md §3).

Each test fails on the code before the fix: its docstring names the item and what the old code did.
"""
import math

import numpy as np
import pytest
from PIL import Image

import cnnkit  # noqa: F401  (quiet TensorFlow before anything loads it)
from cnnkit import images, metrics, training
from cnnkit.data import make_shapes, shift_images, split_arrays, split_indices
from cnnkit.medical import ben_graham, bootstrap_interval, lesion_features, make_fundus
from cnnkit.music import audio, make_songs, slice_songs, song_split
from cnnkit.music import recommend as rec


# ---------------------------------------------------------------- §2.1 one dtype rule for every image consumer
def test_lesion_features_read_uint8_by_the_dtype_rule_not_as_floats_of_0_to_255():
    """§2.1 (G5): make_fundus(dtype="uint8") → ben_graham (keeps uint8) → lesion_features gave features of 0..255
    values (bright area 0.993 instead of 0.018). Now uint8 is scaled, and floats outside [0, 1] are refused."""
    data = make_fundus(20, size=48, seed=0, dtype="uint8", val=0.0, test=0.0)
    prepped = np.stack([ben_graham(img, radius=24) for img in data.train.x])
    assert prepped.dtype == np.uint8
    from_uint8 = lesion_features(prepped)
    from_float = lesion_features(prepped.astype(np.float32) / 255)
    np.testing.assert_allclose(from_uint8, from_float, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"images is a float image, so its values must lie in \[0, 1\]"):
        lesion_features(prepped.astype(np.float32))          # notebook 08's graham_batch(...).astype("float32")


def test_ben_graham_takes_uint16_as_the_images_module_does():
    """§2.1 (G1): ben_graham refused uint16 (TypeError) though cnnkit.images reads it (÷ 257)."""
    photo = np.zeros((60, 80, 3), np.uint8)
    photo[10:50, 20:60] = (180, 80, 40)
    wide = photo.astype(np.uint16) * 257                     # the same picture in 16 bits
    np.testing.assert_array_equal(ben_graham(wide, radius=16), ben_graham(photo, radius=16))


# ---------------------------------------------------------------- §2.2 -inf scores
def test_mean_auc_and_compare_on_pool_accept_minus_infinity():
    """§2.2 (R1, R2): -inf (the "mask what was played" idiom hit_rate_at_k accepts) was refused as non-finite."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    scores = rng.normal(size=(6, 12))
    scores[:, :3] = -np.inf                                   # items masked out for everyone
    relevant = np.zeros((6, 12), bool)
    relevant[np.arange(6), rng.integers(0, 12, 6)] = True
    relevant[0, 0] = True                                     # one relevant item among the masked ones
    expected = np.mean([roc_auc_score(r, np.where(np.isinf(s), -1e9, s)) for s, r in zip(scores, relevant)])
    assert rec.mean_auc(scores, relevant) == pytest.approx(expected)
    table = rec.compare_on_pool({"masked": scores}, relevant, k=3)
    assert table.loc["masked", "auc"] == pytest.approx(expected)


# ---------------------------------------------------------------- §2.3 val=0 on the real retina route
def _aptos(root, n=12):
    (root / "train_images").mkdir(parents=True)
    rows = []
    for k in range(n):
        img = np.zeros((40, 40, 3), np.uint8)
        img[8:32, 8:32] = (150 + k, 60, 30)
        Image.fromarray(img).save(root / "train_images" / f"id{k}.png")
        rows.append(f"id{k},{k % 2}")
    (root / "train.csv").write_text("id_code,diagnosis\n" + "\n".join(rows) + "\n")
    return root


def test_split_by_patient_with_val_0_gives_an_empty_part_not_a_tensorflow_crash(tmp_path):
    """§2.3 (L1, L2): split_by_patient(data, val=0) crashed in TF's ReadFile; RetinaData.split(val=0) gave dataset=None."""
    from cnnkit.medical import load_aptos, split_by_patient

    data = load_aptos(_aptos(tmp_path), size=16, batch_size=4, check=None)
    parts = data.split(val=0, test=0.25, seed=0)
    assert parts.val.n == 0 and parts.val.dataset is not None and list(parts.val.dataset) == []
    (train, val, test), _ = split_by_patient(data, val=0, test=0.25, seed=0)
    assert val.x.shape == (0, 16, 16, 3) and len(val.y) == 0 and len(train) + len(test) == 12


# ---------------------------------------------------------------- §2.4 top_db and silence
def test_top_db_must_be_positive_and_silence_is_refused_in_memory():
    """§2.4 (S6, T10, T10b, A10, S13): top_db=0 made every slice NaN, -10 gave +10 dB everywhere, and silent songs
    in memory became all-1.0 slices (all 0 dB) while load_audio refuses a silent file."""
    songs = make_songs(2, duration=1.0, sr=8000, seed=0)
    for top_db in (0, -10, None):
        with pytest.raises((ValueError, TypeError), match="top_db"):
            slice_songs(songs, n_mels=16, width=8, n_fft=256, hop=128, top_db=top_db)
    silent = make_songs(2, duration=1.0, sr=8000, seed=0)
    silent.audio[:] = 0
    with pytest.raises(ValueError, match=r"song 0 \(classical.00000\): y is silent"):
        slice_songs(silent, n_mels=16, width=8, n_fft=256, hop=128)
    with pytest.raises(ValueError, match="y is silent"):
        audio.spectrogram(np.zeros(8000, np.float32), 8000)


@pytest.mark.slow
def test_log_mel_layer_refuses_top_db_0_and_negative():
    """§2.4 (T10, T10b): LogMelSpectrogram(top_db=0, scale=True) gave all NaN; top_db=-10 gave +10 dB."""
    from cnnkit.music.audio_tf import LogMelSpectrogram

    for top_db in (0, -10):
        with pytest.raises(ValueError, match="top_db"):
            LogMelSpectrogram(8000, top_db=top_db, scale=True)
    with pytest.raises(TypeError, match="scale must be True or False"):
        LogMelSpectrogram(8000, scale="no")


# ---------------------------------------------------------------- §2.5 labels the class names do not name
@pytest.mark.parametrize("labels, match", [([0, 1, 2, 0, 1, 2, 0, 1, 2], "labels holds the class 2"),
                                           ([-1, 0, 0, 0, 1, 1, 1, 0], "labels must hold labels ≥ 0")])
def test_labels_outside_class_names_are_refused(labels, match):
    """§2.5 (D12, D13): labels 0..2 with class_names ["a", "b"] and the label -1 were accepted silently."""
    with pytest.raises(ValueError, match=match):
        split_indices(labels, val=0.0, test=0.0, class_names=["a", "b"])
    with pytest.raises(ValueError, match=match.replace("labels", "y", 1)):
        split_arrays(np.zeros((len(labels), 2)), labels, ["a", "b"], val=0.0, test=0.0)


# ---------------------------------------------------------------- §2.6 undefined bootstrap resamples
def test_bootstrap_interval_says_how_many_resamples_were_undefined():
    """§2.6 (G7): with 2 referable eyes in 100, 136 of 1000 resamples had none and were dropped without a word."""
    from cnnkit.medical.grading import referable_sensitivity_specificity

    y_true = np.r_[[2, 3], np.zeros(98, int)]
    y_pred = np.r_[[2, 0], np.zeros(98, int)]
    result = bootstrap_interval(lambda t, p: referable_sensitivity_specificity(t, p)[0], y_true, y_pred,
                                n_boot=1000, seed=0)
    assert 50 < result.dropped < 250 and result.n_boot == 1000
    assert f"{result.dropped} of 1000 resamples undefined" in repr(result)


# ---------------------------------------------------------------- §2.7 labelled_subset and slice_dataset
def test_labelled_subset_names_one_hot_and_mismatched_labels():
    """§2.7 (T12, T13): one-hot labels or 3 inputs with 4 labels gave a bare IndexError."""
    from cnnkit.transfer_learning import labelled_subset

    x, y = np.zeros((6, 2)), np.repeat([0, 1, 2], 2)
    with pytest.raises(ValueError, match=r"split: y must hold one integer label per item \(1-D\).*one-hot"):
        labelled_subset((x, np.eye(3)[y]), count=3)
    with pytest.raises(ValueError, match="split: x and y must hold one item per label, got 5 inputs and 6 labels"):
        labelled_subset((x[:5], y), count=3)


def test_slice_dataset_checks_which_at_the_call():
    """§2.7 (L9): which=[0, 99] on 4 songs failed only at the first batch, as TensorFlow's UnknownError."""
    from cnnkit.music import slice_dataset

    songs = make_songs(4, duration=1.0, sr=8000, seed=0)
    with pytest.raises(ValueError, match=r"which holds song indices outside 0\.\.3"):
        slice_dataset(songs, [0, 99], sr=8000, n_mels=16, width=8, n_fft=256, hop=128)


# ---------------------------------------------------------------- §2.8 the smaller list
def test_brightness_refuses_a_reversed_clip():
    """§2.8 (T9): brightness(clip=(1, 0)) returned all zeros (fgsm already checked low ≤ high)."""
    from cnnkit import explain

    with pytest.raises(ValueError, match=r"clip must be \(low, high\) with low ≤ high"):
        explain.brightness(clip=(1, 0))


@pytest.mark.parametrize("fill", [0.5, 300, -1])
def test_shift_images_refuses_a_fill_its_dtype_cannot_hold(fill):
    """§2.8 (D16, D17): shift_images(uint8, fill=0.5) filled 0 silently; fill=300 gave numpy's OverflowError."""
    with pytest.raises(ValueError, match=f"fill={fill!r} cannot be stored in x's dtype uint8"):
        shift_images(np.zeros((1, 4, 4), np.uint8), 1, 0, fill=fill)
    assert shift_images(np.zeros((1, 4, 4), np.uint8), 1, 0, fill=255)[0, 0, 0] == 255


def test_run_dir_stays_inside_its_root_and_says_typeerror_for_a_number(tmp_path):
    """§2.8 (T6, T7): run_dir("..") created root/.. and returned it; run_dir(3) raised ValueError, not TypeError."""
    for name in ("..", ".", "a/b", "../escape"):
        with pytest.raises(ValueError, match="name must be one folder name inside root"):
            training.run_dir(name, root=tmp_path / "runs")
    with pytest.raises(TypeError, match="name must be a string, got 3"):
        training.run_dir(3, root=tmp_path)
    assert not (tmp_path / "runs").exists()


def test_a_flag_written_as_a_string_is_no_cache_file(tmp_path):
    """§2.8 (L4): load_aptos(cache="false") wrote a cache file named "false"."""
    from cnnkit.medical import load_aptos

    for flag in ("false", "True", "no"):
        with pytest.raises(ValueError, match=f"cache={flag!r} looks like a flag, not a path"):
            load_aptos(_aptos(tmp_path / flag), cache=flag)


def test_global_batch_size_names_a_strategy_that_is_none():
    """§2.8 (T25): global_batch_size(32, strategy="x") raised AttributeError."""
    from cnnkit.device import global_batch_size

    with pytest.raises(TypeError, match="strategy must be a tf.distribute strategy, got 'x'"):
        global_batch_size(32, strategy="x")


@pytest.mark.slow
def test_fgsm_labels_and_the_reserved_original_of_robustness():
    """§2.8 (T21, T19): fgsm(net, x, label=7) on 3 classes reached TensorFlow (InvalidArgumentError); robustness let
    a transform named "original" replace the score on the untouched batch."""
    from cnnkit import explain, models

    net = models.cnn((8, 8, 1), 3, blocks=1, filters=2, dense=0)
    with pytest.raises(ValueError, match=r"labels must be class indices in 0\.\.2 .*got \[7\]"):
        explain.fgsm(net, np.zeros((8, 8, 1), np.float32), 7, epsilon=0.1)
    with pytest.raises(ValueError, match="transforms must not use the name 'original'"):
        explain.robustness(net, np.zeros((2, 8, 8, 1)), [0, 1], {"original": explain.rotate(10)})


def test_degenerate_inputs_are_named_not_nan_or_zero_division():
    """§2.8 (ST6–ST8, R8, A19–A21): quality.scores(content == style) divided by zero, colour_distance(quantiles=0)
    and gini([1, nan]) gave NaN, slice_spectrogram passed NaN on, power_to_db clamped negative powers silently and
    dropped a complex part with a warning."""
    from cnnkit.style import quality

    a = (np.random.default_rng(0).random((16, 16, 3)) * 255).astype(np.uint8)
    with pytest.raises(ValueError, match="content and style have the same colours"):
        quality.scores(a, a, a)
    with pytest.raises(ValueError, match="quantiles must be ≥ 1"):
        quality.colour_distance(a, a, quantiles=0)
    with pytest.raises(ValueError, match="a is flat"):
        quality.layout_correlation(np.zeros((16, 16, 3), np.uint8), a)
    with pytest.raises(ValueError, match="counts contains NaN"):
        rec.gini([1, math.nan])
    with pytest.raises(ValueError, match="S contains NaN"):
        audio.slice_spectrogram(np.full((4, 8), np.nan), width=4, pad="constant")
    with pytest.raises(ValueError, match="power must be ≥ 0, got -5"):
        audio.power_to_db(np.array([1.0, -5.0]))
    with pytest.raises(TypeError, match="power must hold real numbers"):
        audio.power_to_db(np.array([1.0 + 1j]))


@pytest.mark.parametrize("call, name", [
    (lambda: make_shapes(10, size=100_000), "size"),
    (lambda: metrics.confusion_matrix([0, 10**6], [0, 0]), "the largest label"),
    (lambda: audio.slice_spectrogram(np.zeros((8, 3)), width=10**9, pad="constant"), "width"),
    (lambda: rec.genre_scores(np.ones((2, 2)), [0, 10**9]), "song_genres"),
    (lambda: ben_graham(np.full((20, 20, 3), 200, np.uint8), radius=1e6), "radius"),
])
def test_huge_requests_are_refused_naming_the_argument_before_a_memory_error(call, name):
    """§2.8 (M8, D2, A23, R9, G4): these gave a bare MemoryError (TiB to EiB) without the argument's name."""
    with pytest.raises(ValueError, match=f"{name}.* would need .* more than this machine's memory"):
        call()


def test_a_decompression_bomb_names_its_file(tmp_path):
    """§2.8 (I16): PIL's DecompressionBombError passed through without the file's name."""
    path = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(path)                # 400 MP of one bit: a small file
    with pytest.raises(ValueError, match=r"image file '.*bomb.png' is too large to open safely"):
        images.load_image(path)


def test_load_audio_of_a_folder_says_it_is_a_folder(tmp_path):
    """§2.8 (A6): load_audio(a folder) said "no such file"."""
    with pytest.raises(ValueError, match="is a folder, not an audio file"):
        audio.load_audio(tmp_path)


# ---------------------------------------------------------------- §1 flags, lists, seeds, checks before a download
def test_flags_must_be_booleans():
    """§1 (I9, A18, T4, L7): gray="no" gave a gray image, db="no" dB, backup="no" a backup, strict="no" strictness."""
    from cnnkit.music import load_gtzan

    with pytest.raises(TypeError, match="gray must be True or False, got 'no'"):
        images.load_image("camera", gray="no")
    with pytest.raises(TypeError, match="db must be True or False, got 'no'"):
        audio.spectrogram(np.ones(2048, np.float32), 8000, db="no")
    with pytest.raises(TypeError, match="backup must be True or False, got 'no'"):
        training.callbacks("runs/never-made", backup="no")
    with pytest.raises(TypeError, match="strict must be True or False, got 0"):
        load_gtzan("no/such/folder", strict=0)


def test_a_string_is_not_a_list():
    """§1 (T1–T3): compile_model(metrics="accuracy") failed as "identifier: a", strategy("/CPU:0") as "attribute 'C'",
    mlp(hidden=5) as "'int' object is not iterable". A string where a list is meant is refused, naming it."""
    from cnnkit import device, models

    with pytest.raises(TypeError, match=r"metrics must be a list of Keras metric names .*\['accuracy'\]"):
        models.compile_model(models.mlp((4,), 2), metrics="accuracy")
    with pytest.raises(TypeError, match="devices must be a list of device names, got '/CPU:0'"):
        device.strategy("/CPU:0")
    with pytest.raises(TypeError, match="hidden must be a list of hidden layer sizes, got 5"):
        models.mlp((4,), 2, hidden=5)


def test_fetch_checks_its_arguments_before_any_download(monkeypatch):
    """§1 (T14, T15): fetch_mnist(val=2.0) offline said "could not be downloaded" (online it downloaded first)."""
    from cnnkit.data import fetch_cifar10, fetch_mnist, keras_sets

    def no_network(*args, **kwargs):
        raise AssertionError("the download was tried before the arguments were checked")

    monkeypatch.setattr(keras_sets, "_load", no_network)
    with pytest.raises(ValueError, match=r"val must be in \[0, 1\), got 2"):
        fetch_mnist(val=2.0)
    with pytest.raises(TypeError, match="val must be a number"):
        fetch_cifar10(val="x")
    with pytest.raises(TypeError, match="seed must be an int, a numpy SeedSequence or a numpy Generator"):
        fetch_mnist(seed=1.5)


def test_the_int_only_entry_points_take_every_seed_form(tmp_path):
    """§1 (T5, T8, L10): style.stylize, vgg19_trunk/FeatureExtractor, PyramidExtractor/make_extractor,
    training.callbacks and music.slice_dataset took only an int ("seed must be an integer")."""
    from cnnkit.music import slice_dataset
    from cnnkit.style import PyramidExtractor, make_extractor

    for seed in (7, np.random.SeedSequence(7), np.random.default_rng(7)):
        assert isinstance(PyramidExtractor(filters=1, seed=seed).seed, int)
        make_extractor("pyramid", seed=seed, quiet=True, filters=1)
        assert training.callbacks(tmp_path / "run", seed=seed, backup=False, best=False, tensorboard=False,
                                  csv=False)
    songs = make_songs(2, duration=1.0, sr=8000, seed=0)
    ds = slice_dataset(songs, sr=8000, n_mels=8, width=8, n_fft=256, hop=128, shuffle=True,
                       seed=np.random.default_rng(0))
    assert next(iter(ds))[0].shape[1:] == (8, 8, 1)
    # the same SeedSequence gives the same filters (a Generator advances, as everywhere in cnnkit)
    a = PyramidExtractor(filters=1, seed=np.random.SeedSequence(3)).kernels[0].numpy()
    b = PyramidExtractor(filters=1, seed=np.random.SeedSequence(3)).kernels[0].numpy()
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------- §1 empty parts
@pytest.mark.parametrize("call", [lambda: make_shapes(10, size=16), lambda: make_fundus(4, size=32)])
def test_a_requested_part_that_rounds_to_nothing_is_refused(call):
    """§1 (D24, F5): make_shapes(10) and make_fundus(4) gave 10/0/0 and 4/0/0 although val=test=0.15 were asked for."""
    with pytest.raises(ValueError, match=r"(test|val)=0.15 of \d+ items rounds to an empty (test|val) part"):
        call()
    small = make_shapes(10, size=16, val=0, test=0)                 # asking for none is fine
    assert (len(small.train), len(small.val), len(small.test)) == (10, 0, 0)
    songs = song_split(np.repeat([0, 1], 3), val=0.3, test=0.3, seed=0)     # the rule song_split already had
    assert all(len(part) for part in songs)


# ---------------------------------------------------------------- §3 estimators clone
@pytest.mark.parametrize("make", [lambda: rec.ImplicitALS(factors=3, reg=0.5, seed=np.random.SeedSequence(1)),
                                  lambda: rec.FactorRegressor(reg=2.0)])
def test_recommend_estimators_clone_and_set_params(make):
    """§3: ImplicitALS and FactorRegressor had no get_params, so sklearn.base.clone raised TypeError."""
    from sklearn.base import clone

    est = make()
    copy = clone(est)
    assert type(copy) is type(est) and copy is not est and repr(copy.get_params()) == repr(est.get_params())
    assert est.set_params(reg=3.0) is est and est.reg == 3.0
    with pytest.raises(ValueError, match="invalid parameter"):
        est.set_params(no_such=1)
    with pytest.raises(ValueError, match="reg must be in"):
        est.set_params(reg=-1.0)
    assert est.reg == 3.0                                            # a refused value changes nothing


def test_a_cloned_als_fits_like_the_original():
    """§3: clone gives an unfitted copy with the same hyper-parameters, so it learns the same factors."""
    from sklearn.base import clone

    plays = np.eye(6, dtype=int) * 3 + np.roll(np.eye(6, dtype=int), 1, axis=1)
    als = rec.ImplicitALS(factors=2, iterations=3, seed=4).fit(plays)
    copy = clone(als)
    assert not hasattr(copy, "user_factors_")
    np.testing.assert_allclose(copy.fit(plays).scores(), als.scores())


# ---------------------------------------------------------------- §2.9 the log level, said where users read it
def test_the_package_says_it_sets_the_tensorflow_log_level():
    """§2.9 (N-16): import cnnkit sets TF_CPP_MIN_LOG_LEVEL=3 for the session while its docstring (what help(cnnkit)
    shows) spoke only of the start-up banner."""
    text = " ".join(cnnkit.__doc__.split())
    assert "TF_CPP_MIN_LOG_LEVEL" in text and "for the rest of the session" in text and "set it to 0" in text
