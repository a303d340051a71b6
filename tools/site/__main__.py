"""``python -m tools.site``: build the course website into build/site/ (offline, from the committed notebooks)."""
import argparse
import sys

from tools.site import OUT, SOURCE, build


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.site", description=__doc__)
    parser.add_argument("--out", default=str(OUT), help="output folder (default: build/site)")
    parser.add_argument("--src", default=str(SOURCE), help="where the Sphinx sources are written (build/site-src)")
    parser.add_argument("--fresh", action="store_true", help="rebuild every page (default: only what changed)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary and warnings")
    args = parser.parse_args(argv)
    result = build(args.out, src=args.src, quiet=args.quiet, fresh=args.fresh)
    for line in result.warnings:
        print(line, file=sys.stderr)
    print(f"built {len(result.pages)} pages into {result.out} in {result.seconds:.0f} s "
          f"({len(result.warnings)} warnings); open {result.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
