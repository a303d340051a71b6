"""The losses of neural style transfer (Gatys, Ecker & Bethge 2015): Gram matrices, content, style, smoothness.

    >>> import numpy as np
    >>> from cnnkit.style.losses import gram_matrix
    >>> f = np.ones((1, 4, 4, 2), "float32")          # a batch of one 4×4 map with 2 channels
    >>> gram_matrix(f).numpy()[0]                      # channel co-occurrence, divided by H·W = 16
    array([[1., 1.],
           [1., 1.]], dtype=float32)

Normalisation (written so sizes do not change the balance between terms):

* ``gram_matrix(F) = FᵀF / M`` with ``F`` the M×N matrix of one layer (M = H·W positions, N channels).
* ``style_loss = ¼ · mean((G − A)²)`` over the N² entries, which is exactly the paper's
  ``E_l = 1/(4·N²·M²) · Σ(Ĝ − Â)²`` for un-normalised Grams ``Ĝ = FᵀF``. The TF tutorial's per-layer loss is
  ``mean((G − A)²)``, four times this, so its ``style_weight`` 1e-2 equals 4e-2 here. With
  ``normalize_style=True`` (the offline default) each layer's term is ``mean((G − A)²) / mean(A²)`` instead: a
  relative error, 1 for an image with no features, the same scale for every style and layer, so one β fits all.
* ``content_loss = mean((F − P)²)``: the paper's ``½·Σ(F − P)²`` divided by ``N·M/2`` (as the TF tutorial).
  With ``content="layout"`` (the offline default) the content term is ``1 − corr`` of the two images'
  :func:`luminance_layout` (brightness at a coarse pyramid level): 0 when the photo's layout is kept, 1 when it is
  gone, whatever the contrast the style paints it with. ``edge_weight`` > 0 adds ``edge_weight · (1 − corr)`` of
  the two images' :func:`luminance_edges` (how strongly the brightness changes, at a finer level, averaged over
  ``edge_blur`` pixels): the photo's outlines, which the coarse layout alone lets a bold style paint over.
* ``total_variation_loss = Σ|x[i+1, j] − x[i, j]| + Σ|x[i, j+1] − x[i, j]|`` per image, as
  ``tf.image.total_variation`` (anisotropic: it favours axis-aligned steps, "staircasing"), or
  ``Σ(√(dx² + dy² + ε²) − ε)`` (isotropic); :class:`StyleContentLoss` divides it by H·W. All terms are means, so
  α, β, γ weigh the same for the same texture tiled to 64 or 512 px; the same photo resampled has less TV per
  pixel at a larger size (its edges are longer in pixels but the same in number), so the balance is only roughly
  size-free.
"""
import numpy as np
import tensorflow as tf

from cnnkit._checks import Array, Bool, Callable_, Choice, Instance, Int, Number, Seq, check_number, contract
from cnnkit._checks import Image as ImageRule
from cnnkit.style.content import (_FEATURES, EDGE_SIDE, _features, auto_edge_level, layout_loss,  # noqa: F401
                                  luminance_edges, luminance_layout)

#: α, β, γ of the paper's loss with VGG19 features (``vgg.FeatureExtractor.default_weights``): the TF tutorial's 1e4
#: and 1e-2 (×4, see the module notes), and its TV weight 30 on a sum over a 512-px image's pixels, made a mean here
#: at 256 × 256 (30 · 256²; at 512 px it is 4× heavier than the tutorial's)
DEFAULT_WEIGHTS = (1e4, 4e-2, 30.0 * 256 ** 2)
#: the paper's loss (raw Grams, feature content, anisotropic TV, no edge term): what an extractor without
#: ``loss_options`` gets
PAPER_LOSS = {"normalize_style": False, "content": "features", "tv": "anisotropic", "edge_weight": 0.0,
              "edge_level": "auto", "edge_blur": 0.0}
_GRAM = (Instance("tensorflow.Tensor", "tensorflow.Variable") | Array(ndim=(2, 3))).describe(
    "a B×C×C (or C×C) Gram matrix, an array or a tensor")
