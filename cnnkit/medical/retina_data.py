"""The container of a loaded real retina set and its ``tf.data`` pipeline (see :mod:`cnnkit.medical.loaders`).

:class:`RetinaData` holds the paths, grades, ids and patient ids of the images a loader kept, with the
loader's :class:`~cnnkit.data.LoadReport`; its ``dataset`` decodes, resizes (or Ben-Graham-preprocesses),
caches and batches the images lazily, and :meth:`RetinaData.split` / :meth:`RetinaData.sample` cut it by
patient, each part with its own pipeline.

    >>> from cnnkit.medical import load_eyepacs
    >>> data = load_eyepacs("datasets/eyepacs", size=128)                        # doctest: +SKIP
    >>> train, val, test = data.split(val=0.15, test=0.15, seed=0)             # doctest: +SKIP
"""
from dataclasses import dataclass, field

import numpy as np

from cnnkit._checks import (Fraction, Instance, Int, Labels, Mapping, PathLike, Seed, Seq, Str, check_int, check_seed,
                            contract)
from cnnkit.data.report import LoadReport
from cnnkit.data.splits import Splits, split_indices
from cnnkit.medical.grades import GRADE_NAMES

__all__ = ["RetinaData"]

_CACHE_LIMIT = 1 << 30  # "auto" caches decoded images in memory below 1 GiB


@contract(dataset=Instance("tensorflow.data.Dataset", what="a tf.data.Dataset") | None,
          paths=Seq(PathLike(), min_len=0, what="a list of image paths"), labels=Labels(empty=True),
          ids=Seq(Str(), min_len=0, what="a list of image ids"), report=Instance(LoadReport),
          class_names=Seq(Str(), min_len=0), patients=Seq(Str(), min_len=0, what="a list of patient ids") | None,
          settings=Mapping(Str(), min_len=0))
