"""Which part of the texture statistic does the edge term move? (issue 18: why kept outlines cost texture)

    python benchmarks/style_texture_parts.py          # three tuning pairs × edge weights 0, 0.1, 1 (~3 min on 2 cores)
    python benchmarks/style_texture_parts.py --composite   # no optimisation: the style drawn over the photo by hand
    python benchmarks/style_texture_parts.py --gray        # gray textures: is the coloured speckle what misses?

For each result of cnnkit.style.stylize at notebook 07's CPU defaults (256 px, 60 L-BFGS steps) with the edge term's
weight 0, 0.1 (the default) and 1 (its magnitudes unblurred, edge_blur 0, as when this ran), and for the
match_histograms recolouring of the photo, prints the texture distance (cnnkit.style.quality), its four parts (cnnkit.style.texture.texture_gaps: energy, sparseness, orientations,
octaves), and per octave (wavelengths 4, 8, 16 px) the luminance energy gap (log) and the sparseness gap (std / mean
of the luminance Gabor magnitudes, result − style; the style's own sparseness beside it).

``--composite`` asks whether the goals can be met together at all on dense, high-contrast patterns, without an
optimiser: the style tiled over the photo (as stylize's "style" start), its brightness scaled by the photo's blurred
brightness (strength a: ``1 − a + a·layout``) and darkened along the photo's outlines (strength k: ``1 − k·edges``,
Sobel magnitudes normalised by their 99th percentile), scored on four tuning pairs for a, k in 0.3, 0.6, 0.9.

``--gray`` asks how a gray style (scikit-image's brick, gravel, grass) should be handled: three results at the package
defaults (256 px, 60 L-BFGS steps): optimised in colour (what stylize returned before: coloured speckle the style
lacks), that result's luminance copied to three channels (the speckle removed, nothing else changed: what stylize
returns now), and optimised gray (the start and every step averaged over the channels). First on GRAY_TUNING_PAIRS
(the tuning photos, in no held-out set: the choice, by the rule of style_quality.py), then on the 10 held-out pairs
with a gray style (the report).
"""
import argparse
import os
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.controls import recolour
from cnnkit.style.quality import scores
from cnnkit.style.texture import _gaps, _log_energy_gap, texture_statistics

PAIRS = (("chelsea", "swirls", 0), ("astronaut", "checks", 1), ("astronaut", "mosaic", 0))


def parts(image, style_image):
    a, r = texture_statistics(image), texture_statistics(style_image)
    energy = _log_energy_gap(a, r)[0].mean(axis=1)                 # luminance, per octave
    gaps = ", ".join(f"{k} {v:.2f}" for k, v in _gaps(a, r).items())   # texture_gaps, from the same statistics
    return (f"gaps: {gaps}; per octave: luminance energy {np.round(energy, 2)}, sparseness "
            f"{np.round((a['sparseness'] - r['sparseness']).mean(1), 2)} (the style's {np.round(r['sparseness'].mean(1), 2)})")


def composites():
    from scipy.ndimage import gaussian_filter, sobel

    from cnnkit.style.engine import _style_tiles
    from cnnkit.style.quality import missed_goals

    for photo, name, seed in PAIRS + (("chelsea", "stripes", 1),):
        s_img = make_style_image(name, size=256, seed=seed)
        content = style.fit_size(style.as_rgb_image(photo), 256)
        tiles = _style_tiles(s_img, content.shape)
        lum = content.astype(np.float64) @ [0.299, 0.587, 0.114] / 255
        layout = gaussian_filter(lum, 6)
        layout = (layout - layout.min()) / (np.ptp(layout) + 1e-9)
        edges = np.hypot(sobel(gaussian_filter(lum, 1.5), 0), sobel(gaussian_filter(lum, 1.5), 1))
        edges = np.clip(edges / np.percentile(edges, 99), 0, 1)
        for a in (0.3, 0.6, 0.9):
            for k in (0.3, 0.6, 0.9):
                image = np.clip(tiles * ((1 - a) + a * layout)[..., None] * (1 - k * edges)[..., None], 0, 1)
                sc = scores((image * 255).astype(np.uint8), content, s_img)
                print(f"{photo} × {name}{f' (seed {seed})' if seed else ''}, a {a}, k {k}: "
                      + ", ".join(f"{q} {sc[q]:.2f}" for q in ("colour", "texture", "layout", "edges"))
                      + f"; missed: {', '.join(missed_goals(sc)) or 'none'}", flush=True)


