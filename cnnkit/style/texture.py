"""Texture statistics in the spirit of Portilla & Simoncelli (2000), for judging a stylisation (:mod:`cnnkit.style.quality`).

A fixed bank of complex Gabor filters (4 orientations × 3 octaves, wavelengths 4, 8, 16 px) on luminance and two
opponent colour channels: the energy per band, how sparse each band's magnitudes are, and how the magnitudes of
neighbouring orientations and octaves go together (edges and bars line up across them; a noise with the same
spectrum does not). Nothing here is a random filter or a Gram matrix of the optimised extractor.

    >>> rng = np.random.default_rng(0)
    >>> noise = (rng.random((64, 64)) * 255).astype(np.uint8)
    >>> texture_distance(noise, noise)
    0.0
"""
import numpy as np

from cnnkit._checks import Image, contract

__all__ = ["texture_distance", "texture_gaps", "texture_statistics"]

#: the opponent channels the texture statistics read: luminance, red − green, (red + green)/2 − blue
_OPPONENT = np.array([[0.299, 0.587, 0.114], [0.5, -0.5, 0.0], [0.25, 0.25, -0.5]])


def _unit(image, name):
    from cnnkit.images import as_rgb

    return np.asarray(as_rgb(image, name), np.float64) / 255.0


def _gabor_bank(wavelength=4.0, orientations=4):
    """Complex Gabor filters (zero mean, unit norm) at one wavelength; octaves come from halving the image."""
    sigma = 0.56 * wavelength
    r = int(np.ceil(2.5 * sigma))
    y, x = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float64)
    env = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
    bank = []
    for k in range(orientations):
        t = np.pi * k / orientations
        z = env * np.exp(2j * np.pi * (x * np.cos(t) + y * np.sin(t)) / wavelength)
        z -= env * z.sum() / env.sum()                      # zero mean: flat areas give no response
        bank.append(z / np.sqrt((np.abs(z) ** 2).sum()))
    return bank


def _corr(a, b):
    a, b = a.ravel() - a.mean(), b.ravel() - b.mean()
    den = np.sqrt((a @ a) * (b @ b))
    return float(a @ b / den) if den > 0 else 0.0


@contract(image=Image())
def texture_statistics(image):
    """Statistics of a fixed Gabor bank (4 orientations, wavelengths 4, 8, 16 px) that describe a texture.

    Args:
        image: an image (uint8, uint16, bool or float in [0, 1]; gray or RGB), at least 16 px a side.

    Returns:
        A dict of arrays: ``energy`` (3 channels × 3 octaves × 4 orientations: the mean squared magnitude on
        luminance, red − green and yellow − blue), ``sparseness`` (3 × 4: std / mean of the luminance magnitudes;
        a Gaussian noise gives 0.52, edges more, even stripes less), ``orientations`` (3 × 6: correlations of the
        magnitudes of each pair of orientations) and ``octaves`` (2 × 4: of each orientation with the next octave).

    Example:
        >>> stripes = np.tile(np.repeat([0, 255], 4), (64, 8)).astype(np.uint8)      # vertical, period 8
        >>> t = texture_statistics(stripes)
        >>> t["energy"].shape, [int(i) for i in np.unravel_index(np.argmax(t["energy"][0]), (3, 4))]  # 8 px, 0°
        ((3, 3, 4), [1, 0])
    """
    from scipy.ndimage import gaussian_filter, zoom
    from scipy.signal import fftconvolve

    rgb = _unit(image, "image")
    if min(rgb.shape[:2]) < 16:
        raise ValueError(f"image must be at least 16 px a side for the texture statistics, got {rgb.shape[:2]}")
    bank = _gabor_bank()
    pad = bank[0].shape[0] // 2
    out = {"energy": np.zeros((3, 3, 4)), "sparseness": np.zeros((3, 4)), "orientations": np.zeros((3, 6)),
           "octaves": np.zeros((2, 4))}
    for ci in range(3):
        x = rgb @ _OPPONENT[ci]
        previous = None
        for octave in range(3):
            x = x - x.mean()
            mags = [np.abs(fftconvolve(np.pad(x, pad, mode="reflect"), k, mode="valid")) for k in bank]
            out["energy"][ci, octave] = [np.mean(m ** 2) for m in mags]
            if ci == 0:
                out["sparseness"][octave] = [m.std() / m.mean() if m.mean() > 0 else 0.0 for m in mags]
                out["orientations"][octave] = [_corr(mags[i], mags[j]) for i in range(4) for j in range(i + 1, 4)]
                if previous is not None:
                    out["octaves"][octave - 1] = [
                        _corr(p, zoom(m, (p.shape[0] / m.shape[0], p.shape[1] / m.shape[1]), order=1))
                        for p, m in zip(previous, mags)]
                previous = mags
            x = gaussian_filter(x, 1.0)[::2, ::2]
    return out


