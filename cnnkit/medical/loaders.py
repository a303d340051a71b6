"""Real diabetic-retinopathy photographs on disk: APTOS 2019 and Kaggle EyePACS 2015, as ``tf.data`` pipelines.

    >>> import cnnkit.medical
    >>> aptos = cnnkit.medical.load_aptos("datasets/aptos2019", size=128, strict=False)   # doctest: +SKIP
    aptos: 3662 rows in train.csv, kept 3661, skipped 1: 1 unreadable image (1df0a4c23c95: ...)
    >>> aptos.n, aptos.class_counts                                            # doctest: +SKIP
    >>> model.fit(aptos.dataset, epochs=5)                                     # doctest: +SKIP

Layouts (as Kaggle ships them; see datasets/README.md for how to fetch them):

- APTOS 2019: ``<root>/train.csv`` with columns ``id_code,diagnosis`` and ``<root>/train_images/<id_code>.png``;
- EyePACS 2015: ``<root>/trainLabels.csv`` with ``image,level`` and ``<root>/train/<image>.jpeg``.

Everything is validated before any training starts: a missing CSV or wrong columns raise at once; missing
images, unreadable files (PIL ``verify``, or a full decode with ``check="decode"``), labels that are not
integers 0–4, and duplicate ids go into a :class:`LoadReport` (counts and the first offenders).
``strict=True`` (the default) raises ``ValueError`` with that report; ``strict=False`` skips them and prints it.
Images are decoded and resized in parallel, one batch at a time; nothing holds the whole set as one array.
``RetinaData.split(val, test)`` gives stratified train / val / test pipelines that keep a patient's two eyes together.
"""
import csv
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, UnidentifiedImageError

from cnnkit.medical.fundus import GRADE_NAMES

_SHOW = 5  # offenders listed per problem before "… and N more"
_CACHE_LIMIT = 1 << 30  # "auto" caches decoded images in memory below 1 GiB
PROBLEMS = ("bad row", "bad label", "duplicate id", "missing image", "unreadable image")


@dataclass
class LoadReport:
    """What a loader found: ``rows`` in the CSV, ``kept`` items, and ``problems[kind]`` = list of
    ``(id, detail)`` for each kind in ``PROBLEMS`` that occurred."""

    name: str
    csv_path: str
    rows: int = 0
    kept: int = 0
    problems: dict = field(default_factory=dict)

    @property
    def skipped(self):
        return sum(len(v) for v in self.problems.values())

    def add(self, kind, item, detail=""):
        self.problems.setdefault(kind, []).append((item, detail))

    def __str__(self):
        head = (f"{self.name}: {self.rows} rows in {os.path.basename(self.csv_path)}, kept {self.kept}, "
                f"skipped {self.skipped}")
        parts = []
        for kind in PROBLEMS:
            items = self.problems.get(kind, [])
            if not items:
                continue
            shown = ", ".join(f"{i} ({d})" if d else str(i) for i, d in items[:_SHOW])
            more = f", … and {len(items) - _SHOW} more" if len(items) > _SHOW else ""
            parts.append(f"{len(items)} {kind}{'s' if len(items) > 1 else ''}: {shown}{more}")
        return head + (": " + "; ".join(parts) if parts else "")