#: a content or style image: a 1×H×W×3 (or H×W×3) image in [0, 1] (or tensor)
_PICTURE = (Instance("tensorflow.Tensor", "tensorflow.Variable") | ImageRule(ndim=(3, 4), channels=(3,))).describe(
    "an H×W×3 or 1×H×W×3 image (uint8, or float in [0, 1]) or tensor")


def _unit_float(image, name):
    """An image array by the one dtype rule (uint8 scaled to [0, 1]); a tensor as it is."""
    if isinstance(image, (tf.Tensor, tf.Variable)):
        return image
    from cnnkit.images import as_float

    return as_float(image, name)


@contract(features=_FEATURES)
def gram_matrix(features):
    """Channel co-occurrences ``FᵀF / (H·W)`` of feature maps (the style representation).

    Args:
        features: B×H×W×C (or H×W×C, given a batch of one) feature maps.

    Returns:
        A B×C×C float32 tensor (see the module example).

    Example:
        >>> f = np.arange(8, dtype="float32").reshape(2, 2, 2)    # one 2×2 map: channel 0 is 0, 2, 4, 6; 1 is 1…7
        >>> gram_matrix(f).numpy()                                # e.g. (0·1 + 2·3 + 4·5 + 6·7) / 4 = 17
        array([[[14., 17.],
                [17., 21.]]], dtype=float32)
    """
    f = _features(features)
    positions = tf.cast(tf.shape(f)[1] * tf.shape(f)[2], tf.float32)
    return tf.einsum("bijc,bijd->bcd", f, f) / positions


@contract(features=_FEATURES, target=_FEATURES)
def content_loss(features, target):
    """``mean((F − P)²)``: how far ``features`` are from the content image's features.

    Args:
        features, target: feature maps of the same H×W×C (B×H×W×C or H×W×C).

    Returns:
        A scalar float32 tensor, the mean over the batch, positions and channels.

    Example:
        >>> float(content_loss(np.zeros((2, 2, 3)), np.ones((2, 2, 3))))
        1.0
    """
    f, p = _features(features), _features(target, "target")
    if f.shape[1:] != p.shape[1:]:
        raise ValueError(f"features {tuple(f.shape)} and target {tuple(p.shape)} must have the same shape")
    return tf.reduce_mean(tf.square(f - p))


@contract(features=_FEATURES, target_gram=_GRAM)
def style_loss(features, target_gram):
    """``¼·mean((G − A)²)`` between the Gram matrix of ``features`` and the style's (the paper's E_l).

    Args:
        features: B×H×W×C (or H×W×C) feature maps of the image being optimised.
        target_gram: the style image's C×C (or B×C×C) :func:`gram_matrix` at the same layer.

    Returns:
        A scalar float32 tensor, the mean over the batch and the C² entries.

    Example:
        >>> float(style_loss(np.ones((4, 4, 2)), np.zeros((2, 2))))   # G is all ones: ¼·mean(1²)
        0.25
    """
    g = gram_matrix(features)
    a = tf.convert_to_tensor(target_gram, tf.float32)
    if g.shape[-1] != a.shape[-1]:
        raise ValueError(f"features have {g.shape[-1]} channels but target_gram is {tuple(a.shape)}")
    return 0.25 * tf.reduce_mean(tf.square(g - a))


