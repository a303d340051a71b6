"""Feature extractors that need no download: seeded random filters on an image pyramid, and the choice of extractor.

Random multi-scale filters carry texture (Ustyuzhaninov, Brendel, Gatys & Bethge 2017, "What does it take to
generate natural textures?"): the image is blurred and halved ``levels`` times, every level is filtered with the
same seeded bank of random 3×3, 5×5 and 7×7 filters (``filters`` of each size), rectified, and each level's Gram
matrix is one style term. Measured in this course, this reproduces the procedural styles' palette and
banding; the deep features of a *random* VGG19 do not (they behave like noise; He, Wang & Hopcroft 2016 needed
careful settings to get textures from them).

    >>> import numpy as np
    >>> from cnnkit.style.extractors import PyramidExtractor
    >>> ex = PyramidExtractor(levels=3, filters=4)
    >>> style, content = ex(np.zeros((1, 32, 32, 3), "float32"))
    >>> [tuple(f.shape) for f in style], tuple(content[0].shape)
    ([(1, 32, 32, 12), (1, 16, 16, 12), (1, 8, 8, 12)], (1, 8, 8, 12))
"""
import numpy as np
import tensorflow as tf

from cnnkit._checks import (Any_, Bool, Callable_, Choice, Int, PathLike, Seed, Seq, check_choice, check_int, contract,
                            int_seed)

#: the extractors :func:`make_extractor` knows
EXTRACTORS = ("auto", "vgg19", "pyramid")

# a 5-tap binomial blur, applied before each halving (a Gaussian pyramid)
_BINOMIAL = np.array([1, 4, 6, 4, 1], np.float32) / 16


@contract(levels=Int(low=1, high=8), sizes=Seq(Int(low=1), what="a list of odd filter sizes"), filters=Int(low=1),
          content_level=Int(low=0) | None, seed=Seed())
class PyramidExtractor:
    """Seeded random filters on a Gaussian image pyramid: an image batch in [0, 1] → per-level feature maps.

    Args:
        levels: pyramid levels (1 to 8); level ``l`` is the image blurred and halved ``l`` times.
        sizes: the filter sizes (odd ints), applied at every level.
        filters: random filters per size (≥ 1); each level has ``len(sizes)·filters`` channels (32: the Gram
            costs a ninth of 96's).
        content_level: the level of the content representation, the layout term's level (None: 3, or the
            coarsest when there are fewer: the layout is kept at ⅛ of the resolution, finer texture is free).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` (one int is drawn from those) seeding the
            filters.

    The filters are zero-bias, unit-norm random Gaussians applied to ``x − 0.5`` (so colour, the mean of a
    patch, reaches the features), followed by a ReLU. ``source`` is ``"pyramid"``. Style layers are the levels,
    finest first; the content layer is one level.

    Example:
        >>> ex = PyramidExtractor(filters=2, seed=1)
        >>> ex.style_layers, ex.content_layers, ex.source
        (('level0', 'level1', 'level2', 'level3', 'level4'), ('level3',), 'pyramid')
    """

    #: α, β, γ for these features with ``loss_options`` (chosen on the tuning pairs of benchmarks/style_quality.py)
    default_weights = (0.03, 1.0, 0.01)
    #: normalised Grams (one β for every style), the photo's luminance layout and its edges (weight 0.1 inside α, at
    #: the level nearest 128 px: level 1 at the tuning's 256 px; the magnitudes blurred with σ 2 of that level's
    #: pixels) as content, isotropic TV (chosen on the tuning pairs of benchmarks/style_quality.py)
    loss_options = {"normalize_style": True, "content": "layout", "tv": "isotropic", "edge_weight": 0.1,
                    "edge_level": "auto", "edge_blur": 2.0}
    #: start from half photo, half style (see :func:`cnnkit.style.stylize`)
    default_init = "mix"

    @property
    def default_layer_weights(self):
        """The style levels' weights when none are given: 4 and 2 for the two finest, 1 for the rest.

        Chosen on the tuning pairs of benchmarks/style_quality.py (``--grid features``) over equal weights and the
        coarse levels weighted up; :class:`~cnnkit.style.losses.StyleContentLoss` divides them by their sum.

        Returns:
            A tuple of ``levels`` floats, finest level first.

        Example:
            >>> PyramidExtractor(filters=2).default_layer_weights
            (4.0, 2.0, 1.0, 1.0, 1.0)
        """
        return tuple(max(1.0, 4.0 / 2 ** level) for level in range(self.levels))

    def __init__(self, *, levels=5, sizes=(3, 5, 7), filters=32, content_level=None, seed=0):
        self.levels = check_int(levels, "levels", low=1, high=8)
        sizes = tuple(sizes)
        if not sizes or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 or s % 2 == 0
                            for s in sizes):
            raise ValueError(f"sizes must be odd positive ints, got {sizes!r}")
        self.sizes = tuple(int(s) for s in sizes)
        self.filters = check_int(filters, "filters", low=1)
        self.content_level = min(3, self.levels - 1) if content_level is None else \
            check_int(content_level, "content_level", low=0, high=self.levels - 1)
        self.seed = int_seed(seed)
        rng = np.random.default_rng([self.seed, 12])
        self.kernels = []
        for k in self.sizes:
            w = rng.normal(size=(k, k, 3, self.filters)).astype(np.float32)
            w /= np.sqrt((w ** 2).sum(axis=(0, 1, 2), keepdims=True))  # unit norm: every size weighs alike
            self.kernels.append(tf.constant(w))
        self._blur = tf.constant(np.tile((_BINOMIAL[:, None] * _BINOMIAL[None, :])[:, :, None, None], (1, 1, 3, 1)))
        self.style_layers = tuple(f"level{i}" for i in range(self.levels))
        self.content_layers = (f"level{self.content_level}",)
        self.source = "pyramid"

    def pyramid(self, images):
        """The ``levels`` images of the pyramid (B×H×W×3 each, halving), level 0 the input itself."""
        x = tf.convert_to_tensor(images, tf.float32)
        if x.shape.rank == 3:
            x = x[None]
        out = [x]
        for _ in range(self.levels - 1):
            x = tf.nn.depthwise_conv2d(tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], mode="SYMMETRIC"), self._blur,
                                       strides=[1, 2, 2, 1], padding="VALID")
            out.append(x)
        return out

    def level_features(self, image):
        """ReLU of every random filter on one pyramid image (B×H×W×3 in [0, 1]) → B×H×W×(sizes·filters)."""
        x = image - 0.5
        return tf.nn.relu(tf.concat([tf.nn.conv2d(x, w, 1, "SAME") for w in self.kernels], axis=-1))

    def __call__(self, images):
        """``(style_features, content_features)``: two lists of B×H×W×C tensors, finest level first."""
        feats = [self.level_features(p) for p in self.pyramid(images)]
        return feats, [feats[self.content_level]]