@dataclass
class RetinaData:
    """A loaded retina dataset: ``dataset`` yields batches ``(images, labels)`` — images float32
    ``batch×size×size×3`` in [0, 1], labels int32 grades 0–4. ``paths[i]`` has grade ``labels[i]``."""

    dataset: object
    paths: list
    labels: np.ndarray
    ids: list
    report: LoadReport
    class_names: list = field(default_factory=lambda: list(GRADE_NAMES))
    patients: list = field(default=None, repr=False)  # patient of each image (EyePACS: "10" for "10_left")
    settings: dict = field(default_factory=dict, repr=False)  # size, batch_size… to rebuild pipelines

    @property
    def n(self):
        return len(self.paths)

    @property
    def class_counts(self):
        """Images per grade (an int array of 5)."""
        return np.bincount(self.labels, minlength=5)

    def __len__(self):
        return self.n

    def __repr__(self):
        return f"RetinaData(n={self.n}, class_counts={self.class_counts.tolist()}, skipped={self.report.skipped})"

    def split(self, val=0.15, test=0.15, seed=0):
        """Stratified ``{"train", "val", "test"}`` parts, each a :class:`RetinaData` with its own pipeline
        (only train is shuffled). Both eyes of a patient always land in the same part, so no patient leaks;
        a patient is stratified by their worse eye's grade.

            >>> parts = cnnkit.medical.load_eyepacs("datasets/eyepacs", size=256).split(val=0.1, test=0.1)  # doctest: +SKIP
            >>> model.fit(parts["train"].dataset, validation_data=parts["val"].dataset)          # doctest: +SKIP
        """
        if not (0 <= val < 1 and 0 <= test < 1 and val + test < 1):
            raise ValueError(f"val={val} and test={test} must be fractions in [0, 1) with val + test < 1")
        patients = np.asarray(self.patients if self.patients is not None else self.ids)
        groups, member = np.unique(patients, return_inverse=True)
        worst = np.zeros(len(groups), dtype=int)
        np.maximum.at(worst, member, self.labels)
        rng = np.random.default_rng(seed)
        part_of_group = np.zeros(len(groups), dtype=int)  # 0 train, 1 val, 2 test
        for grade in np.unique(worst):
            g = rng.permutation(np.flatnonzero(worst == grade))
            n_test, n_val = int(round(len(g) * test)), int(round(len(g) * val))
            part_of_group[g[:n_test]], part_of_group[g[n_test:n_test + n_val]] = 2, 1
        out = {}
        for k, name in enumerate(("train", "val", "test")):
            idx = np.flatnonzero(part_of_group[member] == k)
            settings = dict(self.settings, shuffle=self.settings.get("shuffle", True) and name == "train")
            if isinstance(settings.get("cache"), str) and settings["cache"] != "auto":
                settings["cache"] = f"{settings['cache']}_{name}"
            paths, labels = [self.paths[i] for i in idx], self.labels[idx]
            dataset = _pipeline(paths, labels, **settings) if len(idx) else None
            out[name] = RetinaData(dataset, paths, labels, [self.ids[i] for i in idx], self.report,
                                   list(self.class_names), [str(p) for p in patients[idx]], settings)
        return out


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
    if not isinstance(root, (str, os.PathLike)):
        raise ValueError(f"{name}: root must be a folder path, got {type(root).__name__}")
    root = os.path.expanduser(os.fspath(root))
    if not os.path.isdir(root):
        raise FileNotFoundError(f"{name}: root folder {root!r} not found (see datasets/README.md)")
    if check not in ("verify", "decode", None):
        raise ValueError(f"check must be 'verify', 'decode' or None, got {check!r}")
    csv_path = os.path.join(root, csv_name)
    rows = _read_csv(csv_path, id_col, label_col, name)
    folder = os.path.join(root, image_dir)
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"{name}: image folder {folder!r} not found")
    report = LoadReport(name, csv_path, rows=len(rows))

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
    assert report.kept + report.skipped == report.rows  # every row is kept or reported
    if report.skipped:
        if strict:
            raise ValueError(f"{report}\n(pass strict=False to skip these and go on)")
        print(report)
    if not ids:
        raise ValueError(f"{name}: no usable images in {root!r}" + (f" ({report})" if report.skipped else ""))
    return ids, [paths[i] for i in ids], np.array([first[i] for i in ids], dtype=np.int32), report


def _graham(img, path, size):
    """Ben Graham's preprocessing inside the pipeline; an image it cannot handle is named in the error."""
    from cnnkit.medical.graham import ben_graham

    try:
        return ben_graham(img, radius=size / 2)
    except ValueError as err:
        raise ValueError(f"{path.decode(errors='replace')}: {err}") from err


