"""The one network helper: Keras' cache folder, a bounded reachability probe, and bounded, checked downloads.

    >>> import socket
    >>> from cnnkit._net import network_available
    >>> server = socket.create_server(("127.0.0.1", 0))          # something that answers
    >>> network_available("127.0.0.1", server.getsockname()[1], timeout=2.0)
    True
    >>> server.close()

Public APIs only (the standard library's ``urllib``, ``socket``, ``hashlib``): nothing here reaches into Keras'
private modules, so a Keras release cannot break it. :func:`fetch` puts a known file (its name, address and
published hash) into Keras' documented cache, ``$KERAS_HOME/<subdir>/<name>`` (``~/.keras`` without
``KERAS_HOME``), where Keras' own loaders then find it: a file already there loads with no network at all; a
missing one is downloaded only when its host answers within a few seconds, with a timeout on the connection and
on every read (that bounds a stalled link, not a slow one: a download that keeps receiving bytes runs to its
end), and replaces the cached copy only once it matches its hash. Nothing changes the process-wide socket timeout
or any module's attributes, so other threads are untouched.
"""
import contextlib
import hashlib
import http.client
import os
import pickle
import socket
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
import zipfile

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


class CorruptCacheError(OSError):
    """A file in Keras' cache fails its hash check or cannot be read, and cannot be downloaded again."""


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
    """The folder Keras caches downloads in (``models/`` and ``datasets/`` below it), as Keras documents it.

    ``$KERAS_HOME``, else ``~/.keras``; ``/tmp/.keras`` when that cannot be written (Keras falls back the same
    way). Keras reads ``KERAS_HOME`` once, when it is imported: set it before importing Keras.

        >>> import os
        >>> os.path.basename(keras_home()) == ".keras" or "KERAS_HOME" in os.environ
        True
    """
    if os.environ.get("KERAS_HOME"):
        base = os.path.expanduser(os.environ["KERAS_HOME"])
    else:
        home = os.path.expanduser("~")
        base = os.path.join(home if os.access(home, os.W_OK) else "/tmp", ".keras")
    return base if _writable(base) else _tmp_keras()


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
    probed instead, since that is where urllib would connect. See the module example.
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


def _algorithm(file_hash):
    """Keras' rule: a 64-digit hash is SHA-256, any other (32 digits) MD5."""
    return "sha256" if len(file_hash) == 64 else "md5"


def file_matches(path, file_hash):
    """True when the file at ``path`` has ``file_hash`` (SHA-256 for 64 hex digits, MD5 for 32), as Keras checks.

        >>> import hashlib, tempfile
        >>> with tempfile.NamedTemporaryFile(delete=False) as f:
        ...     _ = f.write(b"cnnkit")
        >>> file_matches(f.name, hashlib.sha256(b"cnnkit").hexdigest()), file_matches(f.name, "0" * 32)
        (True, False)
    """
    digest = hashlib.new(_algorithm(file_hash))
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == file_hash.lower()


def _host(url):
    parts = urllib.parse.urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


_NETWORK_ERRORS = (OSError, http.client.HTTPException)  # URLError, timeouts, resets, TLS errors


def _download(url, path, *, timeout, file_hash=None, progress=True):
    """Download ``url`` to ``path`` (through a temporary file beside it); ConnectionError when that fails.

    ``timeout`` bounds the connection and every read. The file replaces ``path`` only when it is complete
    (its announced length) and matches ``file_hash`` (when given); a partial file is removed.
    """
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    name = os.path.basename(path)
    fd, partial = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:           # a write error (disk full) is not a network error
            try:
                response = urllib.request.urlopen(url, timeout=timeout)
            except _NETWORK_ERRORS as err:
                raise ConnectionError(f"downloading {url} failed: {type(err).__name__}: {err}") from err
            with response:
                total = int(response.headers.get("Content-Length") or -1)
                bar = None
                if progress and total > (1 << 20):
                    from tqdm import tqdm

                    bar = tqdm(total=total, unit="B", unit_scale=True, desc=name, file=sys.stdout, leave=False)
                received = 0
                try:
                    while True:
                        try:
                            chunk = response.read(1 << 16)
                        except _NETWORK_ERRORS as err:
                            raise ConnectionError(f"downloading {url} failed: {type(err).__name__}: {err}") from err
                        if not chunk:
                            break
                        out.write(chunk)
                        received += len(chunk)
                        if bar is not None:
                            bar.update(len(chunk))
                finally:
                    if bar is not None:
                        bar.close()
        if total >= 0 and received != total:
            raise ConnectionError(f"downloading {url} failed: {received} of {total} bytes arrived")
        if file_hash is not None and not file_matches(partial, file_hash):
            raise ConnectionError(f"downloading {url} failed: the file does not match its published "
                                  f"{_algorithm(file_hash)} hash {file_hash}")
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return path


