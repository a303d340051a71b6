"""Synthetic colour fundus photographs graded for diabetic retinopathy (offline stand-in for APTOS 2019).

    >>> from cnnkit.medical import make_fundus, render_fundus
    >>> data = make_fundus(40, size=64, seed=0)
    >>> data.train.x.shape[1:], data.train.x.dtype, data.class_names[2]
    ((64, 64, 3), dtype('float32'), '2 moderate')

Each image is an orange-red retina inside a black camera field: vignetting, a colour cast, an optic
disc with its cup, a darker macula, and a branching tree of arteries and veins leaving the disc.
Lesions follow the international clinical DR scale:

====  =============  ==================================================================================
0     no DR          none
1     mild           a few microaneurysms only
2     moderate       more microaneurysms, dot/blot haemorrhages, hard exudates (± a cotton-wool spot)
3     severe         many haemorrhages in all four quadrants, venous beading, exudates, cotton-wool spots
4     proliferative  neovascularisation (fine tortuous new vessels at the disc or elsewhere)
                     ± preretinal haemorrhage, on top of haemorrhages and microaneurysms
====  =============  ==================================================================================

Nuisances vary per image (scaled by ``nuisance``): illumination gradient, exposure, gamma, colour cast,
blur, rotation, left/right eye, field-of-view size and cropping, sensor noise. Class frequencies default
to APTOS 2019's (1805 / 370 / 999 / 193 / 295 images), so the imbalance is real.

:func:`render_fundus` draws one image and returns what it drew (a :class:`Lesions` inventory with
per-quadrant counts, a lesion mask and the plan it was drawn from), so tests and Grad-CAM overlays can
check where lesions are. The drawing itself lives in :mod:`cnnkit.medical._render`.

Reproducibility: image ``i`` of :func:`make_fundus` — its grade and its pixels — does not depend on
``n``. Grades follow a fixed schedule (see :func:`make_fundus`), and every image is drawn from its own
stream spawned from ``seed`` with :class:`numpy.random.SeedSequence`; the split has a stream of its own.
"""
from dataclasses import dataclass, field

import numpy as np

from cnnkit._checks import (Any_, Array, Bool, Choice, Fraction, Int, Mapping, Number, Seed, Seq, Str, check_array,
                            check_choice, check_int, check_number, check_seed, contract, seed_sequence)
from cnnkit._progress import check_progress, progress_iter
from cnnkit.data.splits import Split, Splits, split_arrays, split_indices
from cnnkit.medical import _render
from cnnkit.medical._render import LESION_KINDS, QUADRANTS
from cnnkit.medical.cameras import CAMERA_RULE, camera_setting
from cnnkit.medical.grades import APTOS_COUNTS, GRADE_NAMES

__all__ = ["LESION_KINDS", "QUADRANTS", "Lesions", "make_fundus", "render_fundus"]

PARTS = ("train", "val", "test")


@contract(grade=Int(low=0, high=4), counts=Mapping(Choice(*LESION_KINDS), min_len=0), mask=Array(ndim=2),
          centre=Seq(Number(), min_len=2, max_len=2), radius=Number(low=0, low_open=True),
          disc=Seq(Number(), min_len=2, max_len=2), fovea=Seq(Number(), min_len=2, max_len=2),
          nuisance=Mapping(Str(), min_len=0), planned=Mapping(Choice(*LESION_KINDS), Int(low=0), min_len=0))
@dataclass
class Lesions:
    """What :func:`render_fundus` drew: per-kind counts per quadrant, a lesion mask, the layout, the plan.

    A lesion that finds no room on the retina is left out, so ``total(kind) <= planned[kind]``.

    Args:
        grade: the DR grade drawn, 0–4.
        counts: ``{kind: int array of 4}``, lesions per quadrant (see ``QUADRANTS``).
        mask: H×W uint8, 0 for no lesion and ``LESION_KINDS.index(kind) + 1`` where a lesion of that kind
            covers the pixel.
        centre: the camera field's centre, an (x, y) pixel position.
        radius: the field radius in pixels.
        disc: the optic disc's (x, y) position.
        fovea: the fovea's (x, y) position.
        nuisance: the photographic variation drawn (blur, rotation…).
        planned: ``{kind: count}``, how many the grade's plan asked for.

    Example:
        >>> _, lesions = render_fundus(1, size=64, seed=0)
        >>> lesions.total("microaneurysm") == lesions.planned["microaneurysm"] > 0, lesions.total("haemorrhage")
        (True, 0)
    """

    grade: int
    counts: dict
    mask: np.ndarray
    centre: tuple
    radius: float
    disc: tuple
    fovea: tuple
    nuisance: dict = field(default_factory=dict)
    planned: dict = field(default_factory=dict)

    def total(self, kind):
        """How many lesions of ``kind`` (one of ``LESION_KINDS``) the image holds, all quadrants together."""
        return int(self.counts[check_choice(kind, "kind", LESION_KINDS)].sum())

    def quadrants_with(self, kind):
        """How many of the four quadrants hold at least one lesion of ``kind`` (one of ``LESION_KINDS``)."""
        return int((self.counts[check_choice(kind, "kind", LESION_KINDS)] > 0).sum())


