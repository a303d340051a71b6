"""Figures for the course (matplotlib, headless-safe; every function returns its Figure).

Photos go to ``show_images``, drawn on the scale their dtype sets (uint8 0..255, float 0..1, as
:mod:`cnnkit.images`); data of any range (feature maps, Gram matrices) to ``show_feature_maps``,
each map coloured from its own minimum to its maximum.

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_matrix(np.arange(16).reshape(4, 4))
    >>> type(fig).__name__
    'Figure'
"""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=[
    "convolution", "filters", "images", "learning", "matrices", "playground_widget", "pooling", "stepper",
], submod_attrs={
    # lessons 01-03: matrices, photos, convolution (a figure and a stepper widget), pooling
    "matrices": ["show_feature_maps", "show_kernels", "show_matrix"],
    "images": ["show_images"],
    "convolution": ["show_convolution_step"],
    "stepper": ["convolution_stepper"],
    "pooling": ["show_pooling"],
    # lessons 04-06: what a trained network learned (kernels, feature maps) and how training went
    "filters": ["compare_filters", "show_activations", "show_filter_history", "show_learned_filters"],
    "learning": ["plot_decision_boundary", "plot_history", "show_confusion"],
    "playground_widget": ["make_plane", "playground"],
})
