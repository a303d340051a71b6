"""Exercises of lesson 05 (building a CNN), checked by ``check()``.

Two answers depend on the notebook's settings and one on its measurements, so the notebook first calls
:func:`setup` with them; the module's own ``q1``–``q4`` are built for the CPU defaults::

    >>> from cnnkit.exercises import lesson05 as ex
    >>> _ = ex.setup(filters=16, dense=64, n_classes=5, size=32)
    >>> ex.q1.check(76_565)
    ✓ Correct.
    True
    >>> ex.q2.check((4096, 262_208))
    ✓ Correct.
    True
    >>> ex.q3.check(("bcd", "c"))
    ✓ Correct.
    True
"""
import numbers

import numpy as np

from cnnkit._checks import Choice, Int, Mapping, Seq, contract
from cnnkit._checks import Number as _Number
from cnnkit.exercises._core import Exercise, letters
from cnnkit.exercises._lesson05_seeds import paired_filters, paired_interval   # q4: the seed comparison

__all__ = ["q1", "q2", "q3", "q4", "setup", "cnn_parameters", "gap_head", "flatten_size", "paired_filters",
           "paired_interval"]


@contract(size=Int(low=8), channels=Int(low=1), blocks=Int(low=1), convs_per_block=Int(low=1), filters=Int(low=1),
          dense=Int(low=0), n_classes=Int(low=2), head=Choice("flatten", "gap"))
def cnn_parameters(*, size=32, channels=3, blocks=3, convs_per_block=2, filters=16, dense=64, n_classes=5,
                   head="flatten"):
    """The parameter count of ``models.cnn`` with these settings (3×3 'same' convolutions, 2×2 pools), by formula.

    Args:
        size: the image side.
        channels: the image channels.
        blocks: the conv blocks.
        convs_per_block: convolutions per block.
        filters: block 1's filters (doubled in every later block).
        dense: the units of ``fc`` (0: none).
        n_classes: the classes.
        head: ``"flatten"`` or ``"gap"``.

    Returns:
        The number of weights and biases.

    Example:
        >>> cnn_parameters(filters=16, dense=64, n_classes=5)
        138005
    """
    total, c_in, side = 0, channels, size
    for b in range(1, blocks + 1):
        c_out = filters * 2 ** (b - 1)
        for _ in range(convs_per_block):
            total += (3 * 3 * c_in + 1) * c_out
            c_in = c_out
        side //= 2
    features = side * side * c_in if head == "flatten" else c_in
    if dense:
        total += (features + 1) * dense
        features = dense
    return total + (features + 1) * n_classes


def _whole(answer, what):
    """``answer`` as an int, or a sentence saying why not (strings, bools and fractions are refused)."""
    if isinstance(answer, (str, bytes, bool, np.bool_)) or not isinstance(answer, numbers.Real) \
            or float(answer) != round(float(answer)):
        return None, f"expected {what} as a whole number, got {answer!r} ({type(answer).__name__})."
    return int(round(float(answer))), None


