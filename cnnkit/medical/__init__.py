"""Lesson 08: grading diabetic retinopathy from fundus photographs (educational, not a medical device).

- :mod:`~cnnkit.medical.grades`: the grading scale everything shares (:data:`GRADE_NAMES`, :data:`REFERABLE_GRADE`);
- :mod:`~cnnkit.medical.fundus`: :func:`make_fundus`, synthetic fundus photos with lesions drawn per grade, taken
  with a camera setting of :mod:`~cnnkit.medical.cameras`;
- :mod:`~cnnkit.medical.loaders`: :func:`load_aptos`, :func:`load_eyepacs` for the real Kaggle sets, each a
  :class:`RetinaData` (:mod:`~cnnkit.medical.retina_data`);
- :mod:`~cnnkit.medical.graham`: Ben Graham's preprocessing (the 2015 Kaggle winner's);
- :mod:`~cnnkit.medical.features`: hand-crafted lesion features for a pre-CNN SVM baseline;
- :mod:`~cnnkit.medical.grading`: referable DR, ordinal scores, kappa-tuned thresholds, operating points;
- :mod:`~cnnkit.medical.intervals`: bootstrap intervals by eye or by patient, and of a difference on the same
  eyes (the t intervals over seeds, and their :class:`~cnnkit.metrics.Interval`, are in :mod:`cnnkit.metrics`);
- :mod:`~cnnkit.medical.calibration`: reliability curves, expected calibration error, Bayes' rule for new priors;
- :mod:`~cnnkit.medical.screening`: predictive values and outcomes per 1,000 screened at a prevalence;
- :mod:`~cnnkit.medical.graders`: simulated graders who disagree, a median reference, the κ ceiling;
- :mod:`~cnnkit.medical.quality`: a gradability check that refuses poor photographs;

    >>> from cnnkit.medical import GRADE_NAMES, make_fundus
    >>> data = make_fundus(20, size=32, seed=0)
    >>> data.train.x.shape[1:], GRADE_NAMES[2]
    ((32, 32, 3), '2 moderate')
"""
import lazy_loader as _lazy

_SUBMODULES = ["calibration", "cameras", "features", "fundus", "graders", "grades", "grading", "graham", "intervals",
               "loaders", "quality", "retina_data", "screening"]
__getattr__, __dir__, __all__ = _lazy.attach(__name__, submodules=_SUBMODULES,
                                             submod_attrs={
    "grades": ["APTOS_COUNTS", "GRADE_NAMES", "N_GRADES", "REFERABLE_GRADE"],
    "fundus": ["LESION_KINDS", "Lesions", "QUADRANTS", "make_fundus", "render_fundus"],
    "cameras": ["CAMERAS", "Camera", "camera_setting"],
    "retina_data": ["RetinaData"],
    "loaders": ["load_aptos", "load_eyepacs", "split_by_patient"],
    "features": ["FEATURE_NAMES", "lesion_features"],
    "graham": ["ben_graham", "ben_graham_mask", "ben_graham_steps"],
    "intervals": ["bootstrap_difference", "bootstrap_interval"],
    "calibration": ["ReliabilityCurve", "expected_calibration_error", "reliability_curve", "shift_priors"],
    "screening": ["predictive_values", "screening_outcomes"],
    "graders": ["kappa_ceiling", "median_grade", "neighbour_confusion", "simulate_graders"],
    "quality": ["MEASURES", "QualityCheck", "image_quality"],
    "grading": ["apply_thresholds", "expected_grade", "operating_threshold",
                "optimise_thresholds", "referable", "referable_probability", "referable_sensitivity_specificity",
                "sensitivity_specificity_at"],
})