def _grade_plan(grade, rng):
    """How many of each lesion a grade gets (the clinical scale, with per-image variation)."""
    plan = dict.fromkeys(LESION_KINDS, 0)
    plan["haemorrhage_per_quadrant"] = None
    if grade == 1:
        plan["microaneurysm"] = rng.integers(2, 7)
    elif grade == 2:  # often subtle: a few small haemorrhages, exudates in about half (the hard pair with 1)
        plan["microaneurysm"] = rng.integers(3, 12)
        plan["haemorrhage"] = rng.integers(1, 7)
        plan["hard_exudate"] = rng.integers(1, 10) if rng.random() < 0.5 else 0
        plan["cotton_wool_spot"] = int(rng.random() < 0.2)
    elif grade == 3:
        plan["microaneurysm"] = rng.integers(8, 20)
        plan["haemorrhage_per_quadrant"] = rng.integers(5, 10, size=4)
        plan["hard_exudate"] = rng.integers(0, 16)
        plan["cotton_wool_spot"] = rng.integers(0, 4)
        plan["venous_beading"] = rng.integers(2, 5)
    elif grade == 4:
        plan["microaneurysm"] = rng.integers(5, 16)
        plan["haemorrhage"] = rng.integers(3, 16)
        plan["hard_exudate"] = rng.integers(0, 14)
        plan["cotton_wool_spot"] = rng.integers(0, 3)
        plan["neovascularisation"] = rng.integers(1, 4)
        plan["preretinal_haemorrhage"] = int(rng.random() < 0.5)
        plan["venous_beading"] = rng.integers(0, 3)
    if plan["haemorrhage_per_quadrant"] is not None:
        plan["haemorrhage"] = plan["haemorrhage_per_quadrant"].sum()
    return plan


@contract(grade=Int(low=0, high=4), size=Int(low=32), seed=Seed() | None, nuisance=Number(low=0, high=2),
          camera=CAMERA_RULE)
def render_fundus(grade, *, size=128, seed=None, nuisance=1.0, camera=None):
    """Draw one synthetic fundus photograph of DR ``grade`` and the inventory of what was drawn.

    The camera changes no random draw: the same seed gives the same retina and lesions under every camera.

    Args:
        grade: an int 0–4.
        size: the side of the square image in pixels (≥ 32).
        seed: an int, a ``numpy.random.SeedSequence`` or ``Generator`` (a Generator's stream advances;
            None: fresh, unrepeatable).
        nuisance: scales the photographic variation, in [0, 2] (0 = clean, 1 = default).
        camera: shifts it as another camera would (None: the default camera; a name in
            :data:`~cnnkit.medical.cameras.CAMERAS` or a :class:`~cnnkit.medical.cameras.Camera`).

    Returns:
        ``(image, lesions)``: a size×size×3 float32 RGB image in [0, 1] (black outside the camera field) and
        the :class:`Lesions` inventory.

    Example:
        >>> img, lesions = render_fundus(3, size=96, seed=0)
        >>> img.shape, lesions.quadrants_with("haemorrhage")
        ((96, 96, 3), 4)
    """
    grade = check_int(grade, "grade", low=0, high=4)
    size = check_int(size, "size", low=32)
    nuisance = check_number(nuisance, "nuisance", low=0, high=2)
    setting = camera_setting(camera)
    rng = np.random.default_rng() if seed is None else check_seed(seed)
    lay = _render.Layout(rng, size, nuisance)
    canvas = _render.Canvas(lay.size, lay.centre, lay.radius)
    img = _render.background(rng, lay, canvas)
    plan = _grade_plan(grade, rng)
    _render.vessels(rng, lay, canvas, img, int(plan["venous_beading"]))
    _render.lesions(rng, lay, canvas, img, plan)
    img, nuisances = _render.camera(rng, lay, img, setting)
    return img, Lesions(grade, canvas.counts, canvas.mask, tuple(lay.centre), float(lay.radius), tuple(lay.disc),
                        tuple(lay.fovea), nuisances, {kind: int(plan[kind]) for kind in LESION_KINDS})


