"""Photos side by side, each on the scale its dtype sets (uint8 0..255, float 0..1), as :mod:`cnnkit.images`.

    >>> import numpy as np
    >>> from cnnkit import viz
    >>> fig = viz.show_images([np.zeros((4, 4), np.uint8)], titles=["black"])
    >>> fig.axes[0].images[0].get_clim()
    (0.0, 1.0)
"""
import numpy as np

from cnnkit._checks import Image, Instance, Int, Number, Seq, Str, check_int, check_number, contract
from cnnkit.images import as_float
from cnnkit.viz._layout import grid


#: a matplotlib colour map: a name or a Colormap
_CMAP = (Str() | Instance("matplotlib.colors.Colormap")).describe("a matplotlib colour map name or Colormap")


@contract(images=(Image(ndim=(2, 3, 4)) | Seq(Image())).describe("an image, a list of images or an N×H×W×C batch"),
          titles=Seq(Str(empty=True), min_len=0, what="a list of titles") | None, ncols=Int(low=1) | None, cmap=_CMAP,
          panel=Number(low=0, low_open=True))
def show_images(images, *, titles=None, ncols=None, cmap="gray", panel=3.0):
    """Images side by side, each with its title, on the scale its dtype sets (as :mod:`cnnkit.images`).

    Black is 0 and white the dtype's maximum, whatever the pixels hold, so a dark photo stays dark (a float
    image outside [0, 1] is refused; draw data of any range, such as feature maps, with
    :func:`show_feature_maps`).

    Args:
        images: one image or a list (or an N×H×W×C batch) of them, each uint8 (0..255), uint16, bool or float
            in [0, 1]. H×W (or H×W×1) is drawn in ``cmap``, H×W×3 and H×W×4 in colour.
        titles: one per image (None: its shape).
        ncols: panels per row (None: all in one row).
        cmap: the colour map of gray images.
        panel: the side of each panel in inches.

    Returns:
        The matplotlib Figure.

    Raises:
        ValueError: a float image outside [0, 1], or as many titles as images not given.

    Example:
        >>> fig = show_images([np.zeros((4, 4)), np.ones((4, 4, 3))], titles=["black", "white"])
        >>> [ax.get_title() for ax in fig.axes]
        ['black', 'white']
        >>> show_images(np.full((4, 4), 2.0))                   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: images is a float image, so its values must lie in [0, 1]; found [2, 2] ...
    """
    if isinstance(images, np.ndarray) and images.ndim in (2, 3) and not (images.ndim == 3 and images.shape[2] > 4):
        images = [images]
    images = list(images)
    if not images:
        raise ValueError("images is empty")
    titles = [f"{np.shape(im)}" for im in images] if titles is None else list(titles)
    if len(titles) != len(images):
        raise ValueError(f"titles has {len(titles)} entries for {len(images)} images")
    shown = []
    for k, im in enumerate(images):
        im = as_float(im, f"images[{k}]")
        if im.ndim == 3 and im.shape[2] == 1:
            im = im[:, :, 0]
        if im.ndim not in (2, 3) or (im.ndim == 3 and im.shape[2] not in (3, 4)) or im.size == 0:
            raise ValueError(f"images[{k}] must be H×W, H×W×1, H×W×3 or H×W×4, got shape {im.shape}")
        shown.append(im)
    fig, axes = grid(len(shown), check_int(ncols or len(shown), "ncols", low=1),
                     panel=check_number(panel, "panel", low=0, low_open=True))
    for ax, im, title in zip(axes, shown, titles):
        if im.ndim == 2:
            ax.imshow(im, cmap=cmap, vmin=0.0, vmax=1.0)
        else:
            ax.imshow(im)
        ax.set_title(title, fontsize=10)
        ax.axis("off")
    fig.tight_layout()
    return fig
