"""Where a real dataset is: a relative path is tried from the working directory, then from the course's folder.

The dataset cards (datasets/README.md) give paths from the course's folder, such as ``datasets/aptos2019``,
while a notebook runs in ``notebooks/``: :func:`find_data` finds the folder either way, and the real-data loaders
(``cnnkit.medical.load_aptos``, ``load_eyepacs``, ``cnnkit.music.load_gtzan``, ``load_fma``) use the same rule.
"""
from cnnkit import _paths
from cnnkit._checks import Choice, Path, contract


@contract(path=Path(), kind=Choice("dir", "file"))
def find_data(path, *, kind="dir"):
    """The dataset folder (or file) ``path`` names, as an absolute ``pathlib.Path``.

    Args:
        path: absolute, or relative to the working directory or to the course's folder (the repository root:
            the nearest folder above the working directory whose pyproject.toml names ``cnnkit``, else the
            clone the package is installed from), tried in that order.
        kind: ``"dir"`` for a folder, ``"file"`` for a file.

    Returns:
        The first place where ``path`` exists, resolved.

    Raises:
        FileNotFoundError: ``path`` exists nowhere; the message lists every place tried.

    Example:
        >>> import os, tempfile
        >>> course = tempfile.mkdtemp()
        >>> _ = open(os.path.join(course, "pyproject.toml"), "w").write('[project]\\nname = "cnnkit"\\n')
        >>> os.makedirs(os.path.join(course, "datasets", "aptos2019")); os.makedirs(os.path.join(course, "notebooks"))
        >>> here = os.getcwd(); os.chdir(os.path.join(course, "notebooks"))          # where a notebook runs
        >>> find_data("datasets/aptos2019").relative_to(os.path.realpath(course)).as_posix()
        'datasets/aptos2019'
        >>> os.chdir(here)
    """
    return _paths.find_data_dir(path, "path", kind=kind)
