"""Do other starts lift the texture limit? Coarse-to-fine synthesis and a start built from the style's own patches.

    python benchmarks/style_starts.py          # the six tuning pairs, four results each (~6 min on 2 cores at load 1-2)

benchmarks/style_texture_ceiling.py found the offline texture model (normalised Grams of the random pyramid) unable to
rebuild swirls, mosaic and checks from noise at 256 px, and able to hold them only near a copy of the style. Two
starts the literature uses for that, each scored by cnnkit.style.quality (colour, texture, layout, edges; tuning
pairs only, nothing chosen here):
- **coarse to fine** (Gatys et al. 2017; Snelgrove 2017): 60 L-BFGS steps at 64 px, the result upsampled (cubic) as
  the start of 60 at 128 px, then 60 at 256 px, the style resized to each size; α 0 and no edge term, from seeded
  noise, so it is pure texture synthesis, to compare with the ceiling's "from noise, 60 steps" row;
- **the style's patches** (a pixel-level style swap, after Chen & Schmidt 2016 and Efros & Freeman 2001): every
  16-px patch of the photo (stride 8) replaced by the 16-px patch of the style (and its mirror images, stride 2) whose
  luminance and luminance gradients, at 8 × 8, are closest to the photo patch's after the photo's luminance histogram
  is matched to the style's; overlaps blended by a Hann window. Scored as it is, then as the start of 60 steps at the
  package defaults, and of 60 steps with α 0 and no edge term (the style term alone: does it sharpen the pattern
  and keep the photo the patches drew?).
"""
import time

import numpy as np
from skimage.exposure import match_histograms
from skimage.transform import resize

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style.content import _LUMA as LUMA_WEIGHTS
from cnnkit.style.quality import TUNING_PAIRS, meets_goals, missed_goals, scores
from style_quality import style_image

STYLE_ONLY = dict(content_weight=0.0, loss_options={"edge_weight": 0.0})
_LUMA = np.float32(LUMA_WEIGHTS)          # Rec. 601, as the package's layout and edge terms


def coarse_to_fine(photo, style_rgb, sides=(64, 128, 256), steps=60, **options):
    """stylize at each side in turn, from seeded noise, each result upsampled as the next start."""
    image = None
    for side in sides:
        shape = style.fit_size(style.as_rgb_image(photo), side).shape
        init = "noise" if image is None else resize(image / 255.0, shape, order=3).clip(0, 1).astype(np.float32)
        image = style.stylize(photo, style.fit_size(style_rgb, side), max_side=side, style_side=side, steps=steps,
                              init=init, progress=False, **options).image
    return image


def _corners(size, k, step):
    """Top-left corners of k-px windows every ``step`` px along a side of ``size`` px, the last flush with its end."""
    return sorted({*range(0, size - k + 1, step), size - k})


def _describe(luma, desc=8):
    small = resize(luma, (desc, desc), anti_aliasing=True)
    gy, gx = np.gradient(small)
    return np.concatenate([small.ravel(), gx.ravel(), gy.ravel()])


def patch_start(photo_rgb, style_rgb, k=16, stride=8):
    """The photo redrawn with the style's k-px patches (see the module docstring), float H×W×3 in [0, 1]."""
    photo, sty = photo_rgb / np.float32(255), style_rgb / np.float32(255)
    pool, keys = [], []
    for candidate in (sty, sty[::-1], sty[:, ::-1], sty[::-1, ::-1]):
        luma = candidate @ _LUMA
        for y in range(0, candidate.shape[0] - k + 1, 2):
            for x in range(0, candidate.shape[1] - k + 1, 2):
                pool.append(candidate[y:y + k, x:x + k])
                keys.append(_describe(luma[y:y + k, x:x + k]))
    pool, keys = np.asarray(pool), np.asarray(keys, np.float32)
    luma = match_histograms(photo @ _LUMA, sty @ _LUMA)
    corners = [(y, x) for y in _corners(photo.shape[0], k, stride)
               for x in _corners(photo.shape[1], k, stride)]
    query = np.asarray([_describe(luma[y:y + k, x:x + k]) for y, x in corners], np.float32)
    nearest = ((query ** 2).sum(1)[:, None] - 2 * query @ keys.T + (keys ** 2).sum(1)[None]).argmin(1)
    window = np.outer(np.hanning(k + 2)[1:-1], np.hanning(k + 2)[1:-1]).astype(np.float32)
    out, weight = np.zeros_like(photo), np.zeros(photo.shape[:2], np.float32)
    for (y, x), i in zip(corners, nearest):
        out[y:y + k, x:x + k] += pool[i] * window[..., None]
        weight[y:y + k, x:x + k] += window
    return (out / weight[..., None]).clip(0, 1)


def main():
    runs = ["coarse to fine 64 → 128 → 256, from noise, α 0", "the style's patches, as they are",
            "the style's patches, then 60 steps at the defaults", "the style's patches, then 60 steps, α 0"]
    rows = {run: [] for run in runs}
    for photo, name, seed in TUNING_PAIRS:
        t = time.perf_counter()
        style_rgb = style_image(name, seed)
        content = style.fit_size(style.as_rgb_image(photo), 256)
        start = patch_start(content, style_rgb)
        images = [coarse_to_fine(photo, style_rgb, **STYLE_ONLY), (start * 255).round().astype(np.uint8),
                  style.stylize(photo, style_rgb, steps=60, init=start, progress=False).image,
                  style.stylize(photo, style_rgb, steps=60, init=start, progress=False, **STYLE_ONLY).image]
        for run, image in zip(runs, images):
            rows[run].append(scores(image, content, style_rgb))
        print(f"  {photo} × {name} ({seed}): {time.perf_counter() - t:.0f} s", flush=True)
    print("\n| start | " + " | ".join(f"{p} × {n}{f' ({s})' if s else ''}" for p, n, s in TUNING_PAIRS)
          + " | keep the photo | texture ≤ 0.5 | hold all four | mean texture |")
    print("|---|" + "---|" * len(TUNING_PAIRS) + "---:|---:|---:|---:|")
    for run in runs:
        r = rows[run]
        cells = [f"{q['colour']:.2f} / {q['texture']:.2f} / {q['layout']:.2f} / {q['edges']:.2f}" for q in r]
        keep = sum(not {"layout", "edges"} & set(missed_goals(q)) for q in r)
        print(f"| {run} | " + " | ".join(cells) + f" | {keep} | {sum(q['texture'] <= 0.5 for q in r)} | "
              f"{sum(meets_goals(q) for q in r)} | {np.mean([q['texture'] for q in r]):.2f} |")
    print("\n(colour / texture / layout / edges per cell; goals ≤ 0.5, ≤ 0.5, ≥ 0.5, ≥ 0.5.)")


if __name__ == "__main__":
    main()
