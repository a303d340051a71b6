"""Does style transfer show the style? Statistics the optimiser never sees, for 3 styles × 3 photos at CPU defaults.

    python benchmarks/style_quality.py               # 9 transfers at notebook 07's CPU defaults (a few minutes)
    python benchmarks/style_quality.py --steps 20    # a quick look

For each result (cnnkit.style.stylize with its defaults, offline: the random multi-scale filters):
colour = sliced Wasserstein distance of the result's pixel colours to the style's, over the content's;
texture = distance of a fixed Gabor bank's energy statistics to the style's, over the content's (both goals ≤ 0.5);
layout = correlation of the result's blurred luminance with the content's (goal ≥ 0.35).
See cnnkit.style.quality. Prints a Markdown table for benchmarks/README.md.
"""
import argparse
import os
import platform
import time

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style import STYLE_NAMES, make_style_image
from cnnkit.style.quality import scores

PHOTOS = ("chelsea", "coffee", "astronaut")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256, help="the result's longer side (notebook 07's CPU default)")
    parser.add_argument("--steps", type=int, default=60, help="L-BFGS iterations (notebook 07's CPU default)")
    parser.add_argument("--save", default="", help="a folder to save the results as PNG")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"{args.size} px, {args.steps} steps")
    rows, extractor, start = [], "auto", time.perf_counter()
    for name in STYLE_NAMES:
        style_image = style.fit_size(make_style_image(name, size=256), 256)
        for photo in PHOTOS:
            t = time.perf_counter()
            r = style.stylize(photo, style_image, max_side=args.size, steps=args.steps, extractor=extractor,
                              progress=False)
            extractor = r.extractor  # built once (the printed line says which), reused
            content = style.fit_size(style.as_rgb_image(photo), args.size)
            s = scores(r.image, content, style_image)
            ok = s["colour"] <= 0.5 and s["texture"] <= 0.5 and s["layout"] >= 0.35
            rows.append((name, photo, s, ok, time.perf_counter() - t))
            if args.save:
                from PIL import Image

                os.makedirs(args.save, exist_ok=True)
                Image.fromarray(r.image).save(os.path.join(args.save, f"{name}_{photo}.png"))
            print(f"{name:>13} × {photo:<9} colour {s['colour']:.2f}  texture {s['texture']:.2f}  "
                  f"layout {s['layout']:.2f}  {'ok' if ok else 'FAIL'}  ({time.perf_counter() - t:.0f} s)",
                  flush=True)
    print(f"\nextractor: {style.describe_extractor(extractor)}; {args.size} px, {args.steps} L-BFGS steps; "
          f"total {time.perf_counter() - start:.0f} s, load {os.getloadavg()[0]:.1f}\n")
    print("| style | photo | colour ratio (≤ 0.5) | texture ratio (≤ 0.5) | layout corr. (≥ 0.35) | holds |")
    print("|---|---|---:|---:|---:|:---:|")
    for name, photo, s, ok, _ in rows:
        print(f"| {name} | {photo} | {s['colour']:.2f} | {s['texture']:.2f} | {s['layout']:.2f} | "
              f"{'yes' if ok else '**no**'} |")
    print(f"\n{sum(ok for *_, ok, _ in rows)} of {len(rows)} hold all three goals.")


if __name__ == "__main__":
    main()
