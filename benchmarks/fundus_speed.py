"""How fast the lesson-08 data is made: synthetic fundus images, and Ben Graham's preprocessing.

    python benchmarks/fundus_speed.py               # 2,000 fundus images at 128², 500 at 256²; Graham on both
    python benchmarks/fundus_speed.py --repeat 3    # best of 3

Prints wall time and CPU time (process time: what one core spent, meaningful on a busy machine)
for each case, images per second, and the machine it ran on.
"""
import argparse
import os
import platform
import time

import numpy as np

from cnnkit.medical import make_fundus
from cnnkit.medical.graham import ben_graham

CASES = ((2_000, 128), (500, 256))


def timed(fn, repeat):
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        out = fn()
        best_wall, best_cpu = min(best_wall, time.perf_counter() - wall), min(best_cpu, time.process_time() - cpu)
    return out, best_wall, best_cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the best is reported")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
          f" · load average {os.getloadavg()[0]:.1f}")
    print(f"{'task':<34} {'wall s':>8} {'CPU s':>8} {'images/s (CPU)':>15}")
    for n, size in CASES:
        data, wall, cpu = timed(lambda: make_fundus(n, size=size, seed=0), args.repeat)
        print(f"{f'make_fundus({n:,}, size={size})':<34} {wall:>8.2f} {cpu:>8.2f} {n / cpu:>15,.0f}")
        photos = np.round(data.train.x[:200] * 255).astype(np.uint8)
        _, wall, cpu = timed(lambda: [ben_graham(p, radius=size // 2) for p in photos], args.repeat)
        print(f"{f'ben_graham × 200 at {size}²':<34} {wall:>8.2f} {cpu:>8.2f} {200 / cpu:>15,.0f}")


if __name__ == "__main__":
    main()