def _pipeline(paths, labels, size, batch_size, ben_graham, cache, shuffle, seed):
    import tensorflow as tf

    def decode(path, label):
        img = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
        if ben_graham:
            img = tf.numpy_function(lambda a, p: _graham(a, p, size), [img, path], tf.uint8)
            img = tf.ensure_shape(img, (size, size, 3))
        else:  # keep the aspect ratio: pad with black, like the camera surround
            img = tf.cast(tf.clip_by_value(tf.round(tf.image.resize_with_pad(img, size, size, antialias=True)),
                                           0, 255), tf.uint8)
        return img, label

    ds = tf.data.Dataset.from_tensor_slices((list(paths), labels))
    if shuffle:  # shuffle the (path, label) pairs: cheap, and a fresh order every epoch
        ds = ds.shuffle(len(paths), seed=seed, reshuffle_each_iteration=True)
    ds = ds.map(decode, num_parallel_calls=tf.data.AUTOTUNE)
    if cache == "auto":
        cache = len(paths) * size * size * 3 < _CACHE_LIMIT
    if cache:  # decoded uint8 images; a str caches to that file instead of memory
        ds = ds.cache(cache if isinstance(cache, str) else "")
        if shuffle:
            ds = ds.shuffle(min(len(paths), 4096), seed=seed, reshuffle_each_iteration=True)
    ds = ds.map(lambda img, label: (tf.cast(img, tf.float32) / 255.0, label), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def _load(name, root, csv_name, id_col, label_col, image_dir, ext, strict, size, batch_size, ben_graham, cache,
          shuffle, seed, check, workers):
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 8:
        raise ValueError(f"size must be an integer >= 8 (pixels), got {size!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if not (cache in (True, False, "auto") or isinstance(cache, str)):
        raise ValueError(f"cache must be True, False, 'auto' or a file path, got {cache!r}")
    ids, paths, labels, report = _index(name, root, csv_name, id_col, label_col, image_dir, ext, check, strict,
                                        workers)
    settings = {"size": int(size), "batch_size": int(batch_size), "ben_graham": bool(ben_graham), "cache": cache,
                "shuffle": bool(shuffle), "seed": seed}
    patients = [i.rsplit("_", 1)[0] if i.endswith(("_left", "_right")) else i for i in ids]
    return RetinaData(_pipeline(paths, labels, **settings), paths, labels, ids, report, patients=patients,
                      settings=settings)


def load_aptos(root, strict=True, size=224, batch_size=32, ben_graham=False, cache="auto", shuffle=True, seed=0,
          check="verify", workers=8):
    """APTOS 2019 Blindness Detection (Kaggle): ``train.csv`` (``id_code,diagnosis``) + ``train_images/*.png``.

    Returns a :class:`RetinaData` whose ``dataset`` yields ``(images, labels)`` batches of ``size×size``
    RGB in [0, 1] — aspect kept with black padding, or Ben Graham's preprocessing when ``ben_graham=True``.
    ``cache``: ``"auto"`` keeps decoded images in memory when they fit in 1 GiB, ``True``/``False``, or a file
    path for an on-disk cache. ``check``: ``"verify"`` (fast header check), ``"decode"`` (full decode), None.
    Problems (missing/unreadable images, bad labels, duplicate ids) raise ``ValueError`` unless
    ``strict=False``, which skips them and prints how many and which.
    """
    return _load("aptos", root, "train.csv", "id_code", "diagnosis", "train_images", ".png", strict, size,
                 batch_size, ben_graham, cache, shuffle, seed, check, workers)


def load_eyepacs(root, strict=True, size=224, batch_size=32, ben_graham=False, cache="auto", shuffle=True, seed=0,
            check="verify", workers=8):
    """Kaggle Diabetic Retinopathy Detection 2015 (EyePACS): ``trainLabels.csv`` (``image,level``) +
    ``train/<image>.jpeg``. Same arguments and result as :func:`aptos`; at 35,126 images the decoded set
    exceeds the ``"auto"`` cache limit from ``size`` ≈ 100 up, so it streams from disk (pass a file path to
    ``cache`` to decode once and reuse)."""
    return _load("eyepacs", root, "trainLabels.csv", "image", "level", "train", ".jpeg", strict, size,
                 batch_size, ben_graham, cache, shuffle, seed, check, workers)
