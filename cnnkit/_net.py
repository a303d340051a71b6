"""The one network helper: Keras' cache folder, a bounded reachability probe, and bounded Keras downloads.

    >>> import socket
    >>> from cnnkit._net import network_available
    >>> server = socket.create_server(("127.0.0.1", 0))          # something that answers
    >>> network_available("127.0.0.1", server.getsockname()[1], timeout=2.0)
    True
    >>> server.close()

Nothing here changes the process-wide socket timeout (:func:`socket.setdefaulttimeout`), so no other
thread's sockets are affected. :func:`keras_downloads` bounds Keras' own downloads instead: inside the
block, and for the calling thread only, Keras' ``get_file`` first checks that the file's host answers,
then downloads with a timeout on the connection and on every read. That bounds a stalled link, not a
slow one: a download that keeps receiving bytes runs to its end.
"""
import contextlib
import functools
import http.client
import inspect
import os
import pickle
import socket
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
import zipfile

_LOCK = threading.Lock()  # guards installing a hook on a module attribute


class CorruptCacheError(OSError):
    """A file in Keras' cache fails Keras' hash check or cannot be read, and cannot be downloaded again."""


def _writable(path):
    """True when ``path`` can be written, or created (its nearest existing parent is writable)."""
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return os.access(path, os.W_OK)


def _tmp_keras():
    return os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")


def keras_home():
    """The folder Keras caches downloads in (``models/`` and ``datasets/`` below it), resolved as Keras does.

    Keras fixes its home when it is imported: ``$KERAS_HOME``, else ``~/.keras``, else ``/tmp/.keras``
    when the home folder cannot be written. Once Keras is imported that choice is what counts (a
    later change of ``KERAS_HOME`` is ignored by Keras, and so here). Keras' ``get_file`` then
    downloads to ``/tmp/.keras`` when that folder is not writable, and so does this answer.

        >>> import os
        >>> os.path.basename(keras_home()) == ".keras" or "KERAS_HOME" in os.environ
        True
    """
    config = sys.modules.get("keras.src.backend.config")
    if config is not None and hasattr(config, "keras_home"):
        base = os.path.expanduser(config.keras_home())
        return base if os.access(base, os.W_OK) else _tmp_keras()  # get_file's own test
    if "KERAS_HOME" in os.environ:
        base = os.path.expanduser(os.environ["KERAS_HOME"])
    else:
        home = os.path.expanduser("~")
        base = os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")
    return base if _writable(base) else _tmp_keras()  # Keras creates it at import when it can


def _proxy_for(host):
    """``(host, port)`` of the HTTPS proxy urllib would use to reach ``host``, or None."""
    proxy = urllib.request.getproxies().get("https")
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    if not parts.hostname:
        return None
    return parts.hostname, parts.port or {"https": 443, "socks5": 1080, "socks5h": 1080}.get(parts.scheme, 80)


def network_available(host, port=443, *, timeout=3.0):
    """True when ``host:port`` answers a TCP connect within ``timeout`` seconds (name look-up included).

    Args:
        host: a host name or address.
        port: the TCP port (443 for HTTPS).
        timeout: seconds; the probe runs in a daemon thread that is abandoned after ``timeout`` + 0.5 s,
            so even a look-up that never answers costs that long and no more.

    When ``HTTPS_PROXY`` (or ``https_proxy``) is set and ``host`` is not in ``NO_PROXY``, the proxy is
    probed instead, since that is where urllib, and so Keras, would connect. See the module example.
    """
    target = _proxy_for(host) or (host, port)
    result = []

    def probe():
        try:
            with socket.create_connection(target, timeout=timeout):
                result.append(True)
        except (OSError, ValueError):
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True, name="cnnkit-network-probe")
    thread.start()
    thread.join(timeout + 0.5)
    return bool(result and result[0])


class _Hook:
    """Stands in for a module's function: calls from a thread inside :func:`hooked` go to its handler."""

    def __init__(self, original):
        functools.update_wrapper(self, original)
        self.original = original
        self.local = threading.local()

    def __call__(self, *args, **kwargs):
        return self._level(len(getattr(self.local, "handlers", ())))(*args, **kwargs)

    def _level(self, depth):
        """The function seen at handler depth ``depth``: each handler's ``original`` is the one below it."""
        if depth == 0:
            return self.original

        @functools.wraps(self.original)  # keeps the signature for handlers that bind arguments
        def call(*args, **kwargs):
            return self.local.handlers[depth - 1](self._level(depth - 1), *args, **kwargs)

        return call


@contextlib.contextmanager
def hooked(module, name, handler):
    """Within the block, this thread's calls of ``module.name(...)`` become ``handler(original, ...)``.

    Other threads keep calling the original; the stand-in stays installed (it is transparent).
    """
    with _LOCK:
        current = getattr(module, name)
        if not isinstance(current, _Hook):
            current = _Hook(current)
            setattr(module, name, current)
    handlers = current.local.__dict__.setdefault("handlers", [])
    handlers.append(handler)
    try:
        yield
    finally:
        handlers.pop()