@contract(images=_FEATURES, isotropic=Bool())
def total_variation_loss(images, *, isotropic=False):
    """Sum over one image of the differences between neighbouring pixels, per image.

    Args:
        images: a B×H×W×C batch (or one H×W×C image).
        isotropic: False for ``Σ|dy| + Σ|dx|`` (as ``tf.image.total_variation``; it prefers steps along the axes),
            True for ``Σ(√(dy² + dx² + ε²) − ε)`` with ε = 1/255 (every edge direction costs its length; a flat
            image costs 0).

    Returns:
        A float32 tensor of B sums, one per image.

    Example:
        >>> total_variation_loss(np.array([[[0.0], [1.0]], [[0.0], [1.0]]])).numpy()   # two steps of 1
        array([2.], dtype=float32)
        >>> diagonal = np.array([[[0.0], [1.0]], [[1.0], [1.0]]])    # one step, both ways at once at (0, 0)
        >>> total_variation_loss(diagonal).numpy(), total_variation_loss(diagonal, isotropic=True).numpy().round(3)
        (array([2.], dtype=float32), array([1.41], dtype=float32))
    """
    x = _features(images, "images")
    if not isotropic:
        dy = tf.reduce_sum(tf.abs(x[:, 1:, :, :] - x[:, :-1, :, :]), axis=[1, 2, 3])
        dx = tf.reduce_sum(tf.abs(x[:, :, 1:, :] - x[:, :, :-1, :]), axis=[1, 2, 3])
        return dy + dx
    dy = x[:, 1:, :-1, :] - x[:, :-1, :-1, :]
    dx = x[:, :-1, 1:, :] - x[:, :-1, :-1, :]
    return tf.reduce_sum(tf.sqrt(dy ** 2 + dx ** 2 + (1 / 255) ** 2) - 1 / 255, axis=[1, 2, 3])


@contract(extractor=Callable_(), content=_PICTURE, style=_PICTURE, content_weight=Number(low=0) | None,
          style_weight=Number(low=0) | None, tv_weight=Number(low=0) | None, layer_weights=Seq(Number(low=0)) | None,
          normalize_style=Bool() | None, content_term=Choice("features", "layout") | None,
          content_level=Int(low=0, high=8) | None, tv=Choice("anisotropic", "isotropic") | None,
          edge_weight=Number(low=0) | None, edge_level=Int(low=0, high=8) | Choice("auto") | None,
          edge_blur=Number(low=0, high=64) | None)