@contract(image=Image(), reference=Image())
def texture_gaps(image, reference):
    """The four gaps :func:`texture_distance` combines, each about 1 for unrelated textures, 0 for the same.

    ``energy``: the RMS of the log energies' differences (floored at 2 % of the reference's luminance energy, so a
    band the reference leaves empty does not count its last digits), halved; ``sparseness``, ``orientations``,
    ``octaves``: the differences of those statistics, each weighted by how much of the reference's luminance energy
    its bands carry (so the bands where the reference has structure decide).

    Args:
        image: the image to judge (any size ≥ 16 px a side).
        reference: the texture it should have, e.g. the style image.

    Returns:
        A dict of four floats ≥ 0: ``energy``, ``sparseness``, ``orientations``, ``octaves``.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> noise = (rng.random((64, 64)) * 255).astype(np.uint8)
        >>> stripes = np.tile(np.repeat([0, 255], 4), (64, 8)).astype(np.uint8)
        >>> {k: round(v, 2) for k, v in texture_gaps(noise, noise).items()}
        {'energy': 0.0, 'sparseness': 0.0, 'orientations': 0.0, 'octaves': 0.0}
        >>> gaps = texture_gaps(noise, stripes)                      # noise is far from stripes in every gap
        >>> [k for k, v in gaps.items() if v > 0.1]
        ['energy', 'sparseness', 'orientations', 'octaves']
        >>> bool(np.isclose(texture_distance(noise, stripes), np.sqrt(np.mean([g ** 2 for g in gaps.values()]))))
        True
    """
    return _gaps(texture_statistics(image), texture_statistics(reference))


def _log_energy_gap(a, r):
    """``log`` of statistics ``a``'s energies over reference ``r``'s, both floored at 2 % of ``r``'s luminance energy."""
    floor = 0.02 * r["energy"][0].sum() + 1e-12
    return np.log(a["energy"] + floor) - np.log(r["energy"] + floor)


def _gaps(a, r):
    """:func:`texture_gaps` of two :func:`texture_statistics` dicts (``r``: the reference's)."""
    energy = np.sqrt(np.mean(_log_energy_gap(a, r) ** 2)) / 2
    w = r["energy"][0] / r["energy"][0].sum()                    # the reference's luminance energy per band
    sparse = np.sqrt(np.sum(w * (a["sparseness"] - r["sparseness"]) ** 2))
    pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]
    wo = np.array([[np.sqrt(w[o, i] * w[o, j]) for i, j in pairs] for o in range(3)])
    orient = np.sqrt(np.sum(wo / wo.sum() * (a["orientations"] - r["orientations"]) ** 2))
    ws = np.sqrt(w[:-1] * w[1:])
    octave = np.sqrt(np.sum(ws / ws.sum() * (a["octaves"] - r["octaves"]) ** 2))
    return {"energy": float(energy), "sparseness": float(sparse), "orientations": float(orient),
            "octaves": float(octave)}


@contract(image=Image(), reference=Image())
def texture_distance(image, reference):
    """How far ``image``'s :func:`texture_statistics` are from ``reference``'s (the style's); 0: the same.

    The root mean square of the four :func:`texture_gaps` (log energies, sparseness, orientation and octave
    correlations), each about 1 for unrelated textures.

    Args:
        image: the image to judge (any size ≥ 16 px a side).
        reference: the texture it should have, e.g. the style image.

    Returns:
        The distance, a float ≥ 0. Not symmetric: ``reference`` sets the floor and the weights.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> noise = (rng.random((64, 64)) * 255).astype(np.uint8)
        >>> texture_distance(noise, noise), texture_distance(np.fliplr(noise), noise) < 0.1
        (0.0, True)
    """
    return float(np.sqrt(np.mean([v ** 2 for v in texture_gaps(image, reference).values()])))
