"""Lesson 07: neural style transfer (Gatys, Ecker & Bethge 2015).

- :mod:`~cnnkit.style.engine`: :func:`stylize`, the optimisation (L-BFGS or Adam) and its result;
- :mod:`~cnnkit.style.imaging`: any picture as uint8 RGB (:func:`as_rgb_image`), :func:`fit_size`, :func:`preserve_colors`;
- :mod:`~cnnkit.style.losses`: Gram matrices, the content / style / total-variation losses, VGG19 features;
- :mod:`~cnnkit.style.extractors`: random multi-scale filters (offline) and :func:`make_extractor`, the choice;
- :mod:`~cnnkit.style.quality`: colour, texture and layout statistics of a result (the optimiser never sees them);
- :mod:`~cnnkit.style.patterns`: :func:`make_style_image`, procedural style images that need no download.

    >>> from cnnkit.style import STYLE_NAMES, make_style_image
    >>> STYLE_NAMES, make_style_image("swirls", size=32).shape
    (('brush_strokes', 'swirls', 'mosaic', 'stripes', 'dots', 'checks'), (32, 32, 3))
"""
import lazy_loader as _lazy

_SUBMODULES = ["engine", "extractors", "imaging", "losses", "patterns", "quality"]
__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=_SUBMODULES, submod_attrs={
    "engine": ["NonFiniteLossError", "StyleResult", "stylize"],
    "imaging": ["as_rgb_image", "fit_size", "preserve_colors"],
    "losses": ["CONTENT_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "StyleContentLoss", "clear_trunk_cache",
               "content_loss", "gram_matrix", "style_loss", "total_variation_loss", "vgg19_trunk"],
    "patterns": ["STYLE_NAMES", "make_style_image"],
    "extractors": ["EXTRACTORS", "PyramidExtractor", "describe_extractor", "make_extractor"],
})
