"""Instant stylisation (cnnkit.style.fast): frames per second at 256 × 256 on this machine, and what it gives.

    python benchmarks/style_fast.py                      # both shipped styles, 5 rounds of 20 frames each
    python benchmarks/style_fast.py --rounds 10 --save benchmarks/style_fast

Speed: one compiled forward pass (FastStylizer.batch, a tf.function) on a 1×256×256×3 float batch, timed frame by
frame after a warm-up; rounds alternate between the styles so load from other processes hits both alike. Reports the
median and the fastest frame (frames/s = 1 / time), and the load average. Goal: ≥ 20 frames/s.
Quality: the held-out photos of benchmarks/style_quality.py (none was a training photo) through each network, scored
by cnnkit.style.quality like the optimisation's results (the recolouring control scores texture 1).
"""
import argparse
import os
import platform
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)
import tensorflow as tf

from cnnkit import style
from cnnkit.style import make_style_image
from cnnkit.style.fast import FAST_STYLES, load_stylizer
from cnnkit.style.quality import GOALS, scores

PHOTOS = ("rocket", "motorcycle", "china", "flower", "grace_hopper", "camera")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--save", default="", help="a folder for the stylised held-out photos (a contact sheet)")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, TF {tf.__version__}, "
          f"load {os.getloadavg()[0]:.1f}")
    nets = {name: load_stylizer(name) for name in FAST_STYLES}
    x = tf.constant(np.random.default_rng(0).uniform(size=(1, 256, 256, 3)).astype("float32"))
    for st in nets.values():
        st.batch(x).numpy()                                          # trace and warm up
    times = {name: [] for name in nets}
    for _ in range(args.rounds):
        for name, st in nets.items():
            for _ in range(args.frames):
                t = time.perf_counter()
                st.batch(x).numpy()
                times[name].append(time.perf_counter() - t)
    print("\n| style | weights | frame ms (fastest / median) | frames/s (fastest / median) | goal ≥ 20 |")
    print("|---|---:|---:|---:|:---:|")
    for name, st in nets.items():
        t = np.asarray(times[name])
        print(f"| {name} | {st.model.count_params():,} | {1e3 * t.min():.1f} / {1e3 * np.median(t):.1f} | "
              f"{1 / t.min():.0f} / {1 / np.median(t):.0f} | {'yes' if 1 / np.median(t) >= 20 else 'no'} |")
    print(f"\n{args.rounds} rounds × {args.frames} frames per style at 256 × 256; load {os.getloadavg()[0]:.1f}")
    print("\n| style | photo | colour (≤ 0.5) | texture (≤ 0.5) | layout (≥ 0.5) |")
    print("|---|---|---:|---:|---:|")
    sheet = []
    for name, st in nets.items():
        s_img = make_style_image(name, size=256)
        row = []
        for photo in PHOTOS:
            content = style.fit_size(style.as_rgb_image(photo), 256)
            out = st(content)
            q = scores(out, content, s_img)
            print(f"| {name} | {photo} | {q['colour']:.2f} | {q['texture']:.2f} | {q['layout']:.2f} |")
            box = np.full((256, 256, 3), 255, np.uint8)
            box[:out.shape[0], :out.shape[1]] = out
            row.append(box)
        sheet.append(np.concatenate(row, axis=1))
    print(f"\ngoals: colour ≤ {GOALS['colour']}, texture ≤ {GOALS['texture']}, layout ≥ {GOALS['layout']}")
    if args.save:
        from PIL import Image

        os.makedirs(args.save, exist_ok=True)
        img = Image.fromarray(np.concatenate(sheet, axis=0))
        img.resize((img.width // 2, img.height // 2), Image.Resampling.LANCZOS).save(
            os.path.join(args.save, "contact_sheet.png"), optimize=True)
        print(f"contact sheet: {args.save}/contact_sheet.png (rows: {', '.join(nets)}; columns: {', '.join(PHOTOS)})")


if __name__ == "__main__":
    main()