def _bound(function, args, kwargs):
    """The arguments of a call by name, defaults filled in."""
    bound = inspect.signature(function).bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def _host(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _download(url, filename, reporthook=None, data=None, *, timeout, probe_timeout):
    """``urllib.request.urlretrieve`` with a probe first and ``timeout`` on every read; ConnectionError if it fails."""
    existed = filename is not None and os.path.exists(filename)
    host, port = _host(url)
    network_errors = (OSError, http.client.HTTPException)  # URLError, timeouts, resets, TLS errors
    why = None
    if not network_available(host, port, timeout=probe_timeout):
        why = f"no network connection to {host}"
    else:
        try:
            response = urllib.request.urlopen(url, data, timeout=timeout)
        except network_errors as err:
            why = f"downloading {url} failed: {type(err).__name__}: {err}"
        else:
            with response, open(filename, "wb") as out:  # a write error (disk full) is not a network error
                total = int(response.headers.get("Content-Length", -1))
                block, count = 1 << 16, 0
                if reporthook:
                    reporthook(0, block, total)
                while why is None:
                    try:
                        chunk = response.read(block)
                    except network_errors as err:
                        why = f"downloading {url} failed: {type(err).__name__}: {err}"
                        break
                    if not chunk:
                        return filename, response.headers
                    out.write(chunk)
                    count += 1
                    if reporthook:
                        reporthook(count, block, total)
    if existed:
        raise CorruptCacheError(f"the cached file {filename} is corrupt or incomplete (it fails Keras' hash "
                                f"check) and could not be downloaded again ({why})")
    raise ConnectionError(why)


@contextlib.contextmanager
def keras_downloads(timeout, *, modules=(), probe_timeout=5.0):
    """Bound the downloads Keras starts from this thread within the block; nothing else changes.

    Args:
        timeout: seconds allowed for the connection and for each read of a download (not its total time).
        modules: modules that imported Keras' ``get_file`` by name (``keras.src.datasets.mnist``…);
            ``keras.src.utils.file_utils.get_file``, which ``keras.applications`` use, is always covered.
        probe_timeout: at most this long (and at most ``timeout``) is spent checking the host first.

    Yields the list of paths Keras' ``get_file`` handed over in the block. A file missing from the
    cache whose host does not answer raises ``ConnectionError`` before Keras prints or writes anything;
    a failed download raises ``ConnectionError``; a cached file that fails Keras' hash check and cannot
    be downloaded again, or that Keras handed over and then failed to read (``OSError``,
    ``ValueError``, ``EOFError``, ``KeyError``, a pickle or zip error), raises
    :class:`CorruptCacheError` naming it.

        >>> with keras_downloads(10.0):                         # doctest: +SKIP
        ...     keras.applications.MobileNetV2(weights="imagenet")
    """
    from keras.src.utils import file_utils

    probe = min(timeout, probe_timeout)
    files = []

    def fetch(original, url, filename=None, reporthook=None, data=None):
        return _download(url, filename, reporthook, data, timeout=timeout, probe_timeout=probe)

    def get_file(original, *args, **kwargs):
        try:
            a = _bound(original, args, kwargs)
        except (TypeError, ValueError):  # not Keras' signature (a test double): no pre-check
            a = {}
        origin = a.get("origin") or ""
        fname = a.get("fname") or os.path.basename(urllib.parse.urlsplit(origin).path)
        plain = not (a.get("extract") or a.get("untar") or a.get("force_download"))
        if plain and fname and origin:  # where Keras looks for a plain file; archives are left to fetch()
            base = os.path.expanduser(a.get("cache_dir") or keras_home())
            base = base if os.access(base, os.W_OK) else _tmp_keras()
            host, port = _host(origin)
            if (not os.path.exists(os.path.join(base, a.get("cache_subdir", "datasets"), str(fname)))
                    and not network_available(host, port, timeout=probe)):
                raise ConnectionError(f"no network connection to {host} (needed for {fname})")
        files.append(original(*args, **kwargs))
        return files[-1]

    with contextlib.ExitStack() as stack:
        stack.enter_context(hooked(file_utils, "urlretrieve", fetch))
        for module in dict.fromkeys((file_utils, *modules)):
            stack.enter_context(hooked(module, "get_file", get_file))
        try:
            yield files
        except (ConnectionError, CorruptCacheError):
            raise
        except (OSError, ValueError, EOFError, KeyError, pickle.UnpicklingError, zipfile.BadZipFile) as err:
            if not files:
                raise
            raise CorruptCacheError(f"the cached file {files[-1]} could not be read "
                                    f"({type(err).__name__}: {_first_line(err)})") from err


def _first_line(err):
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else ""
