"""Measure where a heat map puts its heat: its share inside a region, and that share against the region's area.

A heat map "looks at" a region only if it puts more heat there than the region's share of the area: a flat
map (heat everywhere alike) puts exactly that share. :func:`localisation_ratio` divides one by the other
**within the same domain** (``within``: e.g. the camera field), so a flat map scores exactly 1, a map that
seeks the region out more than 1, and a map that avoids it less than 1. Mixing domains (heat share of the
whole image over the area share of the field) gives a flat map ``field area / image area`` instead: 0.64
for a fundus field of radius 0.45 side, which reads as "avoids the lesions" when nothing was measured.

    >>> import numpy as np
    >>> flat = np.ones((8, 8)); region = np.zeros((8, 8), bool); region[:2, :2] = True
    >>> float(heat_share(flat, region)), float(localisation_ratio(flat, region))
    (0.0625, 1.0)
"""
import numpy as np

from cnnkit._checks import Array, Mask, check_array, contract

__all__ = ["heat_share", "localisation_ratio"]


def _heat_and_mask(heat, region, name="region"):
    heat = check_array(heat, "heat", dtype=np.float64)
    region = np.asarray(region)
    if region.dtype != bool:
        raise TypeError(f"{name} must be a boolean mask, got dtype {region.dtype}")
    if heat.ndim not in (2, 3) or region.shape[-2:] != heat.shape[-2:] or region.ndim > heat.ndim:
        raise ValueError(f"heat must be H × W or N × H × W and {name} the same shape (or one H × W mask for all); "
                         f"got {heat.shape} and {region.shape}")
    if (heat < 0).any():
        raise ValueError("heat must be non-negative")
    return heat, np.broadcast_to(region, heat.shape)


@contract(heat=Array(ndim=(2, 3), low=0), region=Mask(ndim=(2, 3), strict=True))
def heat_share(heat, region):
    """The share of a heat map's total inside ``region``: Σ heat[region] / Σ heat (NaN for an all-zero map).

    Args:
        heat: an H × W map (or N × H × W maps) of non-negative values, e.g. from :func:`~cnnkit.explain.grad_cam`.
        region: a boolean mask of the same shape, or one H × W mask for every map (lesion pixels, the
            camera field…).

    Returns:
        A float (or N floats). Compare it with the region's share of the area, ``region.mean()``: a flat
        map puts exactly that much heat on it (see :func:`localisation_ratio`).

    Example:
        >>> heat = np.zeros((4, 4)); heat[0, 0] = 3.0; heat[3, 3] = 1.0
        >>> region = np.zeros((4, 4), bool); region[0, 0] = True
        >>> float(heat_share(heat, region)), float(region.mean())     # 75 % of the heat on 1/16 of the area
        (0.75, 0.0625)
    """
    heat, region = _heat_and_mask(heat, region)
    total = heat.sum(axis=(-2, -1))
    inside = (heat * region).sum(axis=(-2, -1))
    share = np.divide(inside, total, out=np.full_like(total, np.nan), where=total > 0)
    return share if heat.ndim == 3 else share[()]


@contract(heat=Array(ndim=(2, 3), low=0), region=Mask(ndim=(2, 3), strict=True),
          within=Mask(ndim=(2, 3), strict=True) | None)
def localisation_ratio(heat, region, *, within=None):
    """Heat share of ``region`` over its area share, both counted inside ``within``: 1 for a flat map.

    ``ratio = (Σ heat·region·within / Σ heat·within) / (Σ region·within / Σ within)``. Above 1 the map
    concentrates on the region, below 1 it avoids it. NaN where the map has no heat inside ``within`` or
    the region does not meet ``within``.

    Args:
        heat: an H × W map or N × H × W maps, non-negative.
        region: a boolean mask of the same shape, or one H × W mask for all maps (e.g. lesion pixels).
        within: the domain both shares are counted in (e.g. the camera field), same shape rules; None: the
            whole image.

    Returns:
        A float (or N floats).

    Example:
        >>> field = np.zeros((6, 6), bool); field[1:5, 1:5] = True            # 16 of 36 pixels
        >>> lesion = np.zeros((6, 6), bool); lesion[2, 2] = True              # 1 of the field's 16
        >>> flat = np.ones((6, 6))
        >>> mixed = heat_share(flat, lesion) / (lesion.sum() / field.sum())   # image share over field share
        >>> float(localisation_ratio(flat, lesion, within=field)), round(float(mixed), 3)     # 16/36, not 1
        (1.0, 0.444)
        >>> peaked = flat.copy(); peaked[2, 2] = 15.0                        # half the field's heat on the lesion
        >>> float(localisation_ratio(peaked, lesion, within=field))
        8.0
    """
    heat, region = _heat_and_mask(heat, region)
    domain = np.ones(heat.shape, bool) if within is None else _heat_and_mask(heat, within, "within")[1]
    inside = region & domain
    heat_in = (heat * domain).sum(axis=(-2, -1))
    share = np.divide((heat * inside).sum(axis=(-2, -1)), heat_in, out=np.full_like(heat_in, np.nan),
                      where=heat_in > 0)
    area = inside.sum(axis=(-2, -1)) / np.maximum(domain.sum(axis=(-2, -1)), 1)
    ratio = np.divide(share, area, out=np.full_like(share, np.nan), where=area > 0)
    return ratio if heat.ndim == 3 else ratio[()]
