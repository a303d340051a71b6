"""Look inside and stress a trained image classifier: Grad-CAM heat maps, FGSM adversarial images,
and accuracy under rotations / brightness shifts.

    >>> import numpy as np
    >>> from cnnkit import explain, models
    >>> net = models.cnn((16, 16, 3), 3, blocks=1, filters=4, dense=0)
    >>> image = np.random.default_rng(0).random((16, 16, 3)).astype("float32")
    >>> heat = explain.grad_cam(net, image)                       # H × W, values in [0, 1]
    >>> explain.overlay(image, heat).shape                        # the heat drawn over the image
    (16, 16, 3)
    >>> x_adv = explain.fgsm(net, image, 0, epsilon=2 / 255)      # each pixel moved by at most 2/255
    >>> sorted(explain.robustness(net, image[None], [0], {"rotate 30°": explain.rotate(30)}))
    ['original', 'rotate 30°']

Images are float arrays (H × W × C, or N × H × W × C for a batch) in the range the model was trained on.
The modules: :mod:`~cnnkit.explain.gradcam` (Grad-CAM, overlays), :mod:`~cnnkit.explain.measure` (heat shares
and the localisation ratio, 1 for a flat map), :mod:`~cnnkit.explain.adversarial` (FGSM) and
:mod:`~cnnkit.explain.shifts` (rotations, exposure, scores under shifts).
"""
from cnnkit.explain.adversarial import default_loss, fgsm
from cnnkit.explain.gradcam import grad_cam, last_conv_layer, overlay
from cnnkit.explain.measure import heat_share, localisation_ratio
from cnnkit.explain.shifts import brightness, robustness, rotate

__all__ = ["brightness", "default_loss", "fgsm", "grad_cam", "heat_share", "last_conv_layer", "localisation_ratio",
           "overlay", "robustness", "rotate"]