@contract(filters=Int(low=1), dense=Int(low=1), n_classes=Int(low=2), size=Int(low=8))
def gap_head(*, filters, dense, n_classes, size=32):
    """Exercise: the parameters of the 3-block network with global average pooling in place of the flatten.

    Args:
        filters: block 1's filters.
        dense: the units of ``fc``.
        n_classes: the classes.
        size: the image side.

    Returns:
        The :class:`Exercise`.

    Example:
        >>> q = gap_head(filters=16, dense=64, n_classes=5)
        >>> q.check(cnn_parameters(filters=16, dense=64, n_classes=5, head="gap"))
        ✓ Correct.
        True
        >>> q.check(138_005)                                   # the flatten head's count
        ✗ Not yet: that is the flatten network's count: with GAP, fc sees one number per map, not every position.
        False
    """
    expected = cnn_parameters(size=size, filters=filters, dense=dense, n_classes=n_classes, head="gap")
    flat = cnn_parameters(size=size, filters=filters, dense=dense, n_classes=n_classes)
    last = 4 * filters

    def test(answer):
        value, problem = _whole(answer, "the parameter count")
        if problem:
            return problem
        if value == expected:
            return None
        if value == flat:
            return "that is the flatten network's count: with GAP, fc sees one number per map, not every position."
        if value == expected - dense:
            return "fc has a bias per unit too: (4·FILTERS + 1) · DENSE."
        if value == expected - (last + 1) * dense - (dense + 1) * n_classes + (last + 1) * n_classes:
            return "the network keeps its fc layer: GAP replaces the flatten, not fc."
        return f"only fc changes, to ({last} + 1) · {dense}; the convolutions keep their counts."

    return Exercise(
        f"Global average pooling: build the 3-block network (FILTERS = {filters}, DENSE = {dense}) with "
        f"head='gap' instead of the flatten. How many parameters does it have? Count by hand, then check with Keras.",
        test=test,
        hint=f"Only the fc layer changes: GAP turns the last {last} maps into {last} numbers, one per map, "
             f"whatever their size.",
        solution=(f"gap = models.cnn((SIZE, SIZE, 3), data.n_classes, filters=FILTERS, dense=DENSE, head='gap')\n"
                  f"answer = model.count_params() - by_hand['fc'] + ({last} + 1) * DENSE\n"
                  f"print(answer, gap.count_params())   # {expected:,} {expected:,} (the flatten head: {flat:,})"),
    )