@dataclass
class RetinaData:
    """A loaded retina dataset: ``dataset`` yields batches ``(images, labels)``.

    Images are float32 ``batch×size×size×3`` in [0, 1], labels int32 grades 0–4.

    Args:
        dataset: the ``tf.data.Dataset`` of ``(images, labels)`` batches (every part has one, empty parts too).
        paths: the image files kept, ``paths[i]`` with grade ``labels[i]``.
        labels: one grade per image.
        ids: the image ids (``ids[i]`` for ``paths[i]``).
        report: the loader's :class:`~cnnkit.data.LoadReport`.
        class_names: the grade names (``GRADE_NAMES``).
        patients: the patient of each image (EyePACS: ``"10"`` for ``"10_left"``), or None (each image alone).
        settings: the pipeline options (size, batch_size…), reused by :meth:`split` and :meth:`sample`.

    Example:
        >>> import pathlib, tempfile
        >>> import pandas as pd
        >>> from PIL import Image
        >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "train_images").mkdir()
        >>> for k in range(6):                                       # six tiny "photos", grades 0 and 1
        ...     Image.fromarray(np.full((40, 40, 3), 60 + 20 * k, np.uint8)).save(root / "train_images" / f"id{k}.png")
        >>> pd.DataFrame({"id_code": [f"id{k}" for k in range(6)], "diagnosis": [k % 2 for k in range(6)]}).to_csv(
        ...     root / "train.csv", index=False)
        >>> from cnnkit.medical import load_aptos
        >>> parts = load_aptos(root, size=16).split(val=0, test=0.5, seed=0)
        >>> [part.n for part in parts], list(parts.val.dataset)                  # an empty val part, not None
        ([2, 0, 4], [])
    """

    dataset: object
    paths: list
    labels: np.ndarray
    ids: list
    report: LoadReport
    class_names: list = field(default_factory=lambda: list(GRADE_NAMES))
    patients: list = field(default=None, repr=False)  # EyePACS: "10" for "10_left"; APTOS: the image id
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
        return f"RetinaData(n={self.n}, class_counts={self.class_counts.tolist()}, skipped={self.report.n_skipped})"

    @contract(val=Fraction(), test=Fraction(), seed=Seed())
    def split(self, *, val=0.15, test=0.15, seed=0):
        """Stratified train / val / test parts, each a :class:`RetinaData` with its own pipeline.

        Both eyes of a patient land in the same part, and a patient counts with the worse eye's grade; only
        train is shuffled.

        Args:
            val: the share of patients (of images, for APTOS) for validation; 0 gives an empty part.
            test: the share for test.
            seed: an int, ``SeedSequence`` or ``Generator``.

        Returns:
            A :class:`~cnnkit.data.Splits` (``train, val, test = parts`` or ``parts["train"]``).

        Raises:
            ValueError: a grade too rare to keep a training patient (see :func:`cnnkit.data.split_indices`).

        Example:
            >>> empty = RetinaData(None, [], np.zeros(0, int), [], LoadReport("demo", "nowhere"))
            >>> empty.n, empty.class_counts.tolist()
            (0, [0, 0, 0, 0, 0])
            >>> parts = load_eyepacs("datasets/eyepacs", size=256).split(val=0.1, test=0.1)  # doctest: +SKIP
            >>> model.fit(parts.train.dataset, validation_data=parts["val"].dataset)   # doctest: +SKIP
        """
        groups = self.patients if self.patients is not None else self.ids
        cut = split_indices(self.labels, val=val, test=test, seed=seed, groups=groups, class_names=self.class_names)
        return Splits(*(self._part(name, idx) for name, idx in cut.items()), class_names=list(self.class_names))

    @contract(n_images=Int(low=1), seed=Seed())
    def sample(self, n_images, *, seed=0):
        """A random subset of whole patients (both eyes kept together) holding at most ``n_images`` images.

        Patients are drawn in a random order and kept while they fit, so a bounded sample never cuts a
        patient in two.

        Args:
            n_images: the bound (≥ 1; the set itself when it is not smaller).
            seed: an int, ``SeedSequence`` or ``Generator``.

        Returns:
            A :class:`RetinaData` with its own pipeline.

        Example:
            >>> load_eyepacs("datasets/eyepacs", size=128).sample(2000, seed=0).n            # doctest: +SKIP
            2000
        """
        n_images = check_int(n_images, "n_images", low=1)
        groups = np.asarray(self.patients if self.patients is not None else self.ids)
        names, member = np.unique(groups, return_inverse=True)
        sizes = np.bincount(member.reshape(-1))
        keep, total = np.zeros(len(names), bool), 0
        for g in check_seed(seed).permutation(len(names)):
            if total + sizes[g] <= n_images:
                keep[g], total = True, total + sizes[g]
        part = self._part("train", np.flatnonzero(keep[member.reshape(-1)]))   # shuffled as this set is
        if isinstance(self.settings.get("cache"), str) and self.settings["cache"] != "auto":
            part.settings["cache"] = f"{self.settings['cache']}_sample{n_images}"
        return part

    def arrays(self):
        """All images and grades of this part as arrays ``(x, y)``: N × size × size × 3 float32 and int32.

        Read in file order (no shuffling), so ``y`` equals ``labels``; use it for parts that fit in memory.
        """
        settings = dict(self.settings, shuffle=False, cache=False)
        batches = [batch.numpy() for batch, _ in _pipeline(self.paths, self.labels, **settings)]
        size = settings.get("size", 0)
        x = np.concatenate(batches) if batches else np.zeros((0, size, size, 3), np.float32)   # an empty part
        return x, self.labels.copy()

    def _part(self, name, idx):
        settings = dict(self.settings, shuffle=self.settings.get("shuffle", True) and name == "train")
        if isinstance(settings.get("cache"), str) and settings["cache"] != "auto":
            settings["cache"] = f"{settings['cache']}_{name}"
        paths, labels = [self.paths[i] for i in idx], self.labels[idx]
        patients = None if self.patients is None else [self.patients[i] for i in idx]
        return RetinaData(_pipeline(paths, labels, **settings), paths, labels,      # an empty part too (val=0)
                          [self.ids[i] for i in idx], self.report, list(self.class_names), patients, settings)


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

    ds = tf.data.Dataset.from_tensor_slices((tf.constant(list(map(str, paths)), tf.string),   # typed, even if empty
                                             tf.constant(np.asarray(labels, np.int32), tf.int32)))
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
