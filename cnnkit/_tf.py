"""TensorFlow's start-up banner, held back without ever losing a fatal message.

TensorFlow's C++ core writes lines such as "oneDNN custom operations are on" and "Could not find cuda
drivers" to file descriptor 2 while it is imported, before any log level applies, so they land in every
notebook's outputs. :func:`quiet_tensorflow_import` (called by ``import cnnkit``) installs a one-shot
import hook: cnnkit itself never imports TensorFlow, but the first ``import tensorflow`` — yours, Keras'
or a cnnkit module's — then runs with descriptor 2 sent to a small watcher process:

- the import succeeds: the watcher drops the known start-up lines (absl's ``I…`` info lines, its
  "All log messages before absl::InitializeLog()" preamble, the CPU-instructions hint) and writes
  anything else — errors, fatal lines — to the real stderr;
- the import raises, or the process dies inside it (a CPU without the instructions the wheel needs
  aborts), the watcher writes *everything* it held to the real stderr.

``CNNKIT_QUIET_TF=0`` turns the hook off and changes nothing else. With the hook on,
``TF_CPP_MIN_LOG_LEVEL`` defaults to 3 unless you set it yourself: TensorFlow's C++ INFO, WARNING and
ERROR log lines are then hidden for the rest of the session (FATAL ones, which come before a crash,
still print); set it to 0 to see them all. Output that another thread writes to descriptor 2 while
TensorFlow is being imported is held until the import ends, and then shown.

    >>> from cnnkit import _tf
    >>> _tf.keep_line("I0000 00:00:1796110172.226 3020 port.cc:153] oneDNN custom operations are on.")
    False
    >>> _tf.keep_line("F0000 00:00:1796110172.226 3020 cpu_feature_guard.cc:101] The TensorFlow library was compiled to use AVX")
    True
"""
import importlib.abc
import importlib.machinery
import os
import re
import subprocess
import sys

_OK = b"\x00cnnkit-tensorflow-imported\x00"
#: start-up lines that are dropped after a successful import (everything else is shown)
_BANNER = re.compile(
    rb"^(I\d{4} \d\d:\d\d:[\d.]+ +\d+ \S+\] .*"                                   # absl INFO lines
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    rb"|To enable the following instructions: .* in other operations, rebuild TensorFlow .*)$")

# The watcher: hold stdin; at EOF write it out, filtered when the parent said the import went well.
_WATCHER = r"""
import re, sys
data = sys.stdin.buffer.read()
ok = data.endswith(%r)
if ok:
    data = data[:-len(%r)]
    banner = re.compile(%r)
    data = b"".join(line for line in data.splitlines(keepends=True) if not banner.match(line.rstrip(b"\r\n")))
sys.stderr.buffer.write(data)
sys.stderr.flush()
""" % (_OK, _OK, _BANNER.pattern)


def keep_line(line):
    """True when a start-up line is shown even after a successful import (it is not part of the banner).

    Args:
        line: one line of TensorFlow's start-up output, as str or bytes (see the module example).
    """
    if isinstance(line, str):
        line = line.encode()
    return not _BANNER.match(line.rstrip(b"\r\n"))


class _Held:
    """Send file descriptor 2 to a watcher process for the duration of a ``with`` block."""

    def __enter__(self):
        self.watcher = self.saved = None
        try:
            sys.stderr.flush()
            self.saved = os.dup(2)
            # -I -S: the watcher ignores PYTHON* variables and site-packages (it needs only re and sys)
            self.watcher = subprocess.Popen([sys.executable, "-I", "-S", "-c", _WATCHER], stdin=subprocess.PIPE,
                                            stdout=subprocess.DEVNULL, stderr=self.saved, close_fds=True)
            os.dup2(self.watcher.stdin.fileno(), 2)
        except (OSError, ValueError):  # no real descriptor 2 (embedded interpreters): import as usual
            self._restore()
            if self.watcher is not None:
                self.watcher.stdin.close()  # it writes nothing and exits
                self.watcher = None
        return self

    def _restore(self):
        if self.saved is not None:
            os.dup2(self.saved, 2)
            os.close(self.saved)
            self.saved = None

    def __exit__(self, exc_type, exc, tb):
        if self.watcher is None:
            return False
        self._restore()
        try:
            if exc_type is None:
                self.watcher.stdin.write(_OK)
            self.watcher.stdin.close()
            # a child process started during the import may still hold the pipe: then the watcher
            # writes when that child ends, and we do not wait for it
            self.watcher.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        return False


class _QuietLoader(importlib.abc.Loader):
    """TensorFlow's own loader, run with descriptor 2 held; the module keeps the original loader."""

    def __init__(self, loader):
        self.loader = loader

    def __getattr__(self, name):  # get_resource_reader, get_source… while the import runs
        if name == "loader":
            raise AttributeError(name)
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        remove()
        try:
            with _Held():
                self.loader.exec_module(module)
        finally:
            if getattr(module, "__spec__", None) is not None and module.__spec__.loader is self:
                module.__spec__.loader = self.loader
            if getattr(module, "__loader__", None) is self:
                module.__loader__ = self.loader


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` with the other finders and wraps its loader; steps aside once it is imported."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        for finder in list(sys.meta_path):
            if isinstance(finder, _QuietFinder) or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _QuietLoader(spec.loader)
                return spec
        return None


def remove():
    """Take the hook out of ``sys.meta_path`` (it is one-shot; calling this twice is harmless)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _QuietFinder)]


def quiet_tensorflow_import():
    """Hold TensorFlow's start-up banner at its first import (no effect once it is imported, or when off).

        >>> quiet_tensorflow_import()   # what ``import cnnkit`` does; calling it again changes nothing
    """
    if "tensorflow" in sys.modules or os.environ.get("CNNKIT_QUIET_TF", "1") == "0":
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder())
