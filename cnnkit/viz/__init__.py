"""Figures for the course (matplotlib, headless-safe; every function returns its Figure).

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_matrix(np.arange(16).reshape(4, 4))   # doctest: +SKIP
"""
import importlib

# public name -> submodule that defines it
_NAMES = {
    # lessons 01-03: matrices, convolution, pooling
    "show_matrix": "basics", "show_convolution_step": "basics", "show_feature_maps": "basics",
    "show_kernels": "basics", "show_pooling": "basics", "show_images": "basics",
    # lessons 04-06: what a trained network learned
    "show_learned_filters": "training", "show_activations": "training", "plot_history": "training",
    "show_confusion": "training", "plot_decision_boundary": "training",
}

__all__ = sorted(_NAMES)


def __getattr__(name):
    if name in _NAMES:
        module = importlib.import_module(f"cnnkit.viz.{_NAMES[name]}")
        return getattr(module, name)
    raise AttributeError(f"module 'cnnkit.viz' has no attribute {name!r}")


def __dir__():
    return __all__
