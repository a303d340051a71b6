"""The ImageNet weight files of the ``keras.applications`` cnnkit loads: Keras' own name, address and hash of each.

Read from Keras 3's application modules, which name each file, say where it lives and (for all but MobileNet
and MobileNetV2) publish its hash. :func:`cnnkit.pretrained.load_application` downloads the file itself
(:func:`cnnkit._net.fetch`: bounded, checked) into Keras' cache under that name, then builds the application
with ``weights="imagenet"``, so Keras finds the file there and builds the model exactly as it always does.
``tests/test_pretrained.py`` checks this table against the file each Keras builder asks for.

    >>> weights_file("VGG19", include_top=False)[0]
    'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5'
    >>> weights_file("MobileNetV2", include_top=False, input_shape=(32, 32, 3), alpha=0.35)[0]   # 32 → 224's
    'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5'
"""
GCS = "https://storage.googleapis.com/tensorflow/keras-applications/"


def _fixed(folder, top, notop, top_hash, notop_hash, *, top_url=None, notop_url=None):
    """An application whose files do not depend on its arguments (besides ``include_top``)."""
    def files(include_top, kwargs):
        if include_top:
            return top, top_url or f"{GCS}{folder}/{top}", top_hash
        return notop, notop_url or f"{GCS}{folder}/{notop}", notop_hash
    return files


def _resnet(weights_name, top_hash, notop_hash):
    stem = f"{weights_name}_weights_tf_dim_ordering_tf_kernels"
    return _fixed("resnet", f"{stem}.h5", f"{stem}_notop.h5", top_hash, notop_hash)


def _named(default_name, base, top_hash, notop_hash):
    """EfficientNet, EfficientNetV2, ConvNeXt: the file is the model's ``name`` plus ``.h5`` / ``_notop.h5``."""
    def files(include_top, kwargs):
        name = kwargs.get("name") or default_name
        file_name = name + (".h5" if include_top else "_notop.h5")
        return file_name, base + file_name, top_hash if include_top else notop_hash
    return files


def _rows(kwargs, sizes):
    """The input side Keras picks the MobileNet weights by: the input's if it is square and one of ``sizes``."""
    import keras

    shape = kwargs.get("input_shape")
    if shape is None and kwargs.get("input_tensor") is not None:
        shape = tuple(kwargs["input_tensor"].shape)[1:]
    if shape is None:
        return 224
    first = keras.config.image_data_format() == "channels_first"
    rows, cols = (shape[1], shape[2]) if first else (shape[0], shape[1])
    return rows if rows == cols and rows in sizes else 224


def _mobilenet(include_top, kwargs):
    alpha = kwargs.get("alpha", 1.0)
    text = {1.0: "1_0", 0.75: "7_5", 0.50: "5_0"}.get(alpha, "2_5")
    name = f"mobilenet_{text}_{_rows(kwargs, (128, 160, 192, 224))}_tf{'' if include_top else '_no_top'}.h5"
    return name, f"{GCS}mobilenet/{name}", None


def _mobilenet_v2(include_top, kwargs):
    rows = _rows(kwargs, (96, 128, 160, 192, 224))
    name = (f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(kwargs.get('alpha', 1.0))}_{rows}"
            f"{'' if include_top else '_no_top'}.h5")
    return name, f"{GCS}mobilenet_v2/{name}", None


_V3_HASHES = {
    "large_224_0.75_float": ("765b44a33ad4005b3ac83185abf1d0eb", "40af19a13ebea4e2ee0c676887f69a2e"),
    "large_224_1.0_float": ("59e551e166be033d707958cf9e29a6a7", "07fb09a5933dd0c8eaafa16978110389"),
    "large_minimalistic_224_1.0_float": ("675e7b876c45c57e9e63e6d90a36599c", "ec5221f64a2f6d1ef965a614bdae7973"),
    "small_224_0.75_float": ("cb65d4e5be93758266aa0a7f2c6708b7", "ebdb5cc8e0b497cd13a7c275d475c819"),
    "small_224_1.0_float": ("8768d4c2e7dee89b9d02b2d03d65d862", "d3e8ec802a04aa4fc771ee12a9a9b836"),
    "small_minimalistic_224_1.0_float": ("99cd97fb2fcdad2bf028eb838de69e37", "cde8136e733e811080d9fcd8a252f7e4"),
}


