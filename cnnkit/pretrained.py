"""ImageNet weights when they can be had, a clear one-line message and an offline fallback when not.

cnnkit knows the ImageNet file of each application it loads (:mod:`cnnkit._weights`: Keras' own name,
address and published hash) and fetches it itself through public APIs only (:func:`cnnkit._net.fetch`): a file
already in Keras' cache (``~/.keras/models``, or ``$KERAS_HOME/models``) loads with no network at all, a missing
one is downloaded only when its host answers within a few seconds, with a timeout on every read, and is kept
only if it matches its hash. The application is then built with ``weights="imagenet"``, so Keras finds the file
in its cache and builds the model exactly as it always does.

    >>> from cnnkit.pretrained import load_application
    >>> model, source = load_application("VGG19", include_top=False)   # doctest: +SKIP
    >>> source                                                          # doctest: +SKIP
    'random'   # offline, with a printed one-line explanation

:func:`imagenet_features` wraps such a backbone so it takes the course's images (floats in [0, 1]
of any size) and returns ``None`` offline, so a lesson can fall back to a network it trained itself.
"""
import os

from cnnkit import _net, _weights
from cnnkit._checks import (Any_, Bool, Choice, Int, Number, PathLike, Seq, Str, check_choice, check_int, check_number,
                            check_path, contract)

# applications whose expected input is reached from [0, 1] images by one rescaling: x * scale + offset
# ("tf" mode wants [-1, 1]; the others rescale inside the model and want [0, 255])
_RESCALE = {
    "MobileNet": (2.0, -1.0), "MobileNetV2": (2.0, -1.0), "ResNet50V2": (2.0, -1.0),
    "InceptionV3": (2.0, -1.0), "Xception": (2.0, -1.0), "NASNetMobile": (2.0, -1.0),
    "MobileNetV3Small": (255.0, 0.0), "MobileNetV3Large": (255.0, 0.0),
    "EfficientNetB0": (255.0, 0.0), "EfficientNetB1": (255.0, 0.0), "EfficientNetV2B0": (255.0, 0.0),
    "ConvNeXtTiny": (255.0, 0.0),
}


def _builder(app_name):
    import keras

    if not isinstance(app_name, str):
        raise TypeError(f"app_name must be the name of a keras.applications model (a str), got {app_name!r}")
    builder = getattr(keras.applications, app_name, None)
    if builder is None or not callable(builder) or not app_name[:1].isupper():
        raise ValueError(f"app_name: keras.applications has no model named {app_name!r}")
    return builder


@contract(app_name=Str(), include_top=Bool(),
          kwargs=Any_("the keras.applications builder's own arguments (input_shape, alpha…), which it checks"))
def cached_weights(app_name, include_top=True, **kwargs):
    """The path of ``app_name``'s ImageNet weights file in Keras' cache, or None when it is not there.

    The file name is Keras' own (:mod:`cnnkit._weights` knows it for each application in
    ``cnnkit._weights.KNOWN``), in Keras' cache folder ``models/``. Nothing is built, downloaded or read.

    Args:
        app_name: a ``keras.applications`` model name (``"MobileNetV2"``, ``"VGG19"``…).
        include_top: with the ImageNet classifier (True) or without it (False).
        **kwargs: the builder's other arguments (``input_shape``, ``alpha``…), which can change the file.

    Returns:
        The file's path (a str), or None when it is not cached.

    Raises:
        ValueError: an application cnnkit does not know the weights file of.

    Example:
        >>> path = cached_weights("MobileNetV2", include_top=False, input_shape=(96, 96, 3))
        >>> path is None or path.endswith("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5")
        True
    """
    _builder(app_name)
    fname = _weights.weights_file(app_name, include_top, **kwargs)[0]
    path = os.path.join(_net.keras_home(), "models", fname)
    return path if os.path.isfile(path) else None


@contract(app_name=Str(),
          weights=(Choice("imagenet") | PathLike(kind="file")).describe("'imagenet', a weights file or None") | None,
          timeout=Number(low=0, low_open=True), quiet=Bool(), fallback=Choice("random", None),
          kwargs=Any_("the keras.applications builder's own arguments (input_shape, alpha…), which it checks"))
