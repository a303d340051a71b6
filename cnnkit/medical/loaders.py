"""Real diabetic-retinopathy photographs on disk: APTOS 2019 and Kaggle EyePACS 2015, as ``tf.data`` pipelines.

    >>> import cnnkit.medical
    >>> aptos = cnnkit.medical.load_aptos("datasets/aptos2019", size=128, strict=False)   # doctest: +SKIP
    aptos: 3662 items in datasets/aptos2019/train.csv, kept 3661, skipped 1: 1 unreadable image: 1df0a4c23c95 (...)
    >>> train, val, test = aptos.split(val=0.15, test=0.15, seed=0)            # doctest: +SKIP

Layouts (as Kaggle ships them; see datasets/README.md for how to fetch them):

- APTOS 2019: ``<root>/train.csv`` with columns ``id_code,diagnosis`` and ``<root>/train_images/<id_code>.png``;
- EyePACS 2015: ``<root>/trainLabels.csv`` with ``image,level`` and ``<root>/train/<image>.jpeg``.

Everything is validated before any training starts: a missing root, CSV or image folder raises
``FileNotFoundError`` naming it, wrong columns a ``ValueError``; rows with an empty id ("bad row"), labels
that are not integers 0–4 ("bad label"), repeated ids ("duplicate id"), missing files ("missing image")
and files PIL cannot open ("unreadable image": ``verify``, or a full decode with ``check="decode"``) go
into the shared :class:`~cnnkit.data.LoadReport` (counts and the first offenders): ``strict=True`` (the
default) raises ``ValueError`` with it, ``strict=False`` skips them and prints it. Images are decoded and
resized in parallel, one batch at a time; nothing holds the whole set as one array.

:meth:`RetinaData.split` cuts with :func:`cnnkit.data.split_indices`: stratified by grade, and with each
patient's images together (EyePACS names both eyes ``<patient>_left`` / ``<patient>_right``; a patient
is stratified by the worse eye). APTOS 2019 publishes no patient ids, so there every image is its own
group: both eyes of one person may land in different parts, which no loader can prevent.
"""
import csv
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image, UnidentifiedImageError

from cnnkit._checks import (Bool, Choice, Fraction, Instance, Int, PathLike, Seed, check_bool, check_choice, check_int,
                            check_seed, contract, int_seed)
from cnnkit._paths import find_data_dir
from cnnkit.data.report import LoadReport
from cnnkit.data.splits import Split, Splits
from cnnkit.medical.retina_data import RetinaData, _pipeline

__all__ = ["RetinaData", "load_aptos", "load_eyepacs", "split_by_patient"]

_CACHE = (Bool() | Choice("auto") | PathLike()).describe("True, False, 'auto' or a cache file path")


def _parse_label(text):
    """An integer grade 0–4 from CSV text ('2', ' 2 ', '2.0'), else None."""
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    if not math.isfinite(value) or not value.is_integer() or not 0 <= value <= 4:
        return None
    return int(value)


def _unreadable(path, check):
    """Why ``path`` cannot be used as an image (None when it can)."""
    try:
        if os.path.getsize(path) == 0:
            return "empty file"
        with Image.open(path) as img:
            if check == "decode":
                img.load()
            else:
                img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        return f"{type(err).__name__}: {err}"[:120]
    return None


