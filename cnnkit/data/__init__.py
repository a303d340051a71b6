"""Data that lessons 04–06 share: one split container, generated shapes, bundled digits, downloaded sets.

Entry points say what they cost: ``make_*`` generates, ``load_*`` reads from disk or from an installed
package, ``fetch_*`` downloads (bounded, cached)::

    >>> from cnnkit.data import make_shapes
    >>> data = make_shapes(60, size=16, seed=0)
    >>> data.train.x.shape, data.class_names
    ((40, 16, 16, 3), ['circle', 'square', 'triangle', 'cross', 'ring'])

The applications keep their own data in their namespaces (:mod:`cnnkit.style`, :mod:`cnnkit.medical`,
:mod:`cnnkit.music`). Names load lazily, so one generator never imports another's dependencies.
"""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__,
                                             submodules=["digits", "keras_sets", "paths", "report", "shapes", "splits"],
                                             submod_attrs={
    "splits": ["Split", "Splits", "split_arrays", "split_indices"],
    "report": ["LoadReport"],
    "shapes": ["SHAPE_CLASSES", "make_shapes", "render_shapes", "shift_images"],
    "digits": ["load_digits"],
    "keras_sets": ["fetch_cifar10", "fetch_mnist"],
    "paths": ["find_data"],
})
