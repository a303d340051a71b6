"""Data for the course: offline generators by default, real-dataset loaders behind one argument.

Every offline generator is seeded and returns a :class:`Splits` (train / val / test)::

    >>> from cnnkit import datasets
    >>> data = datasets.shapes(600, size=32, seed=0)      # doctest: +SKIP
    >>> data.train.x.shape, data.class_names              # doctest: +SKIP

Names are imported lazily, so using one generator never imports the others' heavy dependencies.
"""
import importlib

from cnnkit.datasets.splits import Split, Splits, split_arrays

# public name -> submodule that defines it
_NAMES = {
    # geometric shapes and digits (lessons 04-06)
    # (a module must not share a public function's name: importing it would rebind the name to the module)
    "shapes": "geometric", "SHAPE_CLASSES": "geometric", "shift_images": "geometric",
    "digits": "sklearn_digits",
    "mnist": "keras_sets", "cifar10": "keras_sets",
    # procedural style images (lesson 07)
    "style_image": "styles", "STYLE_NAMES": "styles",
    # diabetic retinopathy (lesson 08)
    "fundus": "synthetic_fundus", "render_fundus": "synthetic_fundus", "GRADE_NAMES": "synthetic_fundus",
    "aptos": "retina_loaders", "eyepacs": "retina_loaders",
    # music (lessons 09-10)
    "music": "music_synth", "GENRES": "music_synth", "Songs": "songs", "song_split": "songs",
    "slices_by_song": "songs", "check_split_by_song": "songs", "gtzan": "music_loaders", "fma": "music_loaders",
}

__all__ = ["Split", "Splits", "split_arrays", *sorted(_NAMES)]


def __getattr__(name):
    if name in _NAMES:
        module = importlib.import_module(f"cnnkit.datasets.{_NAMES[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'cnnkit.datasets' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
