"""``import cnnkit`` imports no TensorFlow, and its import hook holds TF's start-up banner without losing a fatal line.

Each test runs a fresh interpreter: the hook acts once per process, at the first ``import tensorflow``.
The fake ``tensorflow`` packages are written into ``tmp_path``, which comes first on PYTHONPATH.
"""
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BANNER = "I0000 00:00:1796110172.226 3020 port.cc:153] oneDNN custom operations are on."
FATAL = "F0000 00:00:1796110172.227 3020 cpu_feature_guard.cc:101] The TensorFlow library was compiled to use AVX"
WARNING = "W0000 00:00:1796110172.228 3020 some_op.cc:7] kept: not part of the banner"


def run(code, *, path=(), env=None, timeout=120):
    """Run ``code`` in a fresh interpreter with ``path`` first on PYTHONPATH; the completed process."""
    environ = {k: v for k, v in os.environ.items() if k not in ("CNNKIT_QUIET_TF", "TF_CPP_MIN_LOG_LEVEL")}
    environ["PYTHONPATH"] = os.pathsep.join([*map(str, path), str(REPO)])
    environ.update(env or {})
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=environ, timeout=timeout, cwd=REPO)


def fake_tensorflow(root, ending):
    """A ``tensorflow`` package that writes the banner, then ``ending`` (code), to descriptor 2 as TF's C++ does."""
    package = root / "tensorflow"
    package.mkdir()
    (package / "__init__.py").write_text(f"import os\nos.write(2, {BANNER!r}.encode() + b'\\n')\n{ending}\n")
    return root


def test_import_cnnkit_imports_no_tensorflow():
    code = """
        import sys
        import cnnkit, cnnkit._net, cnnkit.device, cnnkit.pretrained, cnnkit.data.keras_sets, cnnkit.data.digits
        heavy = sorted(m for m in ("tensorflow", "keras") if m in sys.modules)
        print("heavy:", heavy)
    """
    result = run(code)
    assert result.returncode == 0, result.stderr
    assert "heavy: []" in result.stdout


def test_a_tensorflow_that_aborts_still_shows_its_fatal_line_and_the_banner(tmp_path):
    fake = fake_tensorflow(tmp_path, f"os.write(2, {FATAL!r}.encode() + b'\\n')\nos.abort()")
    result = run("import cnnkit\nimport tensorflow\nprint('survived')", path=[fake])
    assert result.returncode != 0 and "survived" not in result.stdout
    assert FATAL in result.stderr
    assert BANNER in result.stderr  # after a failure, everything that was held is shown


def test_a_tensorflow_that_raises_shows_its_messages_and_the_error_propagates(tmp_path):
    fake = fake_tensorflow(tmp_path, f"os.write(2, {WARNING!r}.encode() + b'\\n')\n"
                                     "raise ImportError('this CPU lacks AVX')")
    code = """
        import cnnkit
        try:
            import tensorflow
        except ImportError as err:
            print("caught:", err)
    """
    result = run(code, path=[fake])
    assert result.returncode == 0, result.stderr
    assert "caught: this CPU lacks AVX" in result.stdout
    assert BANNER in result.stderr and WARNING in result.stderr


def test_a_tensorflow_that_imports_drops_the_banner_keeps_other_lines_and_its_loader(tmp_path):
    fake = fake_tensorflow(tmp_path, f"os.write(2, {WARNING!r}.encode() + b'\\n')")
    code = """
        import importlib.machinery, os, sys
        import cnnkit
        import tensorflow
        print("loader:", type(tensorflow.__spec__.loader).__name__, type(tensorflow.__loader__).__name__)
        print("hook left:", any("Quiet" in type(f).__name__ for f in sys.meta_path))
        print("log level:", os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
    """
    result = run(code, path=[fake])
    assert result.returncode == 0, result.stderr
    assert WARNING in result.stderr
    assert BANNER not in result.stderr
    assert "loader: SourceFileLoader SourceFileLoader" in result.stdout  # the wrapper does not stay behind
    assert "hook left: False" in result.stdout                            # one-shot
    assert "log level: 3" in result.stdout


def test_quiet_tf_0_turns_the_hook_off_and_sets_nothing(tmp_path):
    fake = fake_tensorflow(tmp_path, "")
    code = """
        import os, cnnkit, tensorflow
        print("log level:", os.environ.get("TF_CPP_MIN_LOG_LEVEL"))
    """
    result = run(code, path=[fake], env={"CNNKIT_QUIET_TF": "0"})
    assert result.returncode == 0, result.stderr
    assert BANNER in result.stderr
    assert "log level: None" in result.stdout


def test_a_tensorflow_imported_before_cnnkit_is_left_alone(tmp_path):
    fake = fake_tensorflow(tmp_path, "")
    result = run("import tensorflow, cnnkit, sys\nprint(any('Quiet' in type(f).__name__ for f in sys.meta_path))",
                 path=[fake])
    assert result.returncode == 0, result.stderr
    assert BANNER in result.stderr and result.stdout.strip() == "False"


def test_the_hook_finds_tensorflow_through_other_import_finders(tmp_path):
    """A finder ahead of the path (an editable install, a zip importer) still serves the module."""
    code = f"""
        import importlib.abc, importlib.util, os, sys
        import cnnkit

        class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
            def find_spec(self, name, path=None, target=None):
                return importlib.util.spec_from_loader(name, self) if name == "tensorflow" else None
            def create_module(self, spec):
                return None
            def exec_module(self, module):
                os.write(2, {BANNER!r}.encode() + b"\\n")
                os.write(2, {WARNING!r}.encode() + b"\\n")
                module.source = "finder"

        ours = next(i for i, f in enumerate(sys.meta_path) if type(f).__name__ == "_QuietFinder")
        sys.meta_path.insert(ours + 1, Finder())  # ahead of the path finder
        import tensorflow
        print(tensorflow.source)
    """
    result = run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "finder"
    assert WARNING in result.stderr and BANNER not in result.stderr


@pytest.mark.slow
def test_real_tensorflow_banner_is_held_and_its_control_shows_it():
    """With the real TensorFlow, even at log level 0, its oneDNN and CUDA start-up lines are dropped; the control in
    the same test (the hook off) shows those lines, so the test cannot pass because TensorFlow stopped printing them."""
    control = run("import tensorflow", env={"TF_CPP_MIN_LOG_LEVEL": "0", "CNNKIT_QUIET_TF": "0"}, timeout=300)
    assert re.search("oneDNN|cuda drivers", control.stderr), control.stderr
    result = run("import cnnkit, tensorflow", env={"TF_CPP_MIN_LOG_LEVEL": "0"}, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not re.search("oneDNN|cuda drivers", result.stderr), result.stderr
