"""Argument checks shared by every cnnkit function: one rule, one message style.

Wrong *types* raise ``TypeError``, wrong *values* raise ``ValueError``, missing paths raise
``FileNotFoundError``; every message names the argument (or file) and what was given. A public function
declares its arguments' rules once, beside its signature, with :func:`contract`; the rules
(:mod:`~cnnkit._checks.scalars`, :mod:`~cnnkit._checks.arrays`, :mod:`~cnnkit._checks.objects`, combined in
:mod:`~cnnkit._checks.rules`) are built on the value checks (:mod:`~cnnkit._checks.values`)::

    >>> from cnnkit._checks import Fraction, Int, Seed, contract
    >>> @contract(n=Int(low=1), val=Fraction(), seed=Seed())
    ... def make(n, *, val=0.15, seed=0):
    ...     return n
    >>> make(10, val=2.0)
    Traceback (most recent call last):
    ...
    ValueError: val must be in [0, 1), got 2

Importing this package imports NumPy and nothing heavier (no TensorFlow, no PIL).
"""
from cnnkit._checks.arrays import Array, Image, Labels, Mask
from cnnkit._checks.contract import contract
from cnnkit._checks.objects import Callable_, Has, Instance, KerasModel, Mapping, Pair, PathLike, Seq

Path = PathLike     # the rule's first name; PathLike does not shadow pathlib.Path in a module that uses both
from cnnkit._checks.rules import REFUSALS, Any_, OneOf, Rule
from cnnkit._checks.scalars import Bool, Choice, Fraction, Int, Number, Seed, Str
from cnnkit._checks.values import (check_array, check_bool, check_choice, check_fraction, check_image, check_int,
                                   check_number, check_path, check_seed, check_side_pair, check_size, int_seed,
                                   seed_sequence)

__all__ = ["REFUSALS", "Any_", "Array", "Bool", "Callable_", "Choice", "Fraction", "Has", "Image", "Instance", "Int",
           "KerasModel", "Labels", "Mapping", "Mask", "Number", "OneOf", "Pair", "Path", "PathLike", "Rule", "Seed", "Seq",
           "Str",
           "check_array", "check_bool", "check_choice", "check_fraction", "check_image", "check_int", "check_number",
           "check_path", "check_seed", "check_side_pair", "check_size", "contract", "int_seed", "seed_sequence"]
