"""One progress bar for the long loops of the package (data generation), as style transfer shows one.

``progress=None`` (the default of the generators) shows a bar only for work expected to take more than
a few seconds, so quick CPU-default runs keep their outputs clean and the large GPU-default sets say
how far they are; ``True`` / ``False`` force it on or off.

    >>> list(progress_iter(range(3), total=3, desc="demo", enabled=False))
    [0, 1, 2]
"""
import sys


def progress_iter(iterable, *, total, desc, enabled):
    """``iterable`` wrapped in a text ``tqdm`` bar on stdout when ``enabled``, cleared when the loop ends.

    A text bar rather than a Jupyter widget: a saved notebook keeps a widget's first frame ("0/240") as its
    output, while a text bar that clears itself leaves nothing behind.
    """
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, file=sys.stdout, leave=False)


def check_progress(progress, expected_seconds, threshold=10.0):
    """Whether to show a bar: ``progress`` if it is True/False, else whether the work exceeds ``threshold`` s."""
    if progress is None:
        return expected_seconds > threshold
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    return progress
