"""One lock file per supported Python (requirements-lock-py3XX.txt), each complete and resolvable for its version.

The quick tests read the files. The slow one asks the package index: it resolves each lock again for its own
Python (``uv pip compile --python-version 3.X``, or pip's ``install --dry-run --python-version 3.X`` where uv is
absent) and checks that the answer is the lock itself: every pinned version exists for that Python with its
dependencies met, and nothing is missing (the old single lock failed on 3.10, contourpy 1.3.3 needing 3.11, and
left audioop-lts and three standard-* packages unpinned on 3.13). It does not install anything or run the course on
each Python; it needs no interpreter of that version (uv and pip resolve for a target version).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MINORS = (10, 11, 12, 13)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def lock_path(minor):
    return REPO / f"requirements-lock-py3{minor}.txt"


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text):
    """``{package: version}`` of a lock (or of uv's or pip's answer in the same format)."""
    return {_norm(m.group(1)): m.group(2) for m in map(PIN.match, text.splitlines()) if m}


def _requirement_names():
    lines = [line.split("#")[0].strip() for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    return {_norm(re.split(r"[<>=!~ ;\[]", line, maxsplit=1)[0]) for line in lines if line and not line.startswith("-")}


@pytest.mark.parametrize("minor", MINORS)
def test_each_supported_python_has_a_complete_lock(minor):
    text = lock_path(minor).read_text(encoding="utf-8")
    assert f"--python-version 3.{minor} " in text.splitlines()[1] + " ", "the header must name its Python"
    assert f"-o requirements-lock-py3{minor}.txt" in text.splitlines()[1]
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert "-e ." in lines, "the lock installs the course itself"
    unpinned = [line for line in lines if line != "-e ." and not PIN.match(line)]
    assert not unpinned, f"lines without an exact pin: {unpinned}"
    on_python = {name for name in _requirement_names()
                 if not (name == "tomli" and minor >= 11)}             # tomli: Python 3.10 only
    assert on_python <= set(pins(text)), f"not pinned: {sorted(on_python - set(pins(text)))}"


def test_no_single_lock_left_behind():
    assert not (REPO / "requirements-lock.txt").exists(), "one lock per Python: requirements-lock-py3XX.txt"
    assert sorted(p.name for p in REPO.glob("requirements-lock*.txt")) == [lock_path(m).name for m in MINORS]


def test_pins_reads_a_lock_as_pip_writes_it():
    text = "-e .\nnumpy==2.4.6\n    # via scipy\nTyping_Extensions==4.1 ; python_version < '3.11'\n# numpy==1\n"
    assert pins(text) == {"numpy": "2.4.6", "typing-extensions": "4.1"}


def _index_reachable():
    from cnnkit._net import network_available

    index = os.environ.get("UV_INDEX_URL") or os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple"
    parts = urllib.parse.urlsplit(index)
    if parts.scheme == "file":
        return True
    return network_available(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), timeout=5.0)


def _uv():
    found = shutil.which("uv")
    if found is None:
        try:
            from uv import find_uv_bin
        except ImportError:
            return None
        found = find_uv_bin()
    return found


def _resolve(lock, minor, tmp_path):
    """The pins the index gives for ``lock`` on Python 3.``minor`` (without the editable course itself)."""
    text = "\n".join(line for line in lock.read_text(encoding="utf-8").splitlines() if line.strip() != "-e .")
    pinned = tmp_path / f"pins-py3{minor}.txt"
    pinned.write_text(text + "\n", encoding="utf-8")
    uv = _uv()
    if uv is not None:
        out = subprocess.run([uv, "pip", "compile", str(pinned), "--python-version", f"3.{minor}", "--no-header",
                              "--no-annotate", "-q"], capture_output=True, text=True, timeout=900)
        assert out.returncode == 0, f"Python 3.{minor}: uv cannot resolve {lock.name}:\n{out.stderr[-3000:]}"
        return pins(out.stdout)
    report = tmp_path / f"report-py3{minor}.json"
    out = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                          "--python-version", f"3.{minor}", "--only-binary=:all:", "--target", str(tmp_path / "t"),
                          "--report", str(report), "-r", str(pinned)],
                         capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, f"Python 3.{minor}: pip cannot resolve {lock.name}:\n{out.stderr[-3000:]}"
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {_norm(i["metadata"]["name"]): i["metadata"]["version"] for i in installs}


@pytest.mark.slow
@pytest.mark.parametrize("minor", MINORS)
def test_each_lock_resolves_for_its_python_as_it_is(minor, tmp_path):
    if not _index_reachable():
        pytest.skip("the package index is unreachable from here (this test asks it)")
    lock = lock_path(minor)
    wanted = pins(lock.read_text(encoding="utf-8"))
    got = _resolve(lock, minor, tmp_path)
    assert got == wanted, (f"Python 3.{minor}: {lock.name} is not what the index resolves: "
                           f"missing from the lock {sorted(set(got) - set(wanted))}, "
                           f"changed {sorted(k for k in wanted if k in got and got[k] != wanted[k])}, "
                           f"dropped {sorted(set(wanted) - set(got))}")