#: the tuning photos × the gray textures: pairs in no held-out set, on which the way a gray style is handled is chosen
GRAY_TUNING_PAIRS = (("chelsea", "brick", 0), ("coffee", "gravel", 0), ("astronaut", "grass", 0))


def _on_gray(loss):
    """The loss of each image's channel mean, copied to its three channels: its gradient is the same in every channel,
    so an optimisation started from a gray image stays gray."""
    import tensorflow as tf

    def gray_loss(images):
        return loss(tf.repeat(tf.reduce_mean(images, axis=-1, keepdims=True), 3, axis=-1))

    return gray_loss


def gray():
    from cnnkit.images import load_image
    from cnnkit.style._optimize import _Recorder, _run_lbfgs, _to_uint8_image
    from cnnkit.style.engine import _gray, _initial_image
    from cnnkit.style.losses import StyleContentLoss
    from cnnkit.style.quality import FIRST_HELD_OUT_PAIRS, HELD_OUT_PAIRS, THIRD_HELD_OUT_PAIRS, meets_goals

    began = time.perf_counter()
    extractor = style.make_extractor("pyramid", seed=0)
    sets = (("tuning", GRAY_TUNING_PAIRS), ("fresh", HELD_OUT_PAIRS), ("first", FIRST_HELD_OUT_PAIRS),
            ("third", THIRD_HELD_OUT_PAIRS))
    print("| set | photo × style | optimised in colour (stylize before) | its luminance in 3 channels (stylize now) | "
          "optimised gray (start and steps) |")
    print("|---|---|---|---|---|")
    for label, pairs in sets:
        for photo, name, _ in pairs:
            if name not in ("brick", "gravel", "grass"):
                continue
            s_img = style.fit_size(load_image(name), 256)
            content = style.fit_size(style.as_rgb_image(photo), 256)
            loss = StyleContentLoss(extractor, content[None] / np.float32(255), s_img[None] / np.float32(255))
            x0 = _initial_image("mix", content, s_img, 0)
            images = []
            for objective, start in ((loss, x0), (_on_gray(loss), np.repeat(x0.mean(-1, keepdims=True), 3, -1))):
                record = _Recorder(60, 0, False)
                _run_lbfgs(objective, start, 60, record)
                images.append(_to_uint8_image(record.last_image))
            cells = []
            for im in (images[0], _gray(images[0]), images[1]):                 # _gray: what stylize returns now
                sc = scores(im, content, s_img)
                cells.append(", ".join(f"{sc[q]:.2f}" for q in ("colour", "texture", "layout", "edges"))
                             + (" (holds)" if meets_goals(sc) else ""))
            print(f"| {label} | {photo} × {name} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n(colour, texture, layout, edges per cell; {time.perf_counter() - began:.0f} s, load "
          f"{os.getloadavg()[0]:.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--composite", action="store_true", help="score hand-made composites instead")
    parser.add_argument("--gray", action="store_true", help="gray-texture pairs, with and without their colour")
    args = parser.parse_args()
    if args.composite:
        return composites()
    if args.gray:
        return gray()
    for photo, name, seed in PAIRS:
        s_img = make_style_image(name, size=256, seed=seed)
        content = style.fit_size(style.as_rgb_image(photo), 256)
        rec = recolour(content, s_img)
        print(f"{photo} × {name}{f' (seed {seed})' if seed else ''}\n  recolouring: {parts(rec, s_img)}")
        for weight in (0.0, 0.1, 1.0):
            r = style.stylize(photo, s_img, max_side=256, steps=60, extractor="pyramid", progress=False,
                              loss_options={"edge_weight": weight, "edge_blur": 0.0})   # unblurred, as it ran
            sc = scores(r.image, content, s_img)
            print(f"  edge weight {weight:g}: texture {sc['texture']:.2f}, edges {sc['edges']:.2f}; "
                  f"{parts(r.image, s_img)}", flush=True)


if __name__ == "__main__":
    main()
