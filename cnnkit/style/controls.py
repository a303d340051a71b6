"""The negative controls of style transfer: what a stylised result must beat (see :mod:`cnnkit.style.quality`).

* :func:`recolour`: the photo given the style's colour histogram, one line of scikit-image, no CNN — it takes the
  style's colours and keeps every shape of the photo;
* :func:`phase_scramble`: the style's amplitude spectrum with random phases — its colours and its power at every
  frequency and orientation, none of its shapes.

    >>> import numpy as np
    >>> from cnnkit.style import make_style_image
    >>> phase_scramble(make_style_image("stripes", size=32)).shape
    (32, 32, 3)
"""
import numpy as np

from cnnkit._checks import Image, Seed, contract, int_seed


@contract(content=Image(), style=Image())
def recolour(content, style):
    """The negative control for colour: ``content`` given ``style``'s colour histogram, channel by channel.

    ``skimage.exposure.match_histograms``: one line, no network; a stylised result must beat it on texture.

    Args:
        content: the photo (uint8 or float in [0, 1]; gray or RGB).
        style: the style image, any size.

    Returns:
        A uint8 H×W×3 image, the content's size.

    Example:
        >>> photo = np.tile(np.linspace(0, 1, 16), (16, 1))
        >>> int(recolour(photo, np.full((8, 8, 3), 200, np.uint8)).max())      # the style has one colour
        200
    """
    from skimage.exposure import match_histograms

    from cnnkit.images import as_rgb

    out = match_histograms(as_rgb(content, "content"), as_rgb(style, "style"), channel_axis=-1)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


@contract(image=Image(), seed=Seed())
def phase_scramble(image, *, seed=0):
    """The negative control for texture: ``image``'s amplitude spectrum with random phases (the same per channel).

    It keeps the colours' correlations and the power at every frequency and orientation, and loses every shape:
    bands, edges and dots become a cloud of the same spectrum. Values are clipped to [0, 255].

    Args:
        image: an image (uint8 or float in [0, 1]; gray or RGB).
        seed: an int ≥ 0, a NumPy ``SeedSequence`` or ``Generator`` for the phases.

    Returns:
        A uint8 H×W×3 image of ``image``'s size.

    Example:
        >>> img = (np.random.default_rng(1).random((16, 16, 3)) * 255).astype(np.uint8)
        >>> scrambled = phase_scramble(img, seed=0)
        >>> scrambled.shape, abs(float(scrambled.mean()) - float(img.mean())) < 2
        ((16, 16, 3), True)
    """
    from cnnkit.images import as_rgb

    x = np.asarray(as_rgb(image, "image"), np.float64)
    noise = np.fft.fft2(np.random.default_rng(int_seed(seed)).normal(size=x.shape[:2]))
    phase = np.exp(1j * np.angle(noise))                          # a random phase with the symmetry of a real image
    phase[0, 0] = 1.0                                              # keep the mean colour
    out = np.stack([np.real(np.fft.ifft2(np.fft.fft2(x[..., c]) * phase)) for c in range(3)], axis=-1)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)
