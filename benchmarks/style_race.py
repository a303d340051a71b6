"""A fair optimiser race: L-BFGS against Adam at its best learning rate, to the same held-out quality.

    python benchmarks/style_race.py                 # Adam's grid on 3 tuning pairs, then the race on 3 held-out pairs
    python benchmarks/style_race.py --lr 0.02       # skip the grid

1. Adam's learning rate (Keras' Adam, its default β₁ 0.9 and ε 1e-7, pixels clipped to [0, 1]) is chosen from a grid
   on tuning pairs (benchmarks/style_quality.py's): the rate with the lowest loss after --adam-steps steps, as a
   fraction of the starting loss, averaged over the pairs.
2. On held-out pairs, both start from the same image with the same loss (cnnkit.style.stylize's defaults); L-BFGS runs
   --lbfgs-steps iterations, Adam --adam-steps steps, each keeping a frame every few steps. The target is the quality
   L-BFGS ends at (cnnkit.style.quality: texture within 10 %, colour within 10 % or under its goal, layout and edges
   within 0.05 or over their goals); each optimiser's time is the wall time (from the start, compilation included) of its first
   frame at the target. The ratio is Adam's time over L-BFGS's; "> x" where Adam never got there.
"""
import argparse
import os
import platform
import sys

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)

from cnnkit import style
from cnnkit.style.quality import GOALS, scores

sys.path.insert(0, os.path.dirname(__file__))
from style_quality import HELD_OUT, TUNING, style_image  # noqa: E402

GRID = (0.02, 0.05, 0.1, 0.2)   # a first grid (0.005-0.05) put the best at its top end
RACE = [HELD_OUT[0], HELD_OUT[3], HELD_OUT[6]]


def reached(q, target):
    return (q["texture"] <= target["texture"] and q["colour"] <= target["colour"]
            and q["layout"] >= target["layout"] and q["edges"] >= target["edges"])


def first_at(result, content, s_img, target):
    """(steps, seconds) of the first frame at the target, or None."""
    for (n, frame) in result.frames:
        if reached(scores(frame, content, s_img), target):
            return n, result.history["time"][n]
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--lbfgs-steps", type=int, default=60)
    parser.add_argument("--adam-steps", type=int, default=240)
    parser.add_argument("--lr", type=float, default=None, help="skip the grid and race Adam at this rate")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {args.size} px")
    ex = style.make_extractor("auto", seed=0)
    lr = args.lr
    if lr is None:
        print(f"\nAdam's grid on tuning pairs ({args.adam_steps} steps; loss at the end / loss at the start):\n")
        print("| learning rate | " + " | ".join(f"{p} × {n}" for p, n, _ in TUNING[:3]) + " | mean |")
        print("|---:|" + "---:|" * 4)
        means = {}
        for rate in GRID:
            fracs = []
            for photo, name, seed in TUNING[:3]:
                r = style.stylize(photo, style_image(name, seed), max_side=args.size, steps=args.adam_steps,
                                  extractor=ex, optimizer="adam", learning_rate=rate, progress=False)
                fracs.append(r.history["total"][-1] / r.history["total"][0])
            means[rate] = float(np.mean(fracs))
            print(f"| {rate:g} | " + " | ".join(f"{f:.3f}" for f in fracs) + f" | {means[rate]:.3f} |", flush=True)
        lr = min(means, key=means.get)
        print(f"\nbest learning rate on the tuning pairs: {lr:g}")
    print(f"\n### The race on held-out pairs (Adam at {lr:g}; load {os.getloadavg()[0]:.1f})\n")
    print("| photo × style | L-BFGS's end: colour, texture, layout, edges | target | L-BFGS: steps, s | Adam: steps, s "
          "| Adam's time / L-BFGS's |")
    print("|---|---|---|---|---|---:|")
    ratios = []
    for photo, name, seed in RACE:
        s_img = style_image(name, seed)
        content = style.fit_size(style.as_rgb_image(photo), args.size)
        lb = style.stylize(photo, s_img, max_side=args.size, steps=args.lbfgs_steps, extractor=ex,
                           frame_every=3, progress=False)
        ad = style.stylize(photo, s_img, max_side=args.size, steps=args.adam_steps, extractor=ex, optimizer="adam",
                           learning_rate=lr, frame_every=6, progress=False)
        end = scores(lb.image, content, s_img)
        target = {"texture": 1.1 * end["texture"], "colour": max(1.1 * end["colour"], GOALS["colour"]),
                  "layout": min(end["layout"] - 0.05, GOALS["layout"]),
                  "edges": min(end["edges"] - 0.05, GOALS["edges"])}
        hit_l, hit_a = first_at(lb, content, s_img, target), first_at(ad, content, s_img, target)
        if hit_a is None:
            text = f"> {ad.seconds / hit_l[1]:.1f}×"
            ratios.append(None)
        else:
            ratios.append(hit_a[1] / hit_l[1])
            text = f"{ratios[-1]:.1f}×"
        print(f"| {photo} × {name}{f' (seed {seed})' if seed else ''} | {end['colour']:.2f}, {end['texture']:.2f}, "
              f"{end['layout']:.2f}, {end['edges']:.2f} | ≤ {target['colour']:.2f}, ≤ {target['texture']:.2f}, "
              f"≥ {target['layout']:.2f}, ≥ {target['edges']:.2f} | "
              f"{hit_l[0]}, {hit_l[1]:.1f} | "
              + (f"{hit_a[0]}, {hit_a[1]:.1f}" if hit_a else f"not in {args.adam_steps} ({ad.seconds:.1f} s)")
              + f" | {text} |", flush=True)
    print(f"\nload {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
