"""Which part of the texture statistic does the edge term move? (issue 18: why kept outlines cost texture)

    python benchmarks/style_texture_parts.py          # three tuning pairs × edge weights 0, 0.1, 1 (~3 min on 2 cores)

For each result of cnnkit.style.stylize at notebook 07's CPU defaults (256 px, 60 L-BFGS steps) with the edge term's
weight 0, 0.1 (the default) and 1, and for the match_histograms recolouring of the photo, prints the texture distance
(cnnkit.style.quality) and its parts against the style's statistics (cnnkit.style.texture.texture_statistics):
the luminance energy gap per octave (log, wavelengths 4, 8, 16 px), the sparseness gap per octave (std / mean of the
luminance Gabor magnitudes, result − style; the style's own sparseness beside it), and the RMS gaps of the
orientation and octave correlations.
"""
import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.controls import recolour
from cnnkit.style.quality import scores
from cnnkit.style.texture import texture_statistics

PAIRS = (("chelsea", "swirls", 0), ("astronaut", "checks", 1), ("astronaut", "mosaic", 0))


def parts(image, style_image):
    a, r = texture_statistics(image), texture_statistics(style_image)
    floor = 0.02 * r["energy"][0].sum() + 1e-12
    energy = (np.log(a["energy"] + floor) - np.log(r["energy"] + floor))[0].mean(axis=1)
    rms = lambda k: np.sqrt(np.mean((a[k] - r[k]) ** 2))  # noqa: E731
    return (f"energy gap {np.round(energy, 2)}, sparseness gap {np.round((a['sparseness'] - r['sparseness']).mean(1), 2)}"
            f" (style's {np.round(r['sparseness'].mean(1), 2)}), orientation {rms('orientations'):.2f}, "
            f"octave {rms('octaves'):.2f}")


def main():
    for photo, name, seed in PAIRS:
        s_img = make_style_image(name, size=256, seed=seed)
        content = style.fit_size(style.as_rgb_image(photo), 256)
        rec = recolour(content, s_img)
        print(f"{photo} × {name}{f' (seed {seed})' if seed else ''}\n  recolouring: {parts(rec, s_img)}")
        for weight in (0.0, 0.1, 1.0):
            r = style.stylize(photo, s_img, max_side=256, steps=60, extractor="pyramid", progress=False,
                              loss_options={"edge_weight": weight})
            sc = scores(r.image, content, s_img)
            print(f"  edge weight {weight:g}: texture {sc['texture']:.2f}, edges {sc['edges']:.2f}; "
                  f"{parts(r.image, s_img)}", flush=True)


if __name__ == "__main__":
    main()
