"""Repository-wide pytest set-up: the notebooks (nbval) are marked ``slow``.

``pytest -m "not slow"`` runs the unit tests and docstring examples alone; plain ``pytest`` runs all.
"""
import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