def _grade_weights(n, grade_weights, class_counts):
    """The schedule's weights and the number of images, from ``n`` and ``grade_weights`` or ``class_counts``."""
    if class_counts is not None:
        counts = check_array(class_counts, "class_counts", ndim=1)
        if counts.shape != (5,) or not np.issubdtype(counts.dtype, np.integer) or (counts < 0).any() \
                or counts.sum() == 0:
            raise ValueError(f"class_counts must be 5 non-negative integers (one per grade), not all 0, "
                             f"got {class_counts!r}")
        if n is not None and check_int(n, "n", low=1) != counts.sum():
            raise ValueError(f"n={n} does not match sum(class_counts)={counts.sum()}; give one or the other")
        return counts.astype(float), int(counts.sum())
    n = check_int(n, "n", low=1)
    w = check_array(grade_weights, "grade_weights", ndim=1, dtype=float)
    if w.shape != (5,) or (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"grade_weights must be 5 non-negative numbers, not all zero, got {grade_weights!r}")
    return w, n


def _grade_schedule(weights, n):
    """Grades of images ``0 … n-1``: at every prefix each grade's count is within 1 of its share.

    Tijdeman's chairman assignment: image ``i`` goes to the grade that most urgently needs one among
    those not ahead of their share, so after ``m`` images grade ``k`` has ``m·p_k`` rounded up or
    down (``|count - m·p_k| ≤ 1 - 1/8`` for 5 grades). The schedule does not depend on ``n``.
    """
    p = np.asarray(weights, float) / np.sum(weights)
    slack = 1 - 1 / (2 * len(p) - 2)
    rate = np.where(p > 0, p, 1.0)
    counts, grades = np.zeros(len(p)), np.empty(n, dtype=np.int64)
    for i in range(n):
        eligible = (p > 0) & ((i + 1) * p - counts >= 1 - slack - 1e-9)
        k = int(np.argmin(np.where(eligible, (counts + slack) / rate, np.inf)))  # earliest deadline first
        counts[k] += 1
        grades[i] = k
    return grades


def _child(seq, *key):
    """The ``SeedSequence`` that ``seq.spawn`` would give at ``key`` (without changing ``seq``)."""
    return np.random.SeedSequence(seq.entropy, spawn_key=tuple(seq.spawn_key) + key, pool_size=seq.pool_size)


@contract(n=Int(low=1) | None, size=Int(low=32), seed=Seed(), grade_weights=Array(ndim=1, low=0),
          class_counts=Array(ndim=1, integer=True, low=0) | None, val=Fraction(), test=Fraction(),
          nuisance=Number(low=0, high=2), camera=CAMERA_RULE, parts=Seq(Choice(*PARTS), max_len=3) | None,
          dtype=Any_("'float32', 'uint8' or those NumPy types, checked in the body", example="float32"),
          progress=Bool() | None)