def fetch(fname, origin, *, cache_subdir, file_hash=None, timeout, probe_timeout=5.0):
    """The path of a known file in Keras' cache: found there, or downloaded (bounded, checked) into it.

    Args:
        fname: the file's name in the cache (Keras' own name, so Keras' loaders find it).
        origin: its address.
        cache_subdir: ``"models"`` or ``"datasets"``, below :func:`keras_home`.
        file_hash: its published SHA-256 or MD5 (None where none is published: then presence is enough).
        timeout: seconds allowed for the connection and for each read of the download (not its total time).
        probe_timeout: at most this long (and at most ``timeout``) is spent checking the host first.

    Returns the path. Raises ``ConnectionError`` when the file is not cached and cannot be downloaded (the host
    does not answer, the download fails or does not match its hash), before anything is printed or written;
    :class:`CorruptCacheError` naming the file when the cached copy fails its hash and cannot be downloaded again.

        >>> fetch("mnist.npz", "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
        ...       cache_subdir="datasets", timeout=30.0)                    # doctest: +SKIP
        '/home/you/.keras/datasets/mnist.npz'
    """
    path = os.path.join(keras_home(), cache_subdir, fname)
    corrupt = False
    if os.path.isfile(path):
        if file_hash is None or file_matches(path, file_hash):
            return path
        corrupt = True
    host, port = _host(origin)
    if not network_available(host, port, timeout=min(timeout, probe_timeout)):
        why = f"no network connection to {host} (needed for {fname})"
    else:
        try:
            return _download(origin, path, timeout=timeout, file_hash=file_hash)
        except ConnectionError as err:
            why = str(err)
    if corrupt:
        raise CorruptCacheError(f"the cached file {path} is corrupt or incomplete (it fails its "
                                f"{_algorithm(file_hash)} hash check) and could not be downloaded again ({why})")
    raise ConnectionError(why)


@contextlib.contextmanager
def reading(path, *, hdf5=False):
    """Within the block, a failure to read the cached file at ``path`` becomes :class:`CorruptCacheError` naming it.

    Errors of reading a file (``OSError``, ``EOFError``, a bad zip or pickle, a missing key) are converted; with
    ``hdf5=True`` the file must also start with the HDF5 signature (Keras' ``.h5`` weights), checked first, and
    only ``OSError`` is converted (a ``ValueError`` from a model builder is about its arguments).
    """
    if hdf5:
        with open(path, "rb") as f:
            if f.read(len(HDF5_SIGNATURE)) != HDF5_SIGNATURE:
                raise CorruptCacheError(f"the cached file {path} could not be read (not an HDF5 file)")
    convert = (OSError,) if hdf5 else (OSError, ValueError, EOFError, KeyError, pickle.UnpicklingError,
                                       zipfile.BadZipFile)
    try:
        yield path
    except (CorruptCacheError, ConnectionError):
        raise
    except convert as err:
        raise CorruptCacheError(f"the cached file {path} could not be read "
                                f"({type(err).__name__}: {_first_line(err)})") from err


def _first_line(err):
    lines = str(err).strip().splitlines()
    return lines[0][:200] if lines else ""
