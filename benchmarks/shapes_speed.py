"""How fast cnnkit.data.make_shapes renders: images per second at a few sizes (vectorised NumPy, one core).

    python benchmarks/shapes_speed.py               # 10,000 images at 32², 2,000 at 64², 500 at 128²
    python benchmarks/shapes_speed.py --repeat 5    # best of 5

Prints wall and CPU time (best of --repeat) and images per CPU second for each size, and the machine. On a shared
machine trust the CPU column: it is what the work costs on one free core.
"""
import argparse
import os
import platform
import time

from cnnkit.data import make_shapes

CASES = ((10_000, 32), (2_000, 64), (500, 128))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is reported")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"{'images':>8} {'size':>6} {'wall s':>8} {'CPU s':>7} {'images/s (CPU)':>15}")
    for n, size in CASES:
        best = (float("inf"), float("inf"))
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            make_shapes(n, size=size, seed=0)
            best = min(best, (time.perf_counter() - wall, time.process_time() - cpu), key=lambda t: t[1])
        print(f"{n:>8,} {size:>5}² {best[0]:>8.2f} {best[1]:>7.2f} {n / best[1]:>15,.0f}")


if __name__ == "__main__":
    main()