def make_fundus(n=1000, *, size=128, seed=0, grade_weights=APTOS_COUNTS, class_counts=None, val=0.15, test=0.15,
                nuisance=1.0, camera=None, parts=None, dtype="float32", progress=None):
    """``n`` synthetic fundus photographs, graded 0–4, split into train / val / test (stratified).

    Image ``i`` (grade and pixels) does not depend on ``n``:

    - grades follow a fixed schedule that keeps every prefix of the set in proportion: after ``m``
      images each grade has its share ``m · weight`` rounded up or down (so the whole set does too).
      It is the same for every seed, as ``make_songs`` gives song ``i`` genre ``i % k``. With
      ``class_counts`` the schedule uses those counts as weights, which gives exactly those counts;
      image ``i`` then depends on the counts (and on nothing else but ``seed``).
    - the pixels of image ``i`` come from its own stream, ``SeedSequence(seed).spawn(2)[0].spawn(n)[i]``
      (``spawn`` numbers children from 0, so child ``i`` is the same for any ``n``); the split shuffles
      with child 1. No two images, and not the split, share a stream.

    Args:
        n: the number of images (may be None when ``class_counts`` is given).
        size: the side of each square image in pixels (≥ 32).
        seed: an int, ``SeedSequence`` or ``Generator``.
        grade_weights: the grades' proportions (default APTOS 2019's 1805/370/999/193/295;
            ``(1, 1, 1, 1, 1)`` for a balanced set).
        class_counts: exactly that many images per grade (instead of ``n`` and ``grade_weights``).
        val: the share of each grade for validation.
        test: the share of each grade for test.
        nuisance: the photographic variation (see :func:`render_fundus`).
        camera: the camera setting (see :func:`render_fundus`; the same ``seed`` under another camera gives
            the same eyes, photographed differently).
        parts: the parts to draw (e.g. ``("test",)``: the same test eyes as the full set, the other parts
            come back empty; None: all three).
        dtype: ``"float32"`` (RGB in [0, 1]) or ``"uint8"`` (0–255, 4× less memory).
        progress: a progress bar (None: only for sets that take more than about 10 s, some 1,200 images at
            128 px).

    Returns:
        A :class:`~cnnkit.data.Splits` with ``class_names = GRADE_NAMES``.

    Raises:
        ValueError: a part asked for that rounds to nothing (``make_fundus(4)``: pass ``val=0, test=0``), or a
            value out of its range.

    Example:
        >>> d = make_fundus(50, size=32, seed=1, grade_weights=(1, 1, 1, 1, 1), dtype="uint8")
        >>> np.bincount(np.concatenate([d.train.y, d.val.y, d.test.y])).tolist(), d.train.x.dtype
        ([10, 10, 10, 10, 10], dtype('uint8'))
    """
    weights, n = _grade_weights(n, grade_weights, class_counts)
    size = check_int(size, "size", low=32)
    nuisance = check_number(nuisance, "nuisance", low=0, high=2)
    camera = camera_setting(camera)
    if dtype not in ("float32", "uint8", np.float32, np.uint8):
        raise ValueError(f"dtype must be 'float32' or 'uint8', got {dtype!r}")
    seq = seed_sequence(seed)
    labels = _grade_schedule(weights, n)
    split_indices(labels, val=val, test=test, seed=0, class_names=GRADE_NAMES)  # bad val/test fail before drawing
    wanted = _parts(parts)
    as_uint8 = np.dtype(dtype) == np.uint8
    x = np.zeros((n, size, size, 3), dtype=np.uint8 if as_uint8 else np.float32)
    draw = np.ones(n, bool)
    if wanted != PARTS:               # the split split_arrays makes below, computed first: draw only those eyes
        rng = check_seed(_child(seq, 1))
        cut = split_indices(labels, val=val, test=test, seed=rng, class_names=GRADE_NAMES)
        order = dict(zip(PARTS, (rng.permutation(i) for i in cut)))
        draw[:] = False
        for name in wanted:
            draw[order[name]] = True
    # about 120 images of 128² per second on one core (benchmarks/fundus_speed.py)
    show = check_progress(progress, draw.sum() * (size / 128) ** 2 / 120)
    for i in progress_iter(np.flatnonzero(draw), total=int(draw.sum()), desc="fundus images", enabled=show):
        img, _ = render_fundus(int(labels[i]), size=size, seed=_child(seq, 0, i), nuisance=nuisance, camera=camera)
        x[i] = np.round(img * 255) if as_uint8 else img
    if wanted == PARTS:
        return split_arrays(x, labels, GRADE_NAMES, val=val, test=test, seed=_child(seq, 1))
    return Splits(*(Split(x[order[p]], labels[order[p]]) if p in wanted else Split(x[:0], labels[:0])
                    for p in PARTS), class_names=list(GRADE_NAMES))


def _parts(parts):
    if parts is None:
        return PARTS
    if isinstance(parts, str) or not isinstance(parts, (list, tuple)) or not parts:
        raise TypeError(f"parts must be a non-empty list or tuple of part names {PARTS}, or None, got {parts!r}")
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise ValueError(f"parts must name parts among {PARTS}, got {unknown}")
    return tuple(p for p in PARTS if p in parts)