@contract(kind=Choice(*EXTRACTORS),
          weights=(Choice("imagenet") | PathLike()).describe("'imagenet', None or a weights-file path") | None,
          seed=Seed(), quiet=Bool(),
          options=Any_("the chosen extractor's own options (levels, filters, style_layers…), checked by its contract"))
def make_extractor(kind="auto", *, weights="imagenet", seed=0, quiet=False, **options):
    """Build the feature extractor for :func:`cnnkit.style.stylize`, and say which one runs and why.

    Args:
        kind: ``"vgg19"`` (the paper's network, with ``weights``), ``"pyramid"`` (:class:`PyramidExtractor`,
            no download) or ``"auto"``: VGG19 when ImageNet (or file) weights can be had, else the pyramid,
            since random VGG19 features carry little more than a style's palette (notebook 07, section 12).
        weights: ``"imagenet"``, a weights-file path, or None (random VGG19; only with ``kind="vgg19"``).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` seeding random weights or filters.
        quiet: True to print nothing.
        **options: passed to :class:`~cnnkit.style.vgg.FeatureExtractor` or :class:`PyramidExtractor`.

    With ``kind="auto"`` one line is printed naming the extractor and the reason.

    Returns:
        The extractor: a :class:`~cnnkit.style.vgg.FeatureExtractor` or a :class:`PyramidExtractor`, a callable
        that maps a B×H×W×3 batch in [0, 1] to ``(style_features, content_features)``; its ``source`` says which
        (``"imagenet"``, ``"file"``, ``"random"`` or ``"pyramid"``).

    Raises:
        TypeError, ValueError: naming a wrong argument; ``ValueError`` also for ``kind="auto"`` with
            ``weights=None``.
        FileNotFoundError: for a missing weights file.

    Example:
        >>> ex = make_extractor("pyramid", filters=4)
        extractor: random multi-scale filters (5 levels, 3/5/7 px, 4 per size), as asked
        >>> ex.source
        'pyramid'
    """
    from cnnkit.style.vgg import FeatureExtractor

    check_choice(kind, "kind", EXTRACTORS)
    seed = int_seed(seed)
    if kind == "pyramid":
        ex = PyramidExtractor(seed=seed, **options)
        why = "as asked"
    elif kind == "vgg19":
        ex = FeatureExtractor(weights, seed=seed, quiet=True, **options)
        why = "as asked" if ex.source != "random" or weights is None else \
            "as asked, but ImageNet weights unavailable (no network and none cached), so seeded random weights"
    else:
        if weights is None:
            raise ValueError("kind='auto' needs weights ('imagenet' or a file); use kind='vgg19' for random VGG19")
        vgg_options = {k: options.pop(k) for k in ("style_layers", "content_layers", "pooling") if k in options}
        ex = FeatureExtractor(weights, seed=seed, quiet=True, **vgg_options)
        if ex.source != "random":
            why = f"{ex.source} weights found"
        else:
            ex = PyramidExtractor(seed=seed, **options)
            why = ("ImageNet VGG19 weights unavailable (no network and none cached), and random VGG19 features "
                   "carry little more than a style's palette")
    if not quiet:
        print(f"extractor: {describe_extractor(ex)}, {why}")
    return ex


@contract(extractor=Callable_())
def describe_extractor(extractor):
    """A short description of an extractor, for figure titles and messages.

    Args:
        extractor: a :class:`PyramidExtractor`, a :class:`~cnnkit.style.vgg.FeatureExtractor` or another extractor.

    Returns:
        A str: the pyramid's levels, filter sizes and filters per size, VGG19's weights, or else the class name.

    Example:
        >>> describe_extractor(PyramidExtractor(filters=8))
        'random multi-scale filters (5 levels, 3/5/7 px, 8 per size)'
    """
    if isinstance(extractor, PyramidExtractor):
        return (f"random multi-scale filters ({extractor.levels} levels, "
                f"{'/'.join(map(str, extractor.sizes))} px, {extractor.filters} per size)")
    source = getattr(extractor, "source", "?")
    return {"imagenet": "VGG19 (ImageNet weights)", "file": "VGG19 (weights file)",
            "random": "VGG19 (seeded random weights)"}.get(source, type(extractor).__name__)