def _read_csv(csv_path, id_col, label_col, name):
    if not os.path.isfile(csv_path):
        raise FileNotFoundError(f"{name}: label file {csv_path!r} not found (see datasets/README.md for the layout)")
    with open(csv_path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        columns = [c.strip() for c in (reader.fieldnames or [])]
        missing = [c for c in (id_col, label_col) if c not in columns]
        if missing:
            raise ValueError(f"{name}: {csv_path!r} has columns {columns}, expected {id_col!r} and {label_col!r} "
                             f"(missing {missing})")
        reader.fieldnames = columns
        return [(row.get(id_col) or "", row.get(label_col) or "") for row in reader]


def _index(name, root, csv_name, id_col, label_col, image_dir, ext, check, strict, workers):
    """Validate the CSV and the image files; return (ids, paths, labels, report)."""
    try:
        root = find_data_dir(root, "root")   # relative: from the working directory, then the course folder
    except FileNotFoundError as err:
        raise FileNotFoundError(f"{name}: {err} (see datasets/README.md for the layout)") from None
    csv_path = os.path.join(root, csv_name)
    rows = _read_csv(csv_path, id_col, label_col, name)
    folder = os.path.join(root, image_dir)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{name}: image folder {folder!r} not found (see datasets/README.md for the layout)")
    report = LoadReport(name, csv_path, found=len(rows))

    first, first_line = {}, {}  # id -> label and line of its first row
    for line, (item, text) in enumerate(rows, start=2):
        item = item.strip()
        label = _parse_label(text)
        if not item:
            report.add("bad row", f"line {line}", "empty id")
        elif label is None:
            report.add("bad label", item, f"{text!r} is not an integer grade 0-4")
        elif item in first:
            same = "same label" if first[item] == label else f"labels {first[item]} and {label}"
            report.add("duplicate id", item, f"line {line}, {same}")
        else:
            first[item], first_line[item] = label, line
    conflicting = {i for i, d in report.problems.get("duplicate id", []) if "labels" in d}
    for item in sorted(conflicting):  # which grade is right is unknown: drop every row of the id
        report.add("duplicate id", item, f"line {first_line[item]}, dropped too: conflicting labels")
        del first[item]

    paths = {item: os.path.join(folder, item + ext) for item in first}
    for item in [i for i, p in paths.items() if not os.path.isfile(p)]:
        report.add("missing image", item, f"no {image_dir}/{item}{ext}")
        del paths[item]
    if check is not None and paths:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            reasons = list(pool.map(lambda p: _unreadable(p, check), paths.values()))
        for item, reason in zip(list(paths), reasons):
            if reason is not None:
                report.add("unreadable image", item, reason)
                del paths[item]
    ids = list(paths)
    report.kept = len(ids)
    assert report.kept + report.n_skipped == report.found  # every row is kept or reported
    report.check(strict)
    if report.n_skipped:
        print(report)
    if not ids:
        raise ValueError(f"{name}: no usable images in {str(root)!r}" + (f" ({report})" if report.n_skipped else ""))
    return ids, [paths[i] for i in ids], np.array([first[i] for i in ids], dtype=np.int32), report


def _load(name, root, patient_of, csv_name, id_col, label_col, image_dir, ext, *, strict, size, batch_size,
          ben_graham, cache, shuffle, seed, check, workers):
    size, batch_size = check_int(size, "size", low=8), check_int(batch_size, "batch_size", low=1)
    strict, ben_graham, shuffle = check_bool(strict, "strict"), check_bool(ben_graham, "ben_graham"), check_bool(shuffle, "shuffle")
    if not isinstance(cache, (bool, np.bool_, str, os.PathLike)):
        raise TypeError(f"cache must be True, False, 'auto' or a file path, got {cache!r}")
    cache = os.fspath(cache) if isinstance(cache, os.PathLike) else cache
    check_choice(check, "check", ("verify", "decode", None))
    workers = check_int(workers, "workers", low=1)
    # tf.data shuffles with an int: an int seed as it is, a SeedSequence or Generator gives one
    tf_seed = int_seed(seed)
    ids, paths, labels, report = _index(name, root, csv_name, id_col, label_col, image_dir, ext, check, strict,
                                        workers)
    settings = {"size": size, "batch_size": batch_size, "ben_graham": ben_graham, "cache": cache,
                "shuffle": shuffle, "seed": tf_seed}
    return RetinaData(_pipeline(paths, labels, **settings), paths, labels, ids, report,
                      patients=[patient_of(i) for i in ids], settings=settings)


@contract(root=PathLike(), strict=Bool(), size=Int(low=8), batch_size=Int(low=1), ben_graham=Bool(), cache=_CACHE,
          shuffle=Bool(), seed=Seed(), check=Choice("verify", "decode", None), workers=Int(low=1))
def load_aptos(root, *, strict=True, size=224, batch_size=32, ben_graham=False, cache="auto", shuffle=True, seed=0,
               check="verify", workers=8):
    """APTOS 2019 Blindness Detection (Kaggle): ``train.csv`` (``id_code,diagnosis``) + ``train_images/*.png``.

    APTOS has no patient ids: each image is its own group for :meth:`RetinaData.split`.

    Args:
        root: the folder holding the label CSV and the image folder.
        strict: raise on bad items (False: skip them and print the report).
        size: the side of the square images in pixels (≥ 8): aspect kept with black padding, or Ben Graham's
            preprocessing at radius ``size / 2`` when ``ben_graham=True``.
        batch_size: images per batch.
        ben_graham: preprocess each image with :func:`cnnkit.medical.ben_graham`.
        cache: ``"auto"`` (decoded images in memory when they fit in 1 GiB), ``True``, ``False`` or a file
            path for an on-disk cache (a flag written as a string, ``"false"``, is refused).
        shuffle: a new order every epoch.
        seed: an int, ``SeedSequence`` or ``Generator`` for the order.
        check: ``"verify"`` (fast header check), ``"decode"`` (full decode) or None.
        workers: threads for the checks.

    Returns:
        A :class:`RetinaData` whose ``dataset`` yields ``(images, labels)`` batches of RGB in [0, 1] (its
        ``report``: the :class:`~cnnkit.data.LoadReport`).

    Raises:
        FileNotFoundError: the root, the CSV or the image folder is missing (the message names it).
        ValueError: wrong columns, or bad items when ``strict`` (the report names the first offenders).

    Example:
        >>> import pathlib, tempfile
        >>> import pandas as pd
        >>> from PIL import Image
        >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "train_images").mkdir()
        >>> for k in range(6):                                       # six tiny "photos", grades 0 and 1
        ...     Image.fromarray(np.full((40, 40, 3), 60 + 20 * k, np.uint8)).save(root / "train_images" / f"id{k}.png")
        >>> pd.DataFrame({"id_code": [f"id{k}" for k in range(6)], "diagnosis": [k % 2 for k in range(6)]}).to_csv(
        ...     root / "train.csv", index=False)
        >>> data = load_aptos(root, size=16)
        >>> data
        RetinaData(n=6, class_counts=[3, 3, 0, 0, 0], skipped=0)
        >>> load_aptos("datasets/aptos2019", size=128).split(val=0.15, test=0.15)   # doctest: +SKIP
        Splits(train=2564, val=549, test=549, classes=['0 no DR', '1 mild', '2 moderate', '3 severe', …])
    """
    return _load("aptos", root, lambda item: item, "train.csv", "id_code", "diagnosis", "train_images", ".png",
                 strict=strict, size=size, batch_size=batch_size, ben_graham=ben_graham, cache=cache,
                 shuffle=shuffle, seed=seed, check=check, workers=workers)


def _eyepacs_patient(item):
    """``"10"`` for ``"10_left"`` and ``"10_right"``: the patient both eyes belong to."""
    return item.rsplit("_", 1)[0] if item.endswith(("_left", "_right")) else item


@contract(root=PathLike(), strict=Bool(), size=Int(low=8), batch_size=Int(low=1), ben_graham=Bool(), cache=_CACHE,
          shuffle=Bool(), seed=Seed(), check=Choice("verify", "decode", None), workers=Int(low=1))
def load_eyepacs(root, *, strict=True, size=224, batch_size=32, ben_graham=False, cache="auto", shuffle=True, seed=0,
                 check="verify", workers=8):
    """Kaggle's Diabetic Retinopathy Detection 2015 (EyePACS): ``trainLabels.csv`` (``image,level``) + ``train/*.jpeg``.

    Images are named ``<patient>_left`` / ``<patient>_right``, so :meth:`RetinaData.split` keeps both eyes
    of a patient in one part. At 35,126 images the decoded set exceeds the ``"auto"`` cache limit from
    ``size`` ≈ 100 up, so it streams from disk (pass a file path to ``cache`` to decode once and reuse).

    Args:
        root: the folder holding the label CSV and the image folder.
        strict: raise on bad items (False: skip them and print the report).
        size: the side of the square images in pixels (≥ 8): aspect kept with black padding, or Ben Graham's
            preprocessing at radius ``size / 2`` when ``ben_graham=True``.
        batch_size: images per batch.
        ben_graham: preprocess each image with :func:`cnnkit.medical.ben_graham`.
        cache: ``"auto"`` (decoded images in memory when they fit in 1 GiB), ``True``, ``False`` or a file
            path for an on-disk cache (a flag written as a string, ``"false"``, is refused).
        shuffle: a new order every epoch.
        seed: an int, ``SeedSequence`` or ``Generator`` for the order.
        check: ``"verify"`` (fast header check), ``"decode"`` (full decode) or None.
        workers: threads for the checks.

    Returns:
        A :class:`RetinaData`, with each image's patient in ``patients``.

    Raises:
        FileNotFoundError: the root, the CSV or the image folder is missing (the message names it).
        ValueError: wrong columns, or bad items when ``strict``.

    Example:
        >>> import pathlib, tempfile
        >>> import pandas as pd
        >>> from PIL import Image
        >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "train").mkdir()
        >>> names = ["10_left", "10_right", "13_left", "13_right"]
        >>> for k, name in enumerate(names):
        ...     Image.fromarray(np.full((40, 40, 3), 80 + 30 * k, np.uint8)).save(root / "train" / f"{name}.jpeg")
        >>> pd.DataFrame({"image": names, "level": [0, 2, 1, 1]}).to_csv(root / "trainLabels.csv", index=False)
        >>> data = load_eyepacs(root, size=16)
        >>> data.patients
        ['10', '10', '13', '13']
    """
    return _load("eyepacs", root, _eyepacs_patient, "trainLabels.csv", "image", "level", "train", ".jpeg",
                 strict=strict, size=size, batch_size=batch_size, ben_graham=ben_graham, cache=cache,
                 shuffle=shuffle, seed=seed, check=check, workers=workers)


@contract(data=Instance(RetinaData), n_images=Int(low=1) | None, val=Fraction(), test=Fraction(), seed=Seed())
def split_by_patient(data, *, n_images=None, val=0.15, test=0.15, seed=0):
    """A bounded sample of a real retina set, split **by patient** into in-memory arrays.

    No patient is in two parts: both eyes of an EyePACS patient stay together. APTOS 2019 has no patient
    ids, so there each image is its own "patient" and the two eyes of one person can still land in
    different parts.

    Args:
        data: a :class:`RetinaData` (from :func:`load_eyepacs` or :func:`load_aptos`).
        n_images: the most images to keep (whole patients, see :meth:`RetinaData.sample`; None: all).
        val: the share of patients for validation (0 gives an empty part).
        test: the share of patients for test.
        seed: an int, ``SeedSequence`` or ``Generator``.

    Returns:
        ``(splits, patients)``: a :class:`~cnnkit.data.Splits` of :class:`~cnnkit.data.Split` arrays (float32
        images in [0, 1], int grades) and a :class:`~cnnkit.data.Splits` of the patient ids of each part, in
        the same order.

    Example:
        >>> import pathlib, tempfile
        >>> import pandas as pd
        >>> from PIL import Image
        >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "train_images").mkdir()
        >>> for k in range(6):                                       # six tiny "photos", grades 0 and 1
        ...     Image.fromarray(np.full((40, 40, 3), 60 + 20 * k, np.uint8)).save(root / "train_images" / f"id{k}.png")
        >>> pd.DataFrame({"id_code": [f"id{k}" for k in range(6)], "diagnosis": [k % 2 for k in range(6)]}).to_csv(
        ...     root / "train.csv", index=False)
        >>> (train, val, test), patients = split_by_patient(load_aptos(root, size=16), val=0, test=0.5, seed=0)
        >>> train.x.shape, val.x.shape, test.x.shape, set(patients.train) & set(patients.test)
        ((2, 16, 16, 3), (0, 16, 16, 3), (4, 16, 16, 3), set())
    """
    if not isinstance(data, RetinaData):
        raise TypeError(f"data must be a RetinaData (from load_eyepacs or load_aptos), got {type(data).__name__}")
    rng = check_seed(seed)
    if n_images is not None:
        data = data.sample(n_images, seed=rng)
    parts = data.split(val=val, test=test, seed=rng)
    arrays = [Split(*part.arrays()) for part in parts]
    groups = [list(part.patients if part.patients is not None else part.ids) for part in parts]
    return Splits(*arrays, class_names=list(data.class_names)), Splits(*groups, class_names=list(data.class_names))
