"""ImageNet weights when they can be had, a clear one-line message and an offline fallback when not.

Every download attempt is bounded in time: first a name look-up and TCP connect with a timeout
(run in a thread, so even a hanging DNS cannot stall a lesson), then the download itself under a
socket timeout. Weights already in Keras' cache (``~/.keras/models``) are used without any network.

    >>> from cnnkit.weights import load_application
    >>> model, source = load_application("VGG19", include_top=False)   # doctest: +SKIP
    >>> source                                                          # doctest: +SKIP
    'random'   # offline, with a printed one-line explanation
"""
import glob
import os
import socket
import threading

WEIGHTS_HOST = "storage.googleapis.com"

# keras.applications name -> the start of its ImageNet weights file name in Keras' cache
_CACHE_PREFIX = {
    "VGG16": "vgg16_weights", "VGG19": "vgg19_weights", "MobileNetV2": "mobilenet_v2_weights",
    "ResNet50": "resnet50_weights", "EfficientNetB0": "efficientnetb0", "DenseNet121": "densenet121_weights",
}


def keras_cache_dir():
    """Where Keras keeps downloaded weights (``$KERAS_HOME/models`` or ``~/.keras/models``)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "models")


def cached_weights(app_name, include_top=True):
    """Path of ``app_name``'s ImageNet weights in Keras' cache, or None."""
    prefix = _CACHE_PREFIX.get(app_name, app_name.lower())
    hits = sorted(glob.glob(os.path.join(keras_cache_dir(), prefix + "*")))
    hits = [h for h in hits if ("notop" in h) != include_top] or hits
    return hits[0] if hits else None


def network_available(host=WEIGHTS_HOST, port=443, timeout=3.0):
    """True when ``host:port`` answers a TCP connect within ``timeout`` seconds (DNS included)."""
    result = []

    def probe():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    return bool(result and result[0])


def load_application(app_name, weights="imagenet", timeout=20.0, quiet=False, **kwargs):
    """Build ``keras.applications.<app_name>`` with ImageNet weights if possible.

    ``weights`` is ``"imagenet"``, a path to a weights file, or None (random). Returns
    ``(model, source)`` where ``source`` is ``"imagenet"``, ``"file"`` or ``"random"``. When ImageNet
    weights cannot be had, prints one line saying so and returns a randomly initialised model
    (seed Keras first with :func:`cnnkit.device.set_seed` for a repeatable one).
    """
    import keras

    try:
        builder = getattr(keras.applications, app_name)
    except AttributeError as err:
        raise ValueError(f"keras.applications has no model named {app_name!r}") from err
    if weights is None:
        return builder(weights=None, **kwargs), "random"
    if weights != "imagenet":
        if not os.path.isfile(str(weights)):
            raise ValueError(f"weights file {weights!r} does not exist")
        return builder(weights=str(weights), **kwargs), "file"
    reason = None
    if cached_weights(app_name, kwargs.get("include_top", True)) or network_available(timeout=min(timeout, 5.0)):
        old = socket.getdefaulttimeout()
        socket.setdefaulttimeout(timeout)
        try:
            return builder(weights="imagenet", **kwargs), "imagenet"
        except Exception as err:  # noqa: BLE001 - any download/parse failure falls back
            reason = f"{type(err).__name__}: {str(err).splitlines()[0][:120] if str(err) else ''}"
        finally:
            socket.setdefaulttimeout(old)
    else:
        reason = f"no network connection to {WEIGHTS_HOST}"
    if not quiet:
        print(f"ImageNet weights for {app_name} unavailable ({reason}); using seeded random weights instead.")
    return builder(weights=None, **kwargs), "random"
