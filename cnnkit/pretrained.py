"""ImageNet weights when they can be had, a clear one-line message and an offline fallback when not.

Nothing here can hang a lesson: weights already in Keras' cache (``~/.keras/models``) load straight
from the file with no network; otherwise a name look-up and TCP connect are tried with a timeout
(in a thread, so even a hanging DNS cannot stall), and the download itself runs under a socket
timeout.

    >>> from cnnkit.pretrained import load_application
    >>> model, source = load_application("VGG19", include_top=False)   # doctest: +SKIP
    >>> source                                                          # doctest: +SKIP
    'random'   # offline, with a printed one-line explanation

:func:`imagenet_features` wraps such a backbone so it takes the course's images (floats in [0, 1]
of any size) and returns ``None`` offline, so a lesson can fall back to a network it trained itself.
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

# applications whose expected input is reached from [0, 1] images by one rescaling: x * scale + offset
# ("tf" mode wants [-1, 1]; the others rescale inside the model and want [0, 255])
_RESCALE = {
    "MobileNet": (2.0, -1.0), "MobileNetV2": (2.0, -1.0), "ResNet50V2": (2.0, -1.0),
    "InceptionV3": (2.0, -1.0), "Xception": (2.0, -1.0), "NASNetMobile": (2.0, -1.0),
    "MobileNetV3Small": (255.0, 0.0), "MobileNetV3Large": (255.0, 0.0),
    "EfficientNetB0": (255.0, 0.0), "EfficientNetB1": (255.0, 0.0), "EfficientNetV2B0": (255.0, 0.0),
    "ConvNeXtTiny": (255.0, 0.0),
}


def keras_cache_dir():
    """Where Keras keeps downloaded weights (``$KERAS_HOME/models`` or ``~/.keras/models``)."""
    home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    return os.path.join(home, "models")


def _is_notop(path):
    name = os.path.basename(path).lower()
    return "notop" in name or "no_top" in name


def cached_weights(app_name, include_top=True):
    """Paths of ``app_name``'s ImageNet weight files in Keras' cache (with or without the top), maybe empty.

    Several sizes of one application can be cached; the caller tries each.
    """
    prefix = _CACHE_PREFIX.get(app_name, app_name.lower())
    hits = sorted(glob.glob(os.path.join(keras_cache_dir(), prefix + "*")))
    return [h for h in hits if _is_notop(h) != bool(include_top)]


def network_available(host=WEIGHTS_HOST, port=443, timeout=3.0):
    """True when ``host:port`` answers a TCP connect within ``timeout`` seconds (DNS included).

    The probe runs in a daemon thread that is abandoned after ``timeout`` + 0.5 s, so a look-up
    that never answers costs that long and no more.
    """
    result = []

    def probe():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except (OSError, ValueError):
            result.append(False)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout + 0.5)
    return bool(result and result[0])


def _first_line(err):
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:120]}" if text else type(err).__name__


def _imagenet_model(builder, app_name, timeout, kwargs):
    """(model, None) built with ImageNet weights, or (None, why not). Cache first, then a bounded download."""
    failures = []
    for path in cached_weights(app_name, kwargs.get("include_top", True)) or ():
        try:
            return builder(weights=path, **kwargs), None
        except Exception as err:  # noqa: BLE001 - a cached file for another size: try the next
            failures.append(_first_line(err))
    if not network_available(timeout=min(timeout, 5.0)):
        return None, f"no network connection to {WEIGHTS_HOST}"
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        return builder(weights="imagenet", **kwargs), None
    except Exception as err:  # noqa: BLE001 - any download/parse failure falls back
        return None, _first_line(err)
    finally:
        socket.setdefaulttimeout(old)


def load_application(app_name, weights="imagenet", timeout=20.0, quiet=False, fallback="random", **kwargs):
    """Build ``keras.applications.<app_name>`` with ImageNet weights if possible.

    ``weights`` is ``"imagenet"``, a path to a weights file, or None (random). Returns
    ``(model, source)`` where ``source`` is ``"imagenet"``, ``"file"`` or ``"random"``. When ImageNet
    weights cannot be had, prints one line saying so and returns a randomly initialised model
    (seed Keras first with :func:`cnnkit.device.set_seed` for a repeatable one), or, with
    ``fallback=None``, ``(None, "unavailable")`` without building anything. ``kwargs`` go to the
    builder (``include_top=False``, ``input_shape=(96, 96, 3)``…).
    """
    import keras

    builder = getattr(keras.applications, app_name, None) if isinstance(app_name, str) else None
    if builder is None or not callable(builder):
        raise ValueError(f"app_name: keras.applications has no model named {app_name!r}")
    if fallback not in ("random", None):
        raise ValueError(f"fallback must be 'random' or None, got {fallback!r}")
    if weights is None:
        return builder(weights=None, **kwargs), "random"
    if weights != "imagenet":
        if not os.path.isfile(str(weights)):
            raise ValueError(f"weights file {weights!r} does not exist")
        return builder(weights=str(weights), **kwargs), "file"
    model, reason = _imagenet_model(builder, app_name, timeout, kwargs)
    if model is not None:
        return model, "imagenet"
    instead = "using seeded random weights instead" if fallback else "continuing without them"
    if not quiet:
        print(f"ImageNet weights for {app_name} unavailable ({reason}); {instead}.")
    return (builder(weights=None, **kwargs), "random") if fallback else (None, "unavailable")


def imagenet_features(input_shape, app_name="MobileNetV2", size=96, timeout=20.0, quiet=False):
    """An ImageNet-trained ``keras.applications`` trunk that takes your images, or None when offline.

    The returned ``keras.Model`` maps images of ``input_shape`` (H×W×3 or H×W×1, floats in [0, 1])
    to the trunk's last feature maps: it resizes them to ``size × size``, repeats a gray channel,
    and rescales to what ``app_name`` expects. Use it as the ``backbone`` of
    :func:`cnnkit.models.transfer`. Without weights it prints one line and returns None.

        >>> backbone = imagenet_features((32, 32, 3))          # doctest: +SKIP
        >>> backbone.output_shape                              # doctest: +SKIP
        (None, 3, 3, 1280)
    """
    import keras
    from keras import layers

    if app_name not in _RESCALE:
        raise ValueError(f"app_name {app_name!r} is not supported here; choose from {sorted(_RESCALE)}")
    shape = tuple(input_shape)
    if len(shape) != 3 or shape[-1] not in (1, 3) or any(d is None or int(d) < 1 for d in shape):
        raise ValueError(f"input_shape must be (height, width, 1 or 3) with known sizes, got {input_shape!r}")
    if isinstance(size, bool) or not isinstance(size, int) or size < 32:
        raise ValueError(f"size must be an integer ≥ 32 pixels, got {size!r}")
    trunk, _ = load_application(app_name, timeout=timeout, quiet=quiet, fallback=None,
                                include_top=False, input_shape=(size, size, 3))
    if trunk is None:
        return None
    scale, offset = _RESCALE[app_name]
    inputs = keras.Input(shape=shape, name="image")
    x = layers.Resizing(size, size, name="resize")(inputs)
    if shape[-1] == 1:
        x = layers.Concatenate(name="gray_to_rgb")([x, x, x])
    x = layers.Rescaling(scale, offset=offset, name="imagenet_scale")(x)
    return keras.Model(inputs, trunk(x), name=f"{trunk.name}_features")
