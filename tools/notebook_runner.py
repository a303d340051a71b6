"""Re-execute the course notebooks in place and check the house rules on the result.

Refresh every committed notebook (one real top-to-bottom run each)::

    python -m tools.notebook_runner                 # all of notebooks/
    python -m tools.notebook_runner notebooks/02_convolution.ipynb

Check without running (execution order, errors, log noise, size, badge, checked cells)::

    python -m tools.notebook_runner --check
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


def execute(path, timeout=1200):
    """Run the notebook at ``path`` top to bottom in a fresh kernel, save it in place, return seconds."""
    import nbformat
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)  # the kernel's environment; this process's own is left alone
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="notebooks (default: every notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="only check the house rules, run nothing")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.paths] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    failed = False
    for path in paths:
        if not args.check:
            seconds = execute(path)
            print(f"{path.name}: executed in {seconds:.1f} s")
        issues = problems(path)
        failed |= bool(issues)
        print(f"{path.name}: " + ("ok" if not issues else "; ".join(issues)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
