"""Means and 95% confidence intervals, worked by hand."""

from __future__ import annotations

import math

import pytest

from panelsched.scenarios.stats import mean_ci, paired_difference, t_quantile


def test_three_values_by_hand() -> None:
    # 1, 2, 3: mean 2, sd 1; t(0.975, 2) = 4.303, so the half-width is 4.303 / sqrt(3) = 2.484.
    interval = mean_ci([1.0, 2.0, 3.0])
    assert (interval.n, interval.mean, interval.sd) == (3, 2.0, 1.0)
    assert interval.low == pytest.approx(2 - 2.4843, abs=1e-3)
    assert interval.high == pytest.approx(2 + 2.4843, abs=1e-3)


def test_one_value_has_no_interval_and_equal_values_a_point() -> None:
    single = mean_ci([5.0])
    assert single.mean == 5.0
    assert math.isnan(single.low) and math.isnan(single.high)
    same = mean_ci([4.0, 4.0, 4.0])
    assert (same.low, same.mean, same.high) == (4.0, 4.0, 4.0)
    assert mean_ci([]).n == 0


def test_paired_difference_removes_what_both_share() -> None:
    # Replication by replication the second is 1 more than the first: differences 1, 1, 1,
    # a point interval, though each figure alone varies from 10 to 30.
    first = [10.0, 20.0, 30.0]
    second = [11.0, 21.0, 31.0]
    diff = paired_difference(second, first)
    assert (diff.low, diff.mean, diff.high) == (1.0, 1.0, 1.0)
    assert mean_ci(second).high - mean_ci(second).low > 40
    with pytest.raises(ValueError, match="same number of replications"):
        paired_difference([1.0], [1.0, 2.0])


@pytest.mark.parametrize("df", [1, 2, 4, 9, 29, 30, 31, 40, 60, 120, 1000])
def test_the_fallback_t_quantile_matches_scipy(df: int) -> None:
    exact = t_quantile(df)
    assert t_quantile(df, use_scipy=False) == pytest.approx(exact, abs=1e-3)


def test_t_quantile_needs_a_degree_of_freedom() -> None:
    with pytest.raises(ValueError, match="df must be at least 1"):
        t_quantile(0)