class StyleContentLoss:
    """``α·content + β·style + γ·tv`` of an image batch in [0, 1], with the targets computed once here.

    Args:
        extractor: a feature extractor (:class:`~cnnkit.style.vgg.FeatureExtractor`,
            :class:`~cnnkit.style.extractors.PyramidExtractor` or a callable like them).
        content, style: the content and style images, 1×H×W×3 (or H×W×3) in [0, 1] (or uint8); sizes may differ.
        content_weight, style_weight, tv_weight: α, β, γ, finite and ≥ 0 (None: the extractor's
            ``default_weights``, else the paper's VGG19 weights).
        layer_weights: one weight ≥ 0 per style layer (None: the extractor's ``default_layer_weights``, else equal);
            they are divided by their sum.
        normalize_style: divide each layer's Gram error by ``mean(A²)`` (see the module notes).
        content_term: ``"features"`` (the paper: the content layers' maps) or ``"layout"`` (:func:`luminance_layout`
            at ``content_level``, default the extractor's ``content_level`` or 2).
        content_level: the pyramid level (0 to 8) of the layout term (None: the extractor's ``content_level``,
            else 2).
        tv: ``"anisotropic"`` or ``"isotropic"`` (see :func:`total_variation_loss`).
        edge_weight: the weight (≥ 0, inside α) of the edge term ``1 − corr`` of :func:`luminance_edges`, added to the
            content term (0: none, the paper's loss).
        edge_level: the pyramid level of the edge term, or ``"auto"`` (the level nearest :data:`EDGE_SIDE` px on the
            content's longer side); its resolved value is ``.edge_level``.
        edge_blur: σ (0 to 64, in pixels of the edge level) of the Gaussian over both images' edge magnitudes before
            they are correlated (:func:`luminance_edges`' ``blur``): 0 compares them pixel by pixel; more compares
            where the outlines are, leaving a fine texture free to fill the photo's flat parts.

    ``normalize_style``, ``content_term``, ``tv``, ``edge_weight``, ``edge_level`` and ``edge_blur`` left at None
    take the extractor's ``loss_options`` (the paper's choices for VGG19; normalised Grams, layout and blurred edges,
    and isotropic TV for the offline pyramid). Every term is a mean, so α, β, γ keep their balance for the same
    texture at any size. Calling it on an image batch returns ``(total, content, style, tv)``, already weighted, as
    scalar tensors.

    Example:
        >>> from cnnkit.style.vgg import FeatureExtractor
        >>> ex = FeatureExtractor(weights=None)
        >>> photo = np.full((1, 32, 32, 3), 0.5, "float32")
        >>> loss = StyleContentLoss(ex, photo, np.random.default_rng(0).uniform(size=(1, 32, 32, 3)))
        >>> total, content, style, tv = loss(photo)                    # the photo itself: no content or tv loss
        >>> float(content), float(tv), float(style) > 0
        (0.0, 0.0, True)
    """

    def __init__(self, extractor, content, style, *, content_weight=None, style_weight=None, tv_weight=None,
                 layer_weights=None, normalize_style=None, content_term=None, content_level=None, tv=None,
                 edge_weight=None, edge_level=None, edge_blur=None):
        self.extractor = extractor
        defaults = getattr(extractor, "default_weights", DEFAULT_WEIGHTS)
        self.content_weight, self.style_weight, self.tv_weight = (
            float(d if w is None else check_number(w, name, low=0)) for w, d, name in
            zip((content_weight, style_weight, tv_weight), defaults, ("content_weight", "style_weight", "tv_weight")))
        options = {**PAPER_LOSS, **getattr(extractor, "loss_options", {})}
        self.normalize_style = options["normalize_style"] if normalize_style is None else normalize_style
        self.content_term = options["content"] if content_term is None else content_term
        self.isotropic = (options["tv"] if tv is None else tv) == "isotropic"
        self.content_level = getattr(extractor, "content_level", 2) if content_level is None else content_level
        self.edge_weight = float(options["edge_weight"] if edge_weight is None else edge_weight)
        level = options["edge_level"] if edge_level is None else edge_level
        self.edge_blur = float(options["edge_blur"] if edge_blur is None else edge_blur)
        style_feats, _ = extractor(_unit_float(style, "style"))
        content = _unit_float(content, "content")
        self.edge_level = auto_edge_level(max(_features(content, "content").shape[1:3])) if level == "auto" \
            else int(level)
        self.style_targets = [gram_matrix(f) for f in style_feats]
        n = len(self.style_targets)
        if layer_weights is None:
            layer_weights = getattr(extractor, "default_layer_weights", None)
        w = np.ones(n) if layer_weights is None else np.asarray(layer_weights, np.float64)
        if len(w) != n or (n and not w.sum() > 0):     # no style layers (a content-only loss): no weights
            raise ValueError(f"layer_weights must hold {n} weights (one per style layer), not all 0; got {list(w)}")
        self.layer_weights = [float(v) for v in w / w.sum()] if n else []
        self.style_scales = [float(tf.reduce_mean(tf.square(a))) * 0.25 if self.normalize_style else 1.0
                             for a in self.style_targets]
        if self.content_term == "layout":
            self.content_targets = [luminance_layout(content, level=self.content_level)]
        else:
            self.content_targets = [tf.identity(f) for f in extractor(content)[1]]
        self.edge_target = luminance_edges(content, level=self.edge_level, blur=self.edge_blur) \
            if self.edge_weight > 0 else None

    def __call__(self, images):
        x = _features(images, "images")
        style_feats, content_feats = self.extractor(x)
        zero = tf.constant(0.0)
        if self.content_term == "layout":
            c = layout_loss(luminance_layout(x, level=self.content_level), self.content_targets[0])
        else:
            c = tf.add_n([content_loss(f, p) for f, p in zip(content_feats, self.content_targets)]) / len(
                content_feats) if content_feats else zero
        if self.edge_target is not None:
            c = c + self.edge_weight * layout_loss(luminance_edges(x, level=self.edge_level, blur=self.edge_blur),
                                                   self.edge_target)
        s = tf.add_n([w * style_loss(f, a) / n for f, a, w, n in
                      zip(style_feats, self.style_targets, self.layer_weights, self.style_scales)]) \
            if style_feats else zero
        tv = tf.reduce_sum(total_variation_loss(x, isotropic=self.isotropic)) / tf.cast(
            tf.shape(x)[0] * tf.shape(x)[1] * tf.shape(x)[2], tf.float32)
        c, s, tv = self.content_weight * c, self.style_weight * s, self.tv_weight * tv
        return c + s + tv, c, s, tv
