"""Camera settings of the fundus generator (the same eyes under another camera) and the gradability check."""
import numpy as np
import pytest
from sklearn.base import clone

from cnnkit.medical import CAMERAS, Camera, camera_setting, make_fundus, render_fundus
from cnnkit.medical.quality import QualityCheck, image_quality


def test_the_default_camera_changes_nothing():
    default = np.concatenate([p.x for p in make_fundus(12, size=40, seed=2)])
    for camera in ("desktop", Camera(), None):
        same = np.concatenate([p.x for p in make_fundus(12, size=40, seed=2, camera=camera)])
        np.testing.assert_array_equal(same, default)


def test_another_camera_photographs_the_same_eyes():
    for grade in (0, 2, 4):
        desk, lesions = render_fundus(grade, size=64, seed=grade)
        hand, same = render_fundus(grade, size=64, seed=grade, camera="handheld")
        np.testing.assert_array_equal(same.mask, lesions.mask)                  # same retina, same lesions
        assert all((same.counts[k] == lesions.counts[k]).all() for k in lesions.counts) and same.centre == lesions.centre
        assert np.abs(hand - desk).mean() > 0.02                                # photographed differently
        assert hand.mean() < desk.mean() and hand[..., 2].mean() / hand[..., 0].mean() > \
            desk[..., 2].mean() / desk[..., 0].mean()                           # dimmer and bluer, as documented


def test_each_camera_knob_moves_its_own_nuisance():
    base, _ = render_fundus(1, size=64, seed=5, nuisance=0.0)
    dark, _ = render_fundus(1, size=64, seed=5, nuisance=0.0, camera=Camera(exposure=0.5))
    np.testing.assert_allclose(dark, base * 0.5, atol=1e-6)                     # no nuisance: exposure scales
    blurred, _ = render_fundus(1, size=64, seed=5, nuisance=0.0, camera=Camera(blur=2.0))
    assert np.abs(np.diff(blurred, axis=0)).mean() < np.abs(np.diff(base, axis=0)).mean()


def test_camera_setting_and_its_refusals():
    assert camera_setting("handheld") is CAMERAS["handheld"] and camera_setting(None) == Camera()
    with pytest.raises(ValueError, match="camera"):
        camera_setting("smartphone")
    with pytest.raises(ValueError, match="exposure"):
        Camera(exposure=0)
    with pytest.raises(ValueError, match="colour"):
        Camera(colour=(1, 1))


def test_image_quality_measures_what_it_says():
    flat = np.full((2, 32, 32, 3), 0.5, np.float32)
    flat[1, :, :16] = 0                                                         # half the picture black
    m = image_quality(flat)
    assert m["field"].tolist() == [1.0, 0.5] and m["contrast"][0] == 0 and m["brightness"][0] == 0.5
    assert image_quality(np.uint8(flat[0] * 255))["brightness"][0] == pytest.approx(0.5, abs=0.01)   # one uint8 photo


def test_quality_check_refuses_ungradable_photos_and_keeps_gradable_ones():
    train = make_fundus(200, size=48, seed=1, val=0.1, test=0.1).train.x
    check = QualityCheck(quantile=0.01).fit(train)
    good = make_fundus(60, size=48, seed=2, val=0.1, test=0.1).train.x
    bad = make_fundus(60, size=48, seed=2, val=0.1, test=0.1, camera="ungradable").train.x
    assert check.predict(good).mean() > 0.9 and check.predict(bad).mean() < 0.1
    reasons = check.reasons(bad)
    assert all(reasons) and any("too dark" in r for r in reasons) and any("out of focus" in r for r in reasons)
    assert all(r == "" for r, ok in zip(check.reasons(good), check.predict(good)) if ok)
    assert set(check.thresholds_) == {"field", "brightness", "contrast"}


def test_quality_check_is_an_estimator():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        QualityCheck().predict(np.zeros((1, 8, 8, 3)))
    check = clone(QualityCheck(quantile=0.05))
    assert check.get_params() == {"quantile": 0.05, "black": 0.1}
    assert check.set_params(quantile=0.02).quantile == 0.02
    with pytest.raises(ValueError, match="no parameter"):
        check.set_params(level=3)
    with pytest.raises(ValueError, match="quantile"):
        QualityCheck(quantile=1.5)
