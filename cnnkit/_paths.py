"""Where a relative data path points: the working directory first, then the course's folder.

The dataset cards (datasets/README.md) give paths from the course's folder (``datasets/aptos2019``), while a
notebook runs in ``notebooks/`` and a script anywhere. So the real-data loaders try a relative path against the
working directory and then against the course's folder (the repository root: the nearest folder above the
working directory whose pyproject.toml names the project ``cnnkit``, else the folder above the package when it
is installed from a clone, ``pip install -e .``). A path that is nowhere raises ``FileNotFoundError`` naming
every place tried.

    >>> import os, tempfile
    >>> course = tempfile.mkdtemp()
    >>> _ = open(os.path.join(course, "pyproject.toml"), "w").write('[project]\\nname = "cnnkit"\\n')
    >>> os.makedirs(os.path.join(course, "datasets", "gtzan"))
    >>> os.makedirs(os.path.join(course, "notebooks"))
    >>> here = os.getcwd(); os.chdir(os.path.join(course, "notebooks"))
    >>> find_data_dir("datasets/gtzan", "root") == Path(course, "datasets", "gtzan").resolve()
    True
    >>> os.chdir(here)
"""
import os
import re
from pathlib import Path

_NAME = re.compile(r'^\s*name\s*=\s*["\']cnnkit["\']', re.M)


def _is_course(folder):
    """True when ``folder`` holds the course's pyproject.toml (``name = "cnnkit"``)."""
    try:
        return bool(_NAME.search((folder / "pyproject.toml").read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def course_roots(start=None):
    """The course folders a relative data path may be meant from, nearest first, without repeats.

    The nearest folder at or above ``start`` (default: the working directory) that holds the course's
    pyproject.toml, then the folder above the installed package when it is the course's (an editable
    install from a clone). Either may be missing: a wheel install run outside a clone has none.
    """
    roots = []
    here = Path(os.getcwd() if start is None else start).resolve()
    for folder in (here, *here.parents):
        if _is_course(folder):
            roots.append(folder)
            break
    package_parent = Path(__file__).resolve().parent.parent
    if _is_course(package_parent) and package_parent not in roots:
        roots.append(package_parent)
    return roots


def candidates(path, start=None):
    """The places a data ``path`` may be: itself (absolute, or from the working directory), then each course folder.

        >>> [str(p) for p in candidates("/data/gtzan")]          # an absolute path is only itself
        ['/data/gtzan']
    """
    given = Path(os.fspath(path)).expanduser()
    if given.is_absolute():
        return [given]
    here = Path(os.getcwd() if start is None else start).resolve()
    found = [here / given]
    for root in course_roots(here):
        if (root / given).resolve() not in [p.resolve() for p in found]:
            found.append(root / given)
    return found


def find_data_dir(path, name, *, kind="dir"):
    """The first existing place of a data folder (``kind="dir"``) or file (``"file"``), as a resolved Path.

    Args:
        path: a str or os.PathLike, absolute or relative (tried as :func:`candidates` lists them).
        name: the argument's name, for the error.
        kind: ``"dir"`` or ``"file"``.

    Raises ``TypeError`` for a path that is not a str or os.PathLike, ``FileNotFoundError`` naming every place
    tried when none exists.
    """
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), got {type(path).__name__}")
    if not str(os.fspath(path)).strip():
        raise ValueError(f"{name} must not be an empty path")
    exists = {"dir": Path.is_dir, "file": Path.is_file}[kind]
    tried = candidates(path)
    for place in tried:
        if exists(place):
            return place.resolve()
    what = {"dir": "folder", "file": "file"}[kind]
    if len(tried) == 1:
        raise FileNotFoundError(f"{name}: no such {what}: {tried[0]}")
    places = ", ".join(str(p) for p in tried)
    raise FileNotFoundError(f"{name}: no such {what}: {os.fspath(path)} (relative paths are tried from the working "
                            f"directory, then from the course's folder; tried {places})")