def load_application(app_name, *, weights="imagenet", timeout=20.0, quiet=False, fallback="random", **kwargs):
    """Build ``keras.applications.<app_name>`` with ImageNet weights if they can be had.

    When the ImageNet weights cannot be had (no network, a failed download, a corrupt cached file), it
    prints one line saying why and returns a randomly initialised model (seed Keras first with
    :func:`cnnkit.device.set_seed` for a repeatable one), or ``(None, "unavailable")`` with ``fallback=None``.

    Args:
        app_name: a ``keras.applications`` model name.
        weights: ``"imagenet"`` (Keras' cache, else a bounded, hash-checked download; for the applications in
            ``cnnkit._weights.KNOWN``), a weights-file path, or None (random).
        timeout: seconds allowed for the connection and for each read of a download.
        quiet: print nothing when falling back.
        fallback: ``"random"`` (build with random weights) or None (build nothing).
        **kwargs: the builder's arguments (``include_top=False``, ``input_shape=(96, 96, 3)``…).

    Returns:
        ``(model, source)``, ``source`` being ``"imagenet"``, ``"file"``, ``"random"`` or ``"unavailable"``.

    Raises:
        FileNotFoundError: a weights path that does not exist.
        ValueError: ``keras.applications`` has no such model.

    Example:
        >>> model, source = load_application("MobileNetV2", weights=None, include_top=False,
        ...                                  input_shape=(32, 32, 3), alpha=0.35)
        >>> source, model.output_shape
        ('random', (None, 1, 1, 1280))
    """
    builder = _builder(app_name)
    check_choice(fallback, "fallback", ("random", None))
    timeout = check_number(timeout, "timeout", low=0.0, low_open=True)
    if weights is None:
        return builder(weights=None, **kwargs), "random"
    if not (isinstance(weights, str) and weights == "imagenet"):
        path = check_path(weights, "weights")
        return builder(weights=str(path), **kwargs), "file"
    options = {k: v for k, v in kwargs.items() if k != "include_top"}
    fname, origin, file_hash = _weights.weights_file(app_name, kwargs.get("include_top", True), **options)
    try:
        path = _net.fetch(fname, origin, cache_subdir="models", file_hash=file_hash, timeout=timeout)
        with _net.reading(path, hdf5=True):      # Keras finds the file in its cache and reads it
            return builder(weights="imagenet", **kwargs), "imagenet"
    except (ConnectionError, _net.CorruptCacheError) as err:  # network errors and a corrupt cache only
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    instead = "using seeded random weights instead" if fallback else "continuing without them"
    if not quiet:
        print(f"ImageNet weights for {app_name} unavailable ({reason}); {instead}.")
    return (builder(weights=None, **kwargs), "random") if fallback else (None, "unavailable")


@contract(input_shape=Seq(Int(low=1), min_len=3, max_len=3, what="a (height, width, channels) tuple"),
          app_name=Choice(*sorted(_RESCALE)), size=Int(low=32), timeout=Number(low=0, low_open=True), quiet=Bool())
def imagenet_features(input_shape, *, app_name="MobileNetV2", size=96, timeout=20.0, quiet=False):
    """An ImageNet-trained ``keras.applications`` trunk that takes your images, or None when offline.

    The returned ``keras.Model`` resizes to ``size × size``, repeats a gray channel, rescales to what
    ``app_name`` expects, and returns the trunk's last feature maps. Use it as the ``backbone`` of
    :func:`cnnkit.models.transfer`. Without weights it prints one line and returns None.

    Args:
        input_shape: ``(height, width, channels)`` of your images, channels 1 or 3, floats in [0, 1].
        app_name: one of the applications listed in the error for an unknown name (``"MobileNetV2"``…).
        size: the square side the images are resized to before the trunk (≥ 32).
        timeout: as for :func:`load_application`.
        quiet: as for :func:`load_application`.

    Returns:
        A ``keras.Model``, or None when the ImageNet weights cannot be had.

    Raises:
        ValueError: an unknown application or an image shape with neither 1 nor 3 channels.

    Example:
        >>> imagenet_features((32, 32, 2))                       # checked before any download
        Traceback (most recent call last):
        ...
        ValueError: input_shape must end in 1 or 3 channels, got (32, 32, 2)
        >>> backbone = imagenet_features((32, 32, 3))          # doctest: +SKIP
        >>> backbone.output_shape                              # doctest: +SKIP
        (None, 3, 3, 1280)
    """
    check_choice(app_name, "app_name", tuple(sorted(_RESCALE)))
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, 1 or 3), got {input_shape!r}")
    shape = tuple(check_int(d, f"input_shape[{i}]", low=1) for i, d in enumerate(input_shape))
    if shape[-1] not in (1, 3):
        raise ValueError(f"input_shape must end in 1 or 3 channels, got {input_shape!r}")
    size = check_int(size, "size", low=32)
    trunk, _ = load_application(app_name, timeout=timeout, quiet=quiet, fallback=None,
                                include_top=False, input_shape=(size, size, 3))
    if trunk is None:
        return None
    import keras
    from keras import layers

    scale, offset = _RESCALE[app_name]
    inputs = keras.Input(shape=shape, name="image")
    x = layers.Resizing(size, size, name="resize")(inputs)
    if shape[-1] == 1:
        x = layers.Concatenate(name="gray_to_rgb")([x, x, x])
    x = layers.Rescaling(scale, offset=offset, name="imagenet_scale")(x)
    return keras.Model(inputs, trunk(x), name=f"{trunk.name}_features")
