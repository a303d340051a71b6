"""Hand-crafted lesion features (the SVM baseline's input): blobs counted where they are drawn."""
import numpy as np
import pytest

from cnnkit.medical import FEATURE_NAMES, graham, lesion_features, render_fundus


def column(name):
    return FEATURE_NAMES.index(name)


def test_blobs_are_counted_in_their_quadrant_and_kind():
    x = np.full((1, 40, 40, 3), 0.5, "float32")
    x[0, 8:10, 8:10] = 0.1          # a dark 2×2 spot, upper left
    x[0, 30, 12] = 0.1              # a dark dot, lower left
    x[0, 10, 30] = 0.95             # a bright dot, upper right
    f = lesion_features(x)[0]
    assert f[column("dark blobs upper left")] == 1 and f[column("dark blobs lower left")] == 1
    assert f[column("dark blobs upper right")] == 0 and f[column("bright blobs upper right")] == 1
    assert f[column("dark blob count")] == 2 and f[column("bright blob count")] == 1
    assert f[column("largest dark blob")] * (np.hypot(*(np.mgrid[:40, :40] + 0.5 - 20)) <= 17).sum() == 4
    assert f.shape == (len(FEATURE_NAMES),)


def test_severe_eyes_have_more_dark_blobs_than_healthy_ones():
    def feats(grade):
        imgs = [graham.ben_graham(render_fundus(grade, size=64, seed=s)[0], radius=32) for s in range(12)]
        return lesion_features(np.stack(imgs).astype("float32"))

    healthy, severe = feats(0), feats(3)
    assert severe[:, column("dark blob count")].mean() > healthy[:, column("dark blob count")].mean()


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="images"):
        lesion_features(np.zeros((4, 4, 3)))
    with pytest.raises(ValueError, match=r"images must be N×H×W×3, got shape \(1, 8, 8, 1\)"):
        lesion_features(np.zeros((1, 8, 8, 1)))
    with pytest.raises(ValueError, match="dark"):
        lesion_features(np.zeros((1, 8, 8, 3)), dark=0.7)
