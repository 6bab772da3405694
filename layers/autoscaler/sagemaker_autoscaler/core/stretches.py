"""A resource's bounds over a span of time, as stretches of constant (min, max): what its plan's phases
give, opening by opening. The savings report counts hours from these; the scheduled actions written for
the same plan say the same thing in AWS's terms. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import pairwise

from msgspec import Struct

from sagemaker_autoscaler.core.domain import Phases
from sagemaker_autoscaler.core.schedules import open_intervals


class Stretch(Struct, frozen=True):
    start: datetime
    end: datetime
    low: int
    high: int

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


def _merged(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def bounds_over(phases: Phases, start: datetime, end: datetime) -> list[Stretch]:
    """The bounds in force from ``start`` to ``end``: open bounds while the schedule (warm-up lead
    included) is open or a keep-on-until holds, closed bounds in between."""
    if phases.schedule is None:
        return [Stretch(start, end, *phases.open_bounds)]
    opened = open_intervals(phases.schedule, phases.holidays, start, end)
    keep_on = phases.keep_on_until
    if keep_on is not None and keep_on > start:
        opened = _merged([*opened, (start, min(keep_on, end))])
    stretches: list[Stretch] = []
    cursor = start
    for begin, finish in opened:
        if begin > cursor:
            stretches.append(Stretch(cursor, begin, *phases.closed_bounds))
        stretches.append(Stretch(begin, finish, *phases.open_bounds))
        cursor = finish
    if cursor < end:
        stretches.append(Stretch(cursor, end, *phases.closed_bounds))
    return stretches


def constant(start: datetime, end: datetime, value: int) -> list[Stretch]:
    """A resource the app does not scale: today's capacity, all along."""
    return [Stretch(start, end, value, value)]


def aligned(timelines: Sequence[Sequence[Stretch]]) -> list[tuple[datetime, datetime, list[Stretch]]]:
    """Several timelines over the same span cut at every edge of any of them: for each piece, the stretch
    of each timeline in force (in the order given)."""
    edges = sorted({edge for line in timelines for s in line for edge in (s.start, s.end)})
    pieces = []
    for begin, finish in pairwise(edges):
        in_force = [next(s for s in line if s.start <= begin < s.end) for line in timelines]
        pieces.append((begin, finish, in_force))
    return pieces
