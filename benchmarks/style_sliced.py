"""Does a sliced Wasserstein style term carry more of the pattern than Gram matrices? (issue 18, tried, not kept)

    python benchmarks/style_sliced.py                 # the tuning pairs, six settings (~20 min on 2 cores)
    python benchmarks/style_sliced.py --pairs 1       # the first tuning pair only (a quick look)

Heitz, Vanhoey, Chambon & Belcour (CVPR 2021, "A Sliced Wasserstein Loss for Neural Texture Synthesis") match the
whole distribution of each layer's features, not only their second moments: project the C features at every
position on K random unit directions, sort the projections, and compare them with the style's sorted projections
(for one direction, sorting pairs the quantiles, so mean((sort a − sort b)²) is the squared 1-D Wasserstein-2
distance). Here, on the offline pyramid's levels (cnnkit.style.extractors.PyramidExtractor), with K = C fixed
directions per level (L-BFGS needs one deterministic loss, where the paper draws new directions each step), the
style's quantiles interpolated to the result's number of positions, and each level's term divided by the variance
of the style's projections (one β for every style, as the normalised Grams). The term is added to the package's
loss (``StyleContentLoss`` at its defaults) inside β, beside or instead of the Gram term.

Judged like benchmarks/style_quality.py (256 px, 60 L-BFGS steps, half photo half style start; the quality
statistics and goals of cnnkit.style.quality), on the tuning pairs only: nothing here was kept, so the held-out
pairs were not looked at.
"""
import argparse
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style._optimize import _Recorder, _run_lbfgs, _to_uint8_image
from cnnkit.style.engine import _initial_image
from cnnkit.style.extractors import PyramidExtractor
from cnnkit.style.losses import StyleContentLoss, _features, _unit_float
from cnnkit.style.quality import TUNING_PAIRS, meets_goals, missed_goals, scores


class SlicedStyleLoss(StyleContentLoss):
    """The package's loss with ``β · sliced_weight · Σ_l w_l · SW_l`` added and the Gram term × ``gram_weight``."""

    def __init__(self, extractor, content, style_image, *, sliced_weight=1.0, gram_weight=1.0, seed=0, **kw):
        super().__init__(extractor, content, style_image, **kw)
        self.sliced_weight, self.gram_weight = sliced_weight, gram_weight
        feats, _ = extractor(_unit_float(style_image, "style"))
        positions = [f.shape[1] * f.shape[2] for f in extractor(_features(_unit_float(content, "content")))[0]]
        rng = np.random.default_rng([seed, 7])
        self.directions, self.targets, self.scales = [], [], []
        for f, n in zip(feats, positions):                                      # n: the result's positions here
            c = f.shape[-1]
            v = rng.normal(size=(c, c)).astype(np.float32)
            v /= np.linalg.norm(v, axis=0, keepdims=True)                       # K = C unit directions
            p = np.sort((tf.reshape(f, (-1, c)).numpy() @ v).T, axis=1)          # K × the style's positions
            q, qs = (np.arange(n) + 0.5) / n, (np.arange(p.shape[1]) + 0.5) / p.shape[1]
            t = np.stack([np.interp(q, qs, row) for row in p]).astype(np.float32)
            self.directions.append(tf.constant(v))
            self.targets.append(tf.constant(t))
            self.scales.append(float(np.mean((t - t.mean(axis=1, keepdims=True)) ** 2)) + 1e-12)

    def __call__(self, images):
        _, c, s, tv = super().__call__(images)
        feats, _ = self.extractor(_features(images, "images"))
        sw = tf.add_n([w * tf.reduce_mean(tf.square(tf.sort(tf.transpose(tf.reshape(f, (-1, f.shape[-1])) @ v),
                                                             axis=1) - t)) / scale
                       for f, v, t, scale, w in zip(feats, self.directions, self.targets, self.scales,
                                                    self.layer_weights)])
        s = self.gram_weight * s + self.style_weight * self.sliced_weight * sw
        return c + s + tv, c, s, tv


#: (label, SlicedStyleLoss options); the first row is the package's loss without a sliced term. All rows weigh the
#: style levels equally and leave the edge magnitudes unblurred, as the package did when this ran (its defaults are
#: now 4, 2, 1, 1, 1, finest first, and edge_blur 2)
SETTINGS = [("Gram (the default)", dict(sliced_weight=0.0)),
            ("Gram + sliced, α 0.03", dict(sliced_weight=1.0)),
            ("Gram + sliced, α 0.1", dict(sliced_weight=1.0, content_weight=0.1)),
            ("Gram + sliced, α 0.3", dict(sliced_weight=1.0, content_weight=0.3)),
            ("Gram + sliced, α 0.1, edges × 0.3", dict(sliced_weight=1.0, content_weight=0.1, edge_weight=0.3)),
            ("sliced alone, α 0.1", dict(sliced_weight=1.0, gram_weight=0.0, content_weight=0.1))]


def run(photo, name, seed, options, size=256, steps=60, init="mix", extractor=None):
    """The scores of one L-BFGS run of SlicedStyleLoss(**options) from ``init``; the levels weighted equally and the
    edge magnitudes unblurred unless ``options`` say otherwise (as the package did when SETTINGS ran). ``extractor``:
    the features (None: the package's pyramid, seed 0; another extractor's levels are weighted as ``options`` say,
    else by its own default)."""
    s_img = make_style_image(name, size=size, seed=seed)
    content = style.fit_size(style.as_rgb_image(photo), size)
    pinned = {"edge_blur": 0.0}
    if extractor is None:      # the package's pyramid, its levels weighted equally as when SETTINGS ran
        extractor, pinned["layer_weights"] = PyramidExtractor(seed=0), (1, 1, 1, 1, 1)
    loss = SlicedStyleLoss(extractor, content[None] / np.float32(255), s_img[None] / np.float32(255),
                           **{**pinned, **options})
    record = _Recorder(steps, 0, False)
    _run_lbfgs(loss, _initial_image(init, content, s_img, 0), steps, record)
    return scores(_to_uint8_image(record.last_image), content, s_img)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=len(TUNING_PAIRS), help="how many tuning pairs (from the first)")
    args = parser.parse_args()
    pairs = TUNING_PAIRS[:args.pairs]
    print("| setting | " + " | ".join(f"{p} × {n}{f' ({s})' if s else ''}" for p, n, s in pairs)
          + " | keep the photo | hold all four | mean texture |")
    print("|---|" + "---|" * len(pairs) + "---:|---:|---:|")
    for label, options in SETTINGS:
        t = time.perf_counter()
        rows = [run(p, n, s, options) for p, n, s in pairs]
        cells = [f"{r['colour']:.2f} / {r['texture']:.2f} / {r['layout']:.2f} / {r['edges']:.2f}"
                 + ("" if meets_goals(r) else " ✗") for r in rows]
        keep = sum(not {"layout", "edges"} & set(missed_goals(r)) for r in rows)
        print(f"| {label} | " + " | ".join(cells) + f" | {keep} | {sum(meets_goals(r) for r in rows)} | "
              f"{np.mean([r['texture'] for r in rows]):.2f} |  ({time.perf_counter() - t:.0f} s)", flush=True)
    print("\n(colour / texture / layout / edges per cell; ✗: a goal missed.)")


if __name__ == "__main__":
    main()
