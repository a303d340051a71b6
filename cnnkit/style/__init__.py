"""Lesson 07: neural style transfer (Gatys, Ecker & Bethge 2015).

- :mod:`~cnnkit.style.engine`: :func:`stylize`, the optimisation (L-BFGS or Adam) and its result;
- :mod:`~cnnkit.style.imaging`: pictures as uint8 RGB (:func:`as_rgb_image`), :func:`fit_size`,
  :func:`is_gray`, :func:`preserve_colors`;
- :mod:`~cnnkit.style.losses`: Gram matrices, the content / style / total-variation losses;
- :mod:`~cnnkit.style.vgg`: the paper's VGG19 features (ImageNet weights when they can be had);
- :mod:`~cnnkit.style.extractors`: random multi-scale filters (offline) and :func:`make_extractor`, the choice;
- :mod:`~cnnkit.style.quality`: colour, texture and layout statistics of a result (the optimiser never sees them);
- :mod:`~cnnkit.style.controls`: what a result must beat: a recolouring of the photo, a phase-scrambled style;
- :mod:`~cnnkit.style.patterns`: :func:`make_style_image`, procedural style images that need no download;
- :mod:`~cnnkit.style.fast`: instant stylisation, a trained network per style (:func:`load_stylizer`).

    >>> from cnnkit.style import STYLE_NAMES, make_style_image
    >>> STYLE_NAMES, make_style_image("swirls", size=32).shape
    (('brush_strokes', 'swirls', 'mosaic', 'stripes', 'dots', 'checks'), (32, 32, 3))
"""
import lazy_loader as _lazy

_SUBMODULES = ["content", "controls", "engine", "extractors", "fast", "imaging", "losses", "patterns", "quality", "texture", "vgg"]
__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=_SUBMODULES, submod_attrs={
    "engine": ["NonFiniteLossError", "StyleResult", "stylize"],
    "imaging": ["GRAY_LEVELS", "as_rgb_image", "fit_size", "is_gray", "preserve_colors"],
    "losses": ["StyleContentLoss", "content_loss", "gram_matrix", "style_loss", "total_variation_loss"],
    "content": ["EDGE_SIDE", "auto_edge_level", "layout_loss", "luminance_edges", "luminance_layout"],
    "vgg": ["CONTENT_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "clear_trunk_cache", "vgg19_trunk"],
    "patterns": ["STYLE_NAMES", "make_style_image"],
    "controls": ["phase_scramble", "recolour"],
    "fast": ["FAST_STYLES", "FastStylizer", "build_transformer", "load_stylizer", "save_stylizer", "train_stylizer"],
    "extractors": ["EXTRACTORS", "PyramidExtractor", "describe_extractor", "make_extractor"],
})
