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

``CNNKIT_QUIET_TF=0`` turns the hook off. ``TF_CPP_MIN_LOG_LEVEL`` defaults to 3 (errors only) for the
messages TensorFlow logs after start-up, unless you set it yourself.

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
    """True when a start-up line is shown even after a successful import (not part of the banner)."""
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
            self.watcher = subprocess.Popen([sys.executable, "-c", _WATCHER], stdin=subprocess.PIPE,
                                            stdout=subprocess.DEVNULL, stderr=self.saved, close_fds=True)
            os.dup2(self.watcher.stdin.fileno(), 2)
        except (OSError, ValueError):  # no real descriptor 2 (embedded interpreters): import as usual
            self._restore()
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
            self.watcher.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        return False


class _QuietLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        with _Held():
            self.loader.exec_module(module)


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` with the other finders and wraps its loader once; then steps aside."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        remove()
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _QuietLoader(spec.loader)
        return spec


def remove():
    """Take the hook out of ``sys.meta_path`` (it is one-shot; calling this twice is harmless)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _QuietFinder)]


def quiet_tensorflow_import():
    """Hold TensorFlow's start-up banner at its first import (no effect once it is imported, or when off)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules or os.environ.get("CNNKIT_QUIET_TF", "1") == "0":
        return
    if not any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder())
