"""The statistics behind the benchmarks' verdicts (bench/paired.py): the floors are judged on them."""

from __future__ import annotations

import pytest

from bench.paired import growth_exponent, median_interval, paired_ratio


def test_a_machine_that_drifts_between_rounds_cancels_out() -> None:
    # Given rounds on a machine that gets twice, then three times, slower, the sample 10% above its baseline
    baseline = [100.0, 200.0, 300.0]
    samples = [110.0, 220.0, 330.0]

    # When the paired ratio is taken
    ratio = paired_ratio(samples, baseline)

    # Then it is the 10%, and one disturbed round does not move it
    assert ratio == pytest.approx(1.10)
    assert paired_ratio([110.0, 220.0, 990.0], baseline) == pytest.approx(1.10)


def test_the_interval_is_the_rank_interval_of_the_median() -> None:
    # Given 101 rounds whose ratios are 0.01, 0.02, ... 1.01 (in any order)
    ratios = [index / 100 for index in range(1, 102)]
    samples = list(reversed(ratios))
    baseline = [1.0] * len(samples)

    # When the 95% interval of their median is taken
    low, high = median_interval(samples, baseline)

    # Then it runs from the 41st to the 61st ratio (k = floor((101 - 1.96 * sqrt(101)) / 2) = 40), around
    # the median, the 51st
    assert (low, high) == (pytest.approx(0.41), pytest.approx(0.61))
    assert low < paired_ratio(samples, baseline) < high


def test_too_few_rounds_give_the_whole_range() -> None:
    assert median_interval([1.2, 0.9], [1.0, 1.0]) == (pytest.approx(0.9), pytest.approx(1.2))


@pytest.mark.parametrize("exponent", [0.95, 1.0, 1.12])
def test_the_growth_exponent_is_read_from_the_paired_runs(exponent: float) -> None:
    # Given runs at 1,000 and 5,000 resources on a drifting machine, the larger growing as 5 ** exponent
    small = [0.10, 0.15, 0.12, 0.30]
    large = [run * 5**exponent for run in small]

    # When the exponent is read
    found = growth_exponent(large, small, 5.0)

    # Then it is the one the runs grew by
    assert found == pytest.approx(exponent)
