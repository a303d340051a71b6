"""tools.notebook_runner: executed copies elsewhere (--output), any working folder, and a quiet TensorFlow after the
set-up cell whatever a later cell imports first."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import notebook_runner
from tools.badges import setup_source

REPO = Path(__file__).resolve().parent.parent


def tiny(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def fake_execute(calls):
    def execute(path, timeout=1200, *, output=None):
        calls.append((Path(path), output))
        if output is not None and Path(output) != Path(path):
            shutil.copy(path, output)
        return 0.0
    return execute


def test_output_writes_elsewhere_and_leaves_the_notebook_alone(tmp_path, monkeypatch, capsys):
    (tmp_path / "nb").mkdir()
    source = tiny(tmp_path / "nb" / "01_x.ipynb", "print(1)")
    before = source.read_bytes()
    calls = []
    monkeypatch.setattr(notebook_runner, "execute", fake_execute(calls))
    notebook_runner.main([str(source), "-o", str(tmp_path / "out")])
    assert calls == [(source, tmp_path / "out" / "01_x.ipynb")]
    assert source.read_bytes() == before and (tmp_path / "out" / "01_x.ipynb").is_file()
    assert f"written to {tmp_path / 'out' / '01_x.ipynb'}" in capsys.readouterr().out
    calls.clear()
    notebook_runner.main([str(source)])                       # without --output: in place, as before
    assert calls == [(source, source)]


def test_output_refuses_the_notebooks_own_folder(tmp_path, monkeypatch):
    source = tiny(tmp_path / "01_x.ipynb", "print(1)")
    monkeypatch.setattr(notebook_runner, "execute", fake_execute([]))
    with pytest.raises(SystemExit, match="overwrite"):
        notebook_runner.main([str(source), "--output", str(tmp_path)])


def test_a_missing_notebook_is_named_with_the_folder_paths_are_taken_from(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        notebook_runner.main(["02_convolution.ipynb"])
    err = capsys.readouterr().err
    assert "no such notebook: 02_convolution.ipynb" in err and str(tmp_path) in err


def test_the_script_runs_from_another_folder():
    """From notebooks/, the script's path and a notebook's name are enough (python -m needs the repository's folder)."""
    out = subprocess.run([sys.executable, str(REPO / "tools" / "notebook_runner.py"), "--check", "02_convolution.ipynb"],
                         cwd=REPO / "notebooks", capture_output=True, text=True, timeout=120)
    assert out.stdout.startswith("02_convolution.ipynb: "), out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "No module named" not in out.stderr
    everything = subprocess.run([sys.executable, str(REPO / "tools" / "notebook_runner.py"), "--check"],
                                cwd=REPO / "notebooks", capture_output=True, text=True, timeout=120)
    assert len(everything.stdout.splitlines()) == len(sorted((REPO / "notebooks").glob("[0-9]*.ipynb")))


@pytest.mark.slow
def test_execute_with_output_runs_in_the_notebooks_folder_and_keeps_the_source(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    source = tiny(folder / "01_x.ipynb", "import os\nprint(os.getcwd())")
    before = source.read_bytes()
    target = tmp_path / "out" / "01_x.ipynb"
    target.parent.mkdir()
    notebook_runner.execute(source, timeout=300, output=target)
    assert source.read_bytes() == before
    executed = nbformat.read(target, as_version=4)
    assert _stdout(executed.cells[0]).strip() == str(folder.resolve())


def _stderr(nb):
    return ["".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.get("name") == "stderr"]


def _stdout(cell):
    return "".join("".join(o.get("text", "")) for o in cell.outputs if o.get("name") == "stdout")


def _run_as_a_learner(path):
    """Execute as plain Jupyter would: no TF_CPP_MIN_LOG_LEVEL, no CNNKIT_QUIET_TF, in the notebook's folder."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # (ipykernel does not forward the C-level stderr, where TensorFlow logs, when it sees PYTEST_CURRENT_TEST)
    env = {k: v for k, v in os.environ.items()
           if k not in ("TF_CPP_MIN_LOG_LEVEL", "CNNKIT_QUIET_TF", "PYTEST_CURRENT_TEST")}
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    return nb


@pytest.mark.slow
def test_tensorflow_imported_first_in_a_later_cell_stays_quiet_after_the_setup_cell(tmp_path):
    """The set-up cell imports cnnkit, so a later cell may import TensorFlow before anything else of cnnkit."""
    control = _run_as_a_learner(tiny(tmp_path / "control.ipynb", "import tensorflow as tf\nprint(tf.__version__)"))
    noise = [s for s in _stderr(control) if notebook_runner.NOISE.search(s)]
    if not noise:
        pytest.skip("TensorFlow prints no start-up log here even without cnnkit: nothing to hold back")
    course = _run_as_a_learner(tiny(tmp_path / "course.ipynb", setup_source(),
                                    "import tensorflow as tf\nprint(tf.__version__)", "print(tf.constant(2) * 3)"))
    assert _stderr(course) == [], _stderr(course)
    assert _stdout(course.cells[1]).strip() == _stdout(control.cells[0]).strip()      # the same TensorFlow
    assert "tf.Tensor(6" in _stdout(course.cells[2])
