"""Re-execute the course notebooks (in place, or into another folder) and check the house rules on the result.

Refresh every committed notebook (one real top-to-bottom run each), from the repository's folder::

    python -m tools.notebook_runner                 # all of notebooks/
    python -m tools.notebook_runner notebooks/02_convolution.ipynb

Run them without touching the committed files: the executed copies go to another folder::

    python -m tools.notebook_runner -o /tmp/executed notebooks/02_convolution.ipynb

Check without running (execution order, errors, log noise, size, badge, checked cells)::

    python -m tools.notebook_runner --check

From any other folder, give the script's path instead of ``-m`` (notebook paths are then taken from that
folder; with none, every notebook of the course is run)::

    python ~/cnnkit/tools/notebook_runner.py -o executed 02_convolution.ipynb

Each notebook's kernel runs in the notebook's own folder (as Jupyter runs it), whichever folder you start from.
"""
import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
MAX_BYTES = 2 * 1024 * 1024
NOISE = re.compile(r"warn|W0000|I0000|E0000|oneDNN|cuda|Traceback", re.I)


def problems(path):
    """House-rule problems of an executed notebook at ``path`` (an empty list when it is clean)."""
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    found = []
    counts = [c.get("execution_count") for c in code]
    if any(n is None for n in counts):
        found.append(f"{sum(n is None for n in counts)} code cells never executed")
    elif counts != list(range(1, len(counts) + 1)):
        found.append("execution counts are not 1..n (not one top-to-bottom run)")
    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"code cell {i + 1}: error output {out.get('ename')}")
            if out.get("name") == "stderr" and NOISE.search("".join(out.get("text", ""))):
                found.append(f"code cell {i + 1}: warning or log noise on stderr")
    if path.stat().st_size > MAX_BYTES:
        found.append(f"{path.stat().st_size / 1e6:.1f} MB (limit 2 MB)")
    text = "".join("".join(c["source"]) for c in nb["cells"])
    if f"notebooks/{path.name}" not in text or "colab.research.google.com" not in text:
        found.append("no Colab badge pointing at this file")
    if "NBVAL_" in text:
        found.append("nbval markers written as comments in the code: use cell tags (nbval-check-output, ...)")
    if sum("nbval-check-output" in c.get("metadata", {}).get("tags", []) for c in code) < 3:
        found.append("fewer than 3 cells tagged nbval-check-output")
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in code):
        found.append("no code cell tagged 'parameters'")
    return found


def execute(path, timeout=1200, *, output=None):
    """Run the notebook at ``path`` top to bottom in a fresh kernel and save it (in place, or to ``output``).

    Returns the seconds the run took. The kernel's working folder is the notebook's own folder either way.
    """
    import nbformat
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)  # the kernel's environment; this process's own is left alone
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - start
    nbformat.write(nb, path if output is None else output)
    return seconds


def _target(path, output):
    """Where the executed copy of ``path`` goes: ``path`` itself, or ``output/<name>``."""
    if output is None:
        return path
    output.mkdir(parents=True, exist_ok=True)
    if output.resolve() == path.resolve().parent:
        raise SystemExit(f"--output {output} is the notebooks' own folder: that would overwrite them "
                         "(leave --output out to refresh them in place)")
    return output / path.name


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="notebooks (default: every notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="only check the house rules, run nothing")
    parser.add_argument("-o", "--output", type=Path, metavar="FOLDER",
                        help="write the executed notebooks into FOLDER instead of over the committed ones")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)} (paths are taken from {Path.cwd()})")
    failed = False
    for path in paths:
        target = path
        if not args.check:
            target = _target(path, args.output)
            seconds = execute(path, output=target)
            print(f"{path.name}: executed in {seconds:.1f} s" + (f", written to {target}" if target != path else ""))
        elif args.output is not None:
            target = args.output / path.name
        issues = problems(target)
        failed |= bool(issues)
        print(f"{path.name}: " + ("ok" if not issues else "; ".join(issues)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
