"""Means and 95% confidence intervals over replications.

Replications are independent, so the mean of a figure has the Student t interval
``mean +- t(0.975, n - 1) * sd / sqrt(n)``. For a difference between two scenarios the
replications are paired (the same seed gives both the same demand), and the interval is the
paired t interval of the differences, which is valid whatever the correlation and much
narrower when the two move together. The t quantile comes from scipy when it is installed,
otherwise from a table (exact to three decimals) with a series for large samples.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95

# The 97.5% quantile of Student's t with 1..30 degrees of freedom.
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
_Z975 = 1.959963984540054


def _scipy_t(df: int) -> float | None:
    try:
        stats = importlib.import_module("scipy.stats")
    except ImportError:
        return None
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, df))


def t_quantile(df: int, use_scipy: bool = True) -> float:
    """The two-sided 95% quantile of Student's t with ``df`` degrees of freedom.

    Parameters
    ----------
    df
        Degrees of freedom, at least 1.
    use_scipy
        Ask scipy first; without it (or when ``False``) a table serves up to 30 degrees of
        freedom and the Cornish-Fisher series beyond, within 0.001 of the exact value.
    """
    if df < 1:
        raise ValueError("df must be at least 1")
    if use_scipy and (exact := _scipy_t(df)) is not None:
        return exact
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True, slots=True)
class Interval:
    """A mean with its 95% confidence interval; the bounds are NaN below two values."""

    n: int
    mean: float
    sd: float
    low: float
    high: float


def mean_ci(values: Sequence[float]) -> Interval:
    """The mean of ``values`` and its 95% t interval.

    Examples
    --------
    Three values 1, 2, 3: mean 2, sd 1, half-width 4.303 / sqrt(3) = 2.484.
    """
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n == 0:
        return Interval(0, math.nan, math.nan, math.nan, math.nan)
    mean = float(data.mean())
    if n == 1:
        return Interval(1, mean, math.nan, math.nan, math.nan)
    sd = float(data.std(ddof=1))
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return Interval(n, mean, sd, mean - half, mean + half)


def paired_difference(values: Sequence[float], reference: Sequence[float]) -> Interval:
    """The mean of ``values - reference``, replication by replication, and its 95% interval."""
    if len(values) != len(reference):
        raise ValueError("paired values need the same number of replications")
    return mean_ci([a - b for a, b in zip(values, reference, strict=True)])


__all__ = ["CONFIDENCE", "Interval", "mean_ci", "paired_difference", "t_quantile"]