def _mobilenet_v3(model_type):
    def files(include_top, kwargs):
        minimal = "_minimalistic" if kwargs.get("minimalistic", False) else ""
        model_name = f"{model_type}{minimal}_224_{kwargs.get('alpha', 1.0)}_float"
        hashes = _V3_HASHES.get(model_name, (None, None))
        name = f"weights_mobilenet_v3_{model_name}{'' if include_top else '_no_top_v2'}.h5"
        return name, f"{GCS}mobilenet_v3/{name}", hashes[0] if include_top else hashes[1]
    return files


_FILES = {
    "VGG16": _fixed("vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
                    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
    "VGG19": _fixed("vgg19", "vgg19_weights_tf_dim_ordering_tf_kernels.h5",
                    "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
                    "cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
    "ResNet50": _resnet("resnet50", "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "ResNet50V2": _resnet("resnet50v2", "3ef43a0b657b3be2300d5770ece849e0", "fac2f116257151a9d068a22e544a4917"),
    "InceptionV3": _fixed("inception_v3", "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
                          "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
                          "9a0d58056eeedaa3f26cb7ebd46da564", "bcbd6486424b2319ff4ef7d526e38f63"),
    "Xception": _fixed("xception", "xception_weights_tf_dim_ordering_tf_kernels.h5",
                       "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
                       "0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97"),
    "NASNetMobile": _fixed("nasnet", "nasnet_mobile.h5", "nasnet_mobile_no_top.h5",
                           "020fb642bf7360b370c678b08e0adf61", "1ed92395b5b598bdda52abe5c0dbfd63",
                           top_url=f"{GCS}nasnet/NASNet-mobile.h5", notop_url=f"{GCS}nasnet/NASNet-mobile-no-top.h5"),
    "MobileNet": _mobilenet,
    "MobileNetV2": _mobilenet_v2,
    "MobileNetV3Small": _mobilenet_v3("small"),
    "MobileNetV3Large": _mobilenet_v3("large"),
    "EfficientNetB0": _named("efficientnetb0", "https://storage.googleapis.com/keras-applications/",
                             "902e53a9f72be733fc0bcb005b3ebbac", "50bc09e76180e00e4465e1a485ddc09d"),
    "EfficientNetB1": _named("efficientnetb1", "https://storage.googleapis.com/keras-applications/",
                             "1d254153d4ab51201f1646940f018540", "74c4e6b3e1f6a1eea24c589628592432"),
    "EfficientNetV2B0": _named("efficientnetv2-b0", f"{GCS}efficientnet_v2/",
                               "21ecbf6da12460d5c40bb2f29ceb2188", "893217f2bb855e2983157299931e43ff"),
    "ConvNeXtTiny": _named("convnext_tiny", f"{GCS}convnext/",
                           "8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff",
                           "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1"),
}

#: the applications whose ImageNet files cnnkit knows (and so downloads bounded and checked)
KNOWN = tuple(sorted(_FILES))


def weights_file(app_name, include_top=True, **kwargs):
    """``(file name, address, hash or None)`` of the ImageNet weights ``keras.applications.<app_name>`` loads.

    ``kwargs`` are the builder's other arguments (``input_shape``, ``alpha``, ``minimalistic``, ``name``…),
    which choose the file for some applications. Raises ``ValueError`` for an application not in :data:`KNOWN`.
    """
    if app_name not in _FILES:
        raise ValueError(f"app_name: cnnkit downloads the ImageNet weights of {', '.join(KNOWN)}; "
                         f"for {app_name!r} call keras.applications.{app_name}(weights='imagenet') yourself")
    return _FILES[app_name](bool(include_top), kwargs)
