"""Screening as deployed: what a sensitivity and a specificity mean at the prevalence of the screened population.

A test set rich in disease (41 % referable in APTOS-like sets) flatters the positive predictive value. In a
screening programme perhaps 7–10 % of people have referable retinopathy, and Bayes' rule gives

- ``PPV = sens·π / (sens·π + (1 − spec)·(1 − π))``: of the people referred, the share who need it;
- ``NPV = spec·(1 − π) / (spec·(1 − π) + (1 − sens)·π)``: of the people sent home, the share who are fine;

and :func:`screening_outcomes` counts, per 1,000 people screened, the referrals, the needless ones and the
missed cases::

    >>> ppv, npv = predictive_values(0.9, 0.9, prevalence=0.08)
    >>> round(ppv, 3), round(npv, 4)
    (0.439, 0.9904)
    >>> out = screening_outcomes(0.9, 0.9, prevalence=0.08)
    >>> out["referred"], out["needless referrals"], out["missed"]
    (164.0, 92.0, 8.0)
"""
import numpy as np

from cnnkit._checks import Fraction, Int, Number, contract

__all__ = ["predictive_values", "screening_outcomes"]

_RATE = Number(low=0, high=1)


@contract(sensitivity=_RATE, specificity=_RATE, prevalence=Fraction(allow_zero=False))
def predictive_values(sensitivity, specificity, *, prevalence):
    """Positive and negative predictive values at a prevalence, by Bayes' rule.

    Args:
        sensitivity: the share of diseased people the test refers, in [0, 1].
        specificity: the share of healthy people it leaves alone, in [0, 1].
        prevalence: the share of the screened population with the disease, in (0, 1).

    Returns:
        ``(ppv, npv)``; a value is NaN when nobody is referred (PPV) or nobody is sent home (NPV).

    Example:
        >>> [round(v, 3) for v in predictive_values(0.964, 0.794, prevalence=0.41)]     # a test set's prevalence
        [0.765, 0.969]
        >>> [round(v, 3) for v in predictive_values(0.964, 0.794, prevalence=0.08)]     # a screening population
        [0.289, 0.996]
    """
    p = prevalence
    referred_sick, referred_well = sensitivity * p, (1 - specificity) * (1 - p)
    home_well, home_sick = specificity * (1 - p), (1 - sensitivity) * p
    ppv = referred_sick / (referred_sick + referred_well) if referred_sick + referred_well > 0 else float("nan")
    npv = home_well / (home_well + home_sick) if home_well + home_sick > 0 else float("nan")
    return float(ppv), float(npv)


@contract(sensitivity=_RATE, specificity=_RATE, prevalence=Fraction(allow_zero=False), n=Int(low=1))
def screening_outcomes(sensitivity, specificity, *, prevalence, n=1000):
    """Expected outcomes of screening ``n`` people: who is referred, rightly or not, and who is missed.

    Args:
        sensitivity: the share of diseased people referred, in [0, 1].
        specificity: the share of healthy people left alone, in [0, 1].
        prevalence: the share of the screened with the disease, in (0, 1).
        n: how many people are screened.

    Returns:
        A dict of expected counts (floats) ``"with disease"``, ``"referred"``, ``"rightly referred"``,
        ``"needless referrals"``, ``"missed"``, ``"rightly reassured"``, and the rates ``"ppv"`` and ``"npv"``
        (:func:`predictive_values`).

    Example:
        >>> out = screening_outcomes(1.0, 0.95, prevalence=0.1, n=1000)
        >>> out["referred"], out["needless referrals"], round(out["ppv"], 3)
        (145.0, 45.0, 0.69)
    """
    sick = prevalence * n
    well = n - sick
    caught, false_alarms = sensitivity * sick, (1 - specificity) * well
    ppv, npv = predictive_values(sensitivity, specificity, prevalence=prevalence)
    counts = {"with disease": sick, "referred": caught + false_alarms, "rightly referred": caught,
              "needless referrals": false_alarms, "missed": sick - caught, "rightly reassured": well - false_alarms}
    out = {k: float(np.round(v, 9)) for k, v in counts.items()}
    out.update(ppv=ppv, npv=npv)
    return out
