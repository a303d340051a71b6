"""The real-data route of notebook 08 on a fake EyePACS folder: a bounded sample split by patient."""
import numpy as np
import pytest

from cnnkit.medical import load_aptos, load_eyepacs, split_by_patient
from tests.test_retina_loaders import make_folder


@pytest.fixture(scope="module")
def eyepacs(tmp_path_factory):
    root = tmp_path_factory.mktemp("eyepacs")
    rows = [(f"{p}_{eye}", str((p + (eye == "right")) % 5)) for p in range(1, 31) for eye in ("left", "right")]
    make_folder(root, "eyepacs", rows)
    return load_eyepacs(root, size=24, batch_size=8)


def test_real_route_splits_by_patient_and_keeps_both_eyes(eyepacs):
    (train, val, test), patients = split_by_patient(eyepacs, n_images=41, val=0.2, test=0.2, seed=0)
    n = len(train) + len(val) + len(test)
    assert n == 40                              # whole patients only: 20 of them, never 41 images
    sets = [set(p) for p in patients]
    assert not (sets[0] & sets[1] or sets[0] & sets[2] or sets[1] & sets[2])
    for part, ids in zip((train, val, test), patients):
        assert part.x.shape == (len(ids), 24, 24, 3) and part.x.dtype == np.float32
        assert all(ids.count(p) == 2 for p in ids)     # both eyes of every patient in the same part
    # the images are the files: the grades follow the ids
    expected = {f"{p}": max(p % 5, (p + 1) % 5) for p in range(1, 31)}   # a patient counts with the worse eye
    for part, ids in zip((train, val, test), patients):
        worst = {}
        for p, g in zip(ids, part.y):
            worst[p] = max(worst.get(p, 0), int(g))
        assert worst == {p: expected[p] for p in worst}


@pytest.mark.slow
def test_real_route_is_seeded_and_all_images_without_a_bound(eyepacs):
    a = split_by_patient(eyepacs, n_images=30, seed=3)[1]
    b = split_by_patient(eyepacs, n_images=30, seed=3)[1]
    assert list(a) == list(b)
    everything, _ = split_by_patient(eyepacs, seed=0)
    assert sum(len(p) for p in everything) == 60
    with pytest.raises(TypeError, match="data must be a RetinaData"):
        split_by_patient(np.zeros(3))
    with pytest.raises(ValueError, match="n_images"):
        eyepacs.sample(0)


def test_aptos_route_has_one_group_per_image(tmp_path):
    rows = [(f"{p}_{eye}", str(p % 2)) for p in range(10) for eye in ("left", "right")]
    make_folder(tmp_path, "aptos", rows)
    _, patients = split_by_patient(load_aptos(tmp_path, size=24), val=0.2, test=0.2, seed=1)
    assert sorted(sum((list(p) for p in patients), [])) == sorted(r[0] for r in rows)   # ids, not patients
