"""How close can the offline texture model come to a style with no photo to keep at all? (issue 18: the ceiling)

    python benchmarks/style_texture_ceiling.py        # the six tuning pairs, four runs each (~10 min on 2 cores)

The held-out misses of benchmarks/style_quality.py are texture misses. Is that the photo's price (the content and
edge terms pulling the result away from the style), or does the texture model itself fall short? Here the content
weight α is 0 and the edge term off: only the style term (the package's normalised Grams of the random pyramid,
levels weighted 4, 2, 1, 1, 1) and the TV term, so the optimum is pure texture synthesis. Each pair's texture
statistic (cnnkit.style.quality: distance to the style over what a recolouring of the photo scores, goal ≤ 0.5):
- from seeded noise, 60 and 200 L-BFGS steps: what the Gram matrices alone can rebuild;
- from the package's start (half photo, half style tiled), 60 steps: what stylize's results start near;
- from noise, 60 steps, with the sliced Wasserstein term of benchmarks/style_sliced.py added to the Grams: a
  texture model that matches each level's whole feature distribution (Heitz et al. 2021).
Layout and edges are printed too (with α = 0 they should be near 0 from noise). Tuning pairs only.
"""
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit.style.quality import TUNING_PAIRS
from style_sliced import run as sliced_run

#: (label, start, steps, sliced weight)
RUNS = [("Grams, from noise, 60 steps", "noise", 60, 0.0), ("Grams, from noise, 200 steps", "noise", 200, 0.0),
        ("Grams, from half photo half style, 60 steps", "mix", 60, 0.0),
        ("Grams + sliced, from noise, 60 steps", "noise", 60, 1.0)]


def run(photo, name, seed, init, steps, sliced, extractor=None):
    """style_sliced.run with no photo to keep (α 0, no edge term) and the extractor's own levels' weights (None: the
    package's pyramid, levels weighted 4, 2, 1, 1, 1; an extractor without ``default_layer_weights``: equal)."""
    return sliced_run(photo, name, seed, dict(content_weight=0.0, edge_weight=0.0, sliced_weight=sliced,
                                              layer_weights=None), steps=steps, init=init, extractor=extractor)


def main():
    print("| run | " + " | ".join(f"{p} × {n}{f' ({s})' if s else ''}" for p, n, s in TUNING_PAIRS)
          + " | texture ≤ 0.5 | mean texture |")
    print("|---|" + "---|" * len(TUNING_PAIRS) + "---:|---:|")
    for label, init, steps, sliced in RUNS:
        t = time.perf_counter()
        rows = [run(p, n, s, init, steps, sliced) for p, n, s in TUNING_PAIRS]
        cells = [f"{r['texture']:.2f} ({r['layout']:.2f}, {r['edges']:.2f})" for r in rows]
        print(f"| {label} | " + " | ".join(cells) + f" | {sum(r['texture'] <= 0.5 for r in rows)} | "
              f"{np.mean([r['texture'] for r in rows]):.2f} |  ({time.perf_counter() - t:.0f} s)", flush=True)
    print("\n(texture (layout, edges) per cell; α = 0, no edge term: no photo to keep.)")


if __name__ == "__main__":
    main()