@contract(size=Int(low=8), filters=Int(low=1), dense=Int(low=1))
def flatten_size(*, size, filters, dense):
    """Exercise: the flattened features and the ``fc`` parameters of the 3-block network on size × size images.

    Args:
        size: the image side asked about.
        filters: block 1's filters.
        dense: the units of ``fc``.

    Returns:
        The :class:`Exercise`.

    Example:
        >>> q = flatten_size(size=64, filters=8, dense=32)
        >>> q.check((2048, 65_568))
        ✓ Correct.
        True
        >>> q.check((65_568, 2048))
        ✗ Not yet: the two are swapped: (flattened features, fc parameters).
        False
    """
    side = size // 8
    flat = side * side * 4 * filters
    right = (flat, (flat + 1) * dense)

    def test(answer):
        if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__len__") or len(answer) != 2:
            return f"expected a pair (flattened features, fc parameters), got {answer!r}."
        values = []
        for v, what in zip(answer, ("the flattened length", "the fc count")):
            value, problem = _whole(v, what)
            if problem:
                return problem
            values.append(value)
        got = tuple(values)
        if got == right:
            return None
        if got == right[::-1]:
            return "the two are swapped: (flattened features, fc parameters)."
        if got[0] == flat and got[1] == flat * dense:
            return "fc has a bias per unit too: (flattened + 1) · DENSE."
        if got[0] == (size // 4) ** 2 * 4 * filters:
            return "three pools divide the side by 8, not 4."
        if got[0] == flat // 4:
            return f"that is the flattened length at {size // 2} px; the question asks about {size} px."
        return f"the last maps are {side} × {side} × {4 * filters}; fc has (flattened + 1) · DENSE weights."

    return Exercise(
        f"Bigger images: what are the length of the flattened vector and the number of parameters of fc for "
        f"the 3-block network (FILTERS = {filters}, DENSE = {dense}) on {size} × {size} images? "
        f"Answer (flattened, fc parameters); check with models.cnn.",
        test=test,
        hint="Three 2×2 pools divide the side by 8; the last block has 4 · FILTERS maps.",
        solution=(f"big = models.cnn(({size}, {size}, 3), 5, filters={filters}, dense={dense})\n"
                  f"answer = (big.get_layer('flatten').output.shape[-1], big.get_layer('fc').count_params())\n"
                  f"print(answer)   # ({flat}, {(flat + 1) * dense:,})"),
    )


_CHANGES = {"a": "MaxPooling2D → AveragePooling2D in every block",
            "b": "'valid' instead of 'same' padding in block 1's two convolutions",
            "c": "5×5 instead of 3×3 kernels in every convolution",
            "d": "images of twice the side (2 · SIZE)"}


def _letters(value):
    return letters(value, _CHANGES)


def _changes_test(answer):
    if isinstance(answer, dict):
        answer = (answer.get("flatten"), answer.get("gap"))
    if isinstance(answer, str) or not isinstance(answer, (list, tuple)) or len(answer) != 2:
        return 'expected a pair (letters for the flatten network, letters for the gap network), e.g. ("ab", "b").'
    flatten, gap = _letters(answer[0]), _letters(answer[1])
    if flatten is None or gap is None:
        return "each part must be letters from a, b, c, d (a string like \"bd\" or a list like [\"b\", \"d\"])."
    problems = []
    if "a" in flatten | gap:
        problems.append("(a) changes nothing: a pooling layer has no weights, max or average")
    if "c" not in flatten or "c" not in gap:
        problems.append("(c) changes every convolution's count: k·k·c_in + 1 weights per filter")
    if "b" not in flatten or "d" not in flatten:
        problems.append("in the flatten network, fc has one weight per flattened feature, so anything that changes "
                        "the last maps' size — (b) and (d) — changes its count")
    if "b" in gap or "d" in gap:
        problems.append("with GAP, fc sees one number per map whatever the maps' size, so (b) and (d) change nothing")
    return None if not problems else "; ".join(problems) + "."


q3 = Exercise(
    "Which changes alter the number of parameters? (a) " + _CHANGES["a"] + "; (b) " + _CHANGES["b"] + "; (c) "
    + _CHANGES["c"] + "; (d) " + _CHANGES["d"] + ". Answer a pair: (the letters that change the count of the "
    "section-2 network with the flatten head, the letters that change it with head='gap'), e.g. (\"ab\", \"b\"). "
    "Decide first, then check with models.cnn / build_cnn.",
    test=_changes_test,
    hint="Which layers have weights, and which of their counts depend on the size of the maps?",
    solution=('answer = ("bcd", "c")\n'
              "# Pooling has no weights (a). A convolution's count, (k·k·c_in + 1)·c_out, depends on the kernel (c) "
              "but not on\n# the map's size. fc's count depends on what reaches it: with the flatten, every "
              "position of the last maps, so\n# anything that shrinks or grows them — 'valid' padding (b), bigger "
              "images (d) — changes it; with GAP, one number\n# per map, so only the number of maps matters."),
)


@contract(filters=Int(low=1), dense=Int(low=1), n_classes=Int(low=2), size=Int(low=8),
          results=Mapping(Int(low=1), Seq(_Number(), min_len=2)) | None)
def setup(*, filters=8, dense=32, n_classes=5, size=24, results=None):
    """Build ``q1``, ``q2`` and ``q4`` for the notebook's settings and measurements; returns the module.

    Args:
        filters: ``FILTERS``.
        dense: ``DENSE``.
        n_classes: the classes.
        size: ``SIZE`` (q2 asks about twice that side).
        results: ``{filters: [validation accuracy per seed]}`` from section 7 (default: an example table).

    Returns:
        This module, with ``q1``–``q4`` rebuilt.

    Example:
        >>> ex = setup(filters=16, dense=64, n_classes=5, size=32)
        >>> ex.q2.check((4096, 262_208))                       # 64 px: 8 × 8 × 64 features
        ✓ Correct.
        True
        >>> _ = setup()                                        # back to the CPU defaults
    """
    import sys

    module = sys.modules[__name__]
    module.q1 = gap_head(filters=filters, dense=dense, n_classes=n_classes, size=size)
    module.q2 = flatten_size(size=2 * size, filters=filters, dense=dense)
    module.q4 = paired_filters(_EXAMPLE if results is None else results)
    return module


_EXAMPLE = {4: [0.64, 0.47, 0.52], 16: [0.70, 0.55, 0.57]}
q1 = q2 = q4 = None
setup()
