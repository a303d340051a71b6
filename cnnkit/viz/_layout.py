"""The panel grid shared by the figures of :mod:`cnnkit.viz`."""
import matplotlib.pyplot as plt


def grid(n, ncols, *, panel=2.2, extra_height=0.3):
    """A Figure with ``n`` square panels of ``panel`` inches, ``ncols`` per row: ``(fig, [ax, …])``.

    The unused cells of the last row are removed, so ``fig.axes`` holds exactly the ``n`` panels.

        >>> fig, axes = grid(5, 3)
        >>> len(axes), len(fig.axes), axes[0].get_subplotspec().get_gridspec().get_geometry()
        (5, 5, (2, 3))
        >>> plt.close(fig)
    """
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel * ncols, panel * nrows + extra_height), squeeze=False)
    for ax in axes.flat[n:]:
        ax.remove()
    return fig, list(axes.flat[:n])
