"""Train the course's instant stylisers (cnnkit.style.fast, Johnson et al. 2016) and write their weights.

    python -m tools.train_stylizer stripes mosaic          # the shipped weights: cnnkit/style/weights/
    python -m tools.train_stylizer dots --steps 300 --out /tmp/w

One small transformation network per style (cnnkit.style.fast.build_transformer), trained with Adam on random
128 × 128 crops (flipped at random) of photos that ship with scikit-image, each resized to a longer side of 256 px
(the scale notebook 07 stylises at), with the optimisation's own loss (the crop's layout, the style's normalised
Gram matrices on the offline pyramid, isotropic TV). The photos the style benchmarks hold out (rocket, motorcycle,
china, flower, grace_hopper, camera) and chelsea, the notebook's photo, are not among them. Writes
``{style}.weights.h5`` and ``{style}.json`` (the command, the settings, the training time and the loss curve,
averaged every 50 steps).
"""
import argparse
import os
import platform
import sys
import time

import numpy as np

import cnnkit  # noqa: F401  (before tensorflow)

#: training photos (scikit-image's sample data; none of the held-out photos, not the notebook's chelsea)
TRAIN_PHOTOS = ("coffee", "astronaut", "hubble_deep_field", "immunohistochemistry", "coins", "moon",
                "retina", "colorwheel")


def photos():
    import skimage.data

    from cnnkit.images import as_rgb

    return [as_rgb(getattr(skimage.data, name)(), name) for name in TRAIN_PHOTOS]


def main():
    from cnnkit.device import set_seed
    from cnnkit.style import make_style_image
    from cnnkit.style.fast import WEIGHTS_DIR, save_stylizer, train_stylizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("styles", nargs="+", help="make_style_image names")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--crop", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--content-weight", type=float, default=1.0)
    parser.add_argument("--tv-weight", type=float, default=0.01)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--out", default=str(WEIGHTS_DIR))
    args = parser.parse_args()
    pool = photos()
    for name in args.styles:
        set_seed(0)
        print(f"{name}: {args.steps} steps of {args.batch} crops of {args.crop} px; machine {platform.machine()}, "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)
        stylizer, hist = train_stylizer(make_style_image(name, size=256), pool, steps=args.steps, crop=args.crop,
                                        batch=args.batch, learning_rate=args.learning_rate,
                                        content_weight=args.content_weight, tv_weight=args.tv_weight,
                                        width=args.width, blocks=args.blocks, log_every=100)
        curve = np.asarray(hist["loss"])
        every = 50
        save_stylizer(stylizer, args.out, name, style=name, photos=list(TRAIN_PHOTOS),
                      command="python -m tools.train_stylizer " + " ".join(sys.argv[1:]),
                      seconds=round(hist["seconds"], 1), load_average=round(os.getloadavg()[0], 1),
                      trained=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                      loss_every_50_steps=[round(float(v), 4) for v in
                                           curve[:len(curve) // every * every].reshape(-1, every).mean(axis=1)])
        print(f"{name}: {hist['seconds']:.0f} s, loss {curve[:50].mean():.3f} → {curve[-50:].mean():.3f}; "
              f"weights in {args.out}", flush=True)


if __name__ == "__main__":
    main()
