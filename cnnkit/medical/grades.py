"""The diabetic-retinopathy grading scale that the generator, the loaders and the metrics share.

Neither a loader nor a generator owns these: :func:`~cnnkit.medical.make_fundus` draws grades with them,
:func:`~cnnkit.medical.load_aptos` / :func:`~cnnkit.medical.load_eyepacs` label real photos with them and
:mod:`~cnnkit.medical.grading` decides referrals with them.

    >>> from cnnkit.medical.grades import GRADE_NAMES, N_GRADES, REFERABLE_GRADE
    >>> N_GRADES, GRADE_NAMES[REFERABLE_GRADE]
    (5, '2 moderate')
"""

__all__ = ["APTOS_COUNTS", "GRADE_NAMES", "N_GRADES", "REFERABLE_GRADE"]

#: names of the five grades of the international clinical DR scale (``class_names[label]``)
GRADE_NAMES = ["0 no DR", "1 mild", "2 moderate", "3 severe", "4 proliferative"]
#: how many grades there are (labels ``0 .. N_GRADES - 1``)
N_GRADES = len(GRADE_NAMES)
#: grades at or above this are "referable" diabetic retinopathy (moderate or worse)
REFERABLE_GRADE = 2
#: APTOS 2019 training-set images per grade (Kaggle's ``train.csv``)
APTOS_COUNTS = (1805, 370, 999, 193, 295)
