"""Exercises of lesson 05 (building a CNN), checked by ``check()``.

The answers depend on the notebook's settings, so each exercise is made from them::

    >>> from cnnkit.exercises import lesson05
    >>> q1 = lesson05.gap_head(filters=16, dense=64, n_classes=5)
    >>> q1.check(76_565)
    ✓ Correct.
    True
    >>> lesson05.flatten_size(size=64, filters=16, dense=64).check((4096, 262_208))
    ✓ Correct.
    True
"""
import numpy as np

from cnnkit._checks import check_int
from cnnkit.exercises._core import Exercise

__all__ = ["cnn_parameters", "gap_head", "flatten_size", "pooling_parameters", "more_filters"]


def cnn_parameters(*, size=32, channels=3, blocks=3, convs_per_block=2, filters=16, dense=64, n_classes=5,
                   head="flatten"):
    """The parameter count of ``models.cnn`` with these settings (3×3 'same' convolutions, 2×2 pools), by formula.

        >>> cnn_parameters(filters=16, dense=64, n_classes=5)      # lesson 05's network at CPU defaults
        138005
    """
    total, c_in, side = 0, check_int(channels, "channels", low=1), check_int(size, "size", low=1)
    for b in range(1, check_int(blocks, "blocks", low=1) + 1):
        c_out = check_int(filters, "filters", low=1) * 2 ** (b - 1)
        for _ in range(check_int(convs_per_block, "convs_per_block", low=1)):
            total += (3 * 3 * c_in + 1) * c_out
            c_in = c_out
        side //= 2
    features = side * side * c_in if head == "flatten" else c_in
    if dense:
        total += (features + 1) * dense
        features = dense
    return total + (features + 1) * check_int(n_classes, "n_classes", low=2)


def gap_head(*, filters, dense, n_classes, size=32):
    """Exercise: the parameters of the 3-block network with global average pooling in place of the flatten."""
    expected = cnn_parameters(size=size, filters=filters, dense=dense, n_classes=n_classes, head="gap")
    flat = cnn_parameters(size=size, filters=filters, dense=dense, n_classes=n_classes)
    last = 4 * filters
    return Exercise(
        f"Global average pooling: build the 3-block network (FILTERS = {filters}, DENSE = {dense}) with "
        f"head='gap' instead of the flatten. How many parameters does it have? Count by hand, then check with Keras.",
        expected=expected,
        hint=f"Only the fc layer changes: GAP turns the last {last} maps into {last} numbers, one per map, "
             f"whatever their size.",
        solution=(f"gap = models.cnn((SIZE, SIZE, 3), data.n_classes, filters=FILTERS, dense=DENSE, head='gap')\n"
                  f"by_hand = model.count_params() - by_hand['fc'] + ({last} + 1) * DENSE\n"
                  f"print(by_hand, gap.count_params())   # {expected:,} {expected:,} (the flatten head: {flat:,})"),
    )


def flatten_size(*, size, filters, dense):
    """Exercise: the flattened features and the ``fc`` parameters of the 3-block network on ``size``² images."""
    side = check_int(size, "size", low=8) // 8
    flat = side * side * 4 * filters
    return Exercise(
        f"Bigger images: what are the length of the flattened vector and the number of parameters of fc for "
        f"the 3-block network (FILTERS = {filters}, DENSE = {dense}) on {size} × {size} images? "
        f"Answer (flattened, fc parameters); check with models.cnn.",
        expected=(flat, (flat + 1) * dense),
        hint="Three 2×2 pools divide the side by 8; the last block has 4 · FILTERS maps.",
        solution=(f"big = models.cnn(({size}, {size}, 3), 5, filters={filters}, dense={dense})\n"
                  f"print(big.get_layer('flatten').output.shape[-1], big.get_layer('fc').count_params())"
                  f"   # {flat} {(flat + 1) * dense:,}"),
    )


def pooling_parameters(*, filters, dense, n_classes, size=32):
    """Exercise (reasoning): max vs average pooling inside the CNN — what changes, what does not."""
    expected = cnn_parameters(size=size, filters=filters, dense=dense, n_classes=n_classes)

    def test(answer):
        try:
            with_max, with_average = (int(v) for v in answer)
        except (TypeError, ValueError):
            return "expected a pair (parameters with max pooling, parameters with average pooling)."
        if with_max != with_average:
            return ("the two counts differ: pooling has no weights, so swapping the pool cannot change them — "
                    "did you change something else too?")
        if with_max != expected:
            return f"both counts should be the network's {expected:,}, got {with_max:,}."
        return None

    return Exercise(
        "Max vs average pooling inside the CNN: build the network with build_cnn(..., pool=keras.layers."
        "AveragePooling2D) and with MaxPooling2D, train both with the same seed and compare validation accuracy. "
        "First give the pair (parameters with max pooling, parameters with average pooling).",
        test=test,
        hint="How many weights does a pooling layer have?",
        solution=("Pooling has no weights: both networks have "
                  f"{expected:,} parameters. What differs is what passes: max keeps the strongest response in "
                  "each 2×2 window (a feature found anywhere in it), average blurs it with its weaker neighbours, "
                  "so a thin edge or a small corner is diluted. Compare the two validation accuracies over a few "
                  "seeds before you call one better."),
    )


def more_filters(results):
    """Exercise (reasoning): 4 vs 8 vs 16 filters, from the measured ``results`` (filters → accuracy per seed)."""
    if not isinstance(results, dict) or not results:
        raise TypeError("results must be a dict: number of filters -> list of accuracies (one per seed)")
    means = {int(k): float(np.mean(v)) for k, v in results.items()}
    spreads = {int(k): float(np.std(v)) for k, v in results.items()}
    best = max(means, key=means.get)
    lines = [f"{k:>3} filters: {means[k]:.3f} ± {spreads[k]:.3f}" for k in sorted(means)]
    worst = min(means, key=means.get)
    gap = means[best] - means[worst]
    verdict = ("larger" if gap > spreads[best] + spreads[worst] else "not larger")
    return Exercise(
        "More filters, more features? From the table of mean validation accuracy over seeds, which number of "
        "filters did best? Is its lead over the worst larger than their spreads added together?",
        expected=best,
        hint="Compare the means, then compare the gap with the ± columns.",
        solution="\n".join(lines + [f"best: {best} filters; its lead over {worst} filters, {gap:.3f}, is {verdict} "
                                    f"than their spreads added ({spreads[best] + spreads[worst]:.3f})."]),
    )
