"""Ratios of paired measurements, shared by the benchmarks.

A pair is two measurements taken seconds apart in one round (a handler's import and a bare
`import boto3`; a run at 5,000 resources and one at 1,000): a shared machine that speeds up or slows
down between rounds moves both, and their ratio cancels it out. Each statistic is over the rounds'
ratios, never over the measurements taken apart.
"""

from __future__ import annotations

import math
import statistics


def _ratios(samples: list[float], baseline: list[float]) -> list[float]:
    return [sample / base for sample, base in zip(samples, baseline, strict=True)]


def paired_ratio(samples: list[float], baseline: list[float]) -> float:
    """The median over the rounds of each round's sample / baseline."""
    return statistics.median(_ratios(samples, baseline))


def median_interval(samples: list[float], baseline: list[float]) -> tuple[float, float]:
    """A 95% confidence interval of that median, from order statistics (no assumption on how the ratios
    are distributed): the ratios ranked k-th from either end, k = floor((n - 1.96 sqrt(n)) / 2), 0-based."""
    ratios = sorted(_ratios(samples, baseline))
    k = max(0, math.floor((len(ratios) - 1.96 * math.sqrt(len(ratios))) / 2))
    return ratios[k], ratios[len(ratios) - 1 - k]


def growth_exponent(large: list[float], small: list[float], size_ratio: float) -> float:
    """e such that the paired ratio of the large runs to the small ones is size_ratio ** e."""
    return math.log(paired_ratio(large, small)) / math.log(size_ratio)
