"""Lesson 07: neural style transfer (Gatys, Ecker & Bethge 2015).

- :mod:`~cnnkit.style.engine`: :func:`transfer`, the optimisation (L-BFGS or Adam) and its result;
- :mod:`~cnnkit.style.losses`: Gram matrices, the content / style / total-variation losses, the feature extractors;
- :mod:`~cnnkit.style.images`: :func:`make_style_image`, procedural style images that need no download.

    >>> from cnnkit.style import STYLE_NAMES, make_style_image
    >>> STYLE_NAMES, make_style_image("swirls", size=32).shape
    (('brush_strokes', 'swirls', 'mosaic'), (32, 32, 3))
"""
import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=["engine", "images", "losses"], submod_attrs={
    "engine": ["NonFiniteLossError", "StyleResult", "as_rgb_image", "fit_size", "preserve_colors", "transfer"],
    "losses": ["CONTENT_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "StyleContentLoss", "clear_trunk_cache",
               "content_loss", "gram_matrix", "style_loss", "total_variation_loss", "vgg19_trunk"],
    "images": ["STYLE_NAMES", "make_style_image"],
})
