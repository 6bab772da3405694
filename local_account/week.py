"""Replay, hour by hour, what Application Auto Scaling would do to one scalable target with the scheduled
actions actually stored for it.

WHY: off-hours scaling is realised as AAS scheduled actions (``cron(...)`` or ``at(...)`` in a time zone,
optionally bounded by StartTime/EndTime). Reading them back and replaying them as AAS would is the one
check of the result that does not depend on how the reconcile chose to encode the schedule.

Rules modelled (Application Auto Scaling API reference, PutScheduledAction):

* a ``cron`` action fires at every occurrence of its expression, evaluated in wall-clock time of its
  ``Timezone`` (UTC if none), within [StartTime, EndTime] (absolute instants, either may be absent);
* an ``at`` action fires once, at that wall-clock time of its ``Timezone``;
* a ``rate`` action fires every period from its StartTime (else its creation time);
* a firing sets MinCapacity and/or MaxCapacity to the action's values; a value the action omits stays.

Assumptions where AWS documents nothing: a wall-clock time skipped by a spring DST change fires once at
the same offset from the change (02:30 -> 03:30 summer time) rather than not at all, and a time repeated
in autumn fires once, at its first occurrence. Firings at the same instant apply in action-name order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3
from croniter import croniter

# Enough history for every weekly action to have fired once before the first sampled hour, so the
# first hours show the steady state rather than whatever the target held when it was last reconciled.
DEFAULT_WARMUP = timedelta(days=8)

_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_CRON = re.compile(r"cron\((.+)\)")
_RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
# AWS numbers days of the week 1-7 from SUNDAY; croniter numbers them 0-6 from Sunday.
_AWS_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
# The years AWS accepts in the sixth cron field.
_YEARS = range(1970, 2200)


class UnsupportedSchedule(ValueError):
    """A schedule this simulator cannot replay faithfully (so it refuses rather than guesses)."""


@dataclass(frozen=True)
class Hour:
    """The target's bounds at ``start`` (after any action firing at exactly that instant)."""

    start: datetime
    min_capacity: int
    max_capacity: int


@dataclass(frozen=True)
class Action:
    """One scheduled action as DescribeScheduledActions returns it."""

    name: str
    schedule: str
    timezone: str = "UTC"
    start_time: datetime | None = None
    end_time: datetime | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    created: datetime | None = None  # only the anchor of a rate() without StartTime

    @classmethod
    def from_api(cls, raw: Mapping[str, Any]) -> Action:
        target_action = raw.get("ScalableTargetAction") or {}
        return cls(
            name=raw["ScheduledActionName"],
            schedule=raw["Schedule"],
            timezone=raw.get("Timezone") or "UTC",
            start_time=_aware(raw.get("StartTime")),
            end_time=_aware(raw.get("EndTime")),
            min_capacity=target_action.get("MinCapacity"),
            max_capacity=target_action.get("MaxCapacity"),
            created=_aware(raw.get("CreationTime")),
        )


def _aware(value: datetime | None) -> datetime | None:
    # The API's timestamps are UTC; a naive one (hand-built in a test) is read as UTC too.
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --- cron expressions ---------------------------------------------------------------------------------


def _aws_day_number(token: str) -> int:
    number = _AWS_DAYS.get(token.upper())
    if number is None:
        if not token.isdigit() or not 1 <= int(token) <= 7:
            raise UnsupportedSchedule(f"bad day of week {token!r}")
        number = int(token)
    return number


def _aws_day_range(first: int, last: int, step: int) -> list[int]:
    # A range may wrap around the week (FRI-MON), as in AWS.
    span = (last - first) % 7
    return sorted({(first - 1 + offset) % 7 + 1 for offset in range(0, span + 1, step)})


def convert_day_of_week(field: str) -> str:
    """An AWS day-of-week field (1-7 = SUN-SAT, names, ranges, steps, ``L``, ``#``) in croniter's terms."""
    if field in {"*", "?"}:
        return "*"
    parts: list[str] = []
    for token in field.split(","):
        if token == "L":  # the last day of the week: Saturday
            parts.append("6")
        elif token.upper().endswith("L"):  # 6L: the last Friday of the month
            parts.append(f"L{_aws_day_number(token[:-1]) - 1}")
        elif "#" in token:  # 6#3: the third Friday of the month
            day, nth = token.split("#", 1)
            parts.append(f"{_aws_day_number(day) - 1}#{nth}")
        else:
            base, _, step_text = token.partition("/")
            step = int(step_text) if step_text else 1
            if base == "*":
                first, last = 1, 7
            elif "-" in base:
                low, high = base.split("-", 1)
                first, last = _aws_day_number(low), _aws_day_number(high)
            else:
                first = _aws_day_number(base)
                # "2/2" runs to the end of the week; a bare "2" is that one day.
                last = 7 if step_text else first
            parts.extend(str(day - 1) for day in _aws_day_range(first, last, step))
    return ",".join(parts)


def parse_years(field: str) -> frozenset[int]:
    """The years an AWS cron year field allows (``*``, ``2026``, ``2026-2027``, ``2026/2``, lists)."""
    years: set[int] = set()
    for token in field.split(","):
        base, _, step_text = token.partition("/")
        step = int(step_text) if step_text else 1
        if base in {"*", "?"}:
            first, last = _YEARS.start, _YEARS.stop - 1
        elif "-" in base:
            low, high = base.split("-", 1)
            first, last = int(low), int(high)
        else:
            first = int(base)
            last = _YEARS.stop - 1 if step_text else first
        years.update(range(first, last + 1, step))
    return frozenset(years)


def convert_cron(expression: str) -> tuple[str, frozenset[int]]:
    """AWS ``minutes hours day-of-month month day-of-week year`` as a 5-field croniter expression and the
    set of years it may fire in (croniter has no year field)."""
    fields = expression.split()
    if len(fields) != 6:
        raise UnsupportedSchedule(f"cron({expression}) does not have 6 fields")
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if "W" in day_of_month.upper():
        raise UnsupportedSchedule(f"cron({expression}): 'W' (nearest weekday) is not simulated")
    day_of_month = "*" if day_of_month == "?" else day_of_month
    converted = " ".join((minutes, hours, day_of_month, month, convert_day_of_week(day_of_week)))
    if not croniter.is_valid(converted):
        raise UnsupportedSchedule(f"cron({expression}) converts to {converted!r}, which croniter rejects")
    return converted, parse_years(year)


def localise(wall_clock: datetime, zone: ZoneInfo) -> datetime:
    """The instant (UTC) a wall-clock time of ``zone`` stands for.

    fold=0 picks the first of two readings in the repeated autumn hour and, for a time skipped in spring,
    the offset in force before the change, which lands as far past the change as the time was."""
    return wall_clock.replace(tzinfo=zone, fold=0).astimezone(UTC)


def cron_occurrences(expression: str, timezone: str, earliest: datetime, latest: datetime) -> list[datetime]:
    """Every instant (UTC) in [earliest, latest] at which ``cron(expression)`` fires in ``timezone``."""
    converted, years = convert_cron(expression)
    zone = ZoneInfo(timezone)
    # Walk naive wall-clock time so croniter never does DST arithmetic; a day of margin either side
    # covers any offset change.
    low = earliest.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    high = latest.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    walker = croniter(converted, low)
    found: set[datetime] = set()
    while (wall_clock := walker.get_next(datetime)) <= high:
        if wall_clock.year not in years:
            continue
        instant = localise(wall_clock, zone)
        if earliest <= instant <= latest:
            found.add(instant)
    return sorted(found)


# --- firings ------------------------------------------------------------------------------------------


def firing_times(action: Action, earliest: datetime, latest: datetime) -> list[datetime]:
    """The instants (UTC) in [earliest, latest] at which ``action`` fires, honouring Start/EndTime."""
    low = max(earliest, action.start_time) if action.start_time else earliest
    high = min(latest, action.end_time) if action.end_time else latest
    if low > high:
        return []
    if cron := _CRON.fullmatch(action.schedule):
        return cron_occurrences(cron.group(1), action.timezone, low, high)
    if at := _AT.fullmatch(action.schedule):
        wall_clock = datetime.strptime(at.group(1), "%Y-%m-%dT%H:%M:%S")
        instant = localise(wall_clock, ZoneInfo(action.timezone))
        return [instant] if low <= instant <= high else []
    if rate := _RATE.fullmatch(action.schedule):
        anchor = action.start_time or action.created
        if anchor is None:
            raise UnsupportedSchedule(f"{action.name}: rate() without StartTime or CreationTime")
        period = timedelta(seconds=int(rate.group(1)) * _RATE_UNITS[rate.group(2).rstrip("s")])
        skipped = max(0, -((anchor - low) // period))  # whole periods between the anchor and low
        instant = anchor + skipped * period
        times = []
        while instant <= high:
            if instant >= low:
                times.append(instant)
            instant += period
        return times
    raise UnsupportedSchedule(f"{action.name}: schedule {action.schedule!r} is not at(), cron() or rate()")


def replay(
    initial: tuple[int, int],
    actions: Iterable[Action],
    start: datetime,
    hours: int = 168,
    *,
    warmup: timedelta = DEFAULT_WARMUP,
) -> list[Hour]:
    """Apply the actions' firings in time order, from ``start - warmup``, to bounds ``initial`` (min, max),
    and sample them at the start of each of ``hours`` consecutive hours (elapsed hours, so a DST day has
    23 or 25 samples). Each sample carries ``start``'s time zone."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    first = start.astimezone(UTC)
    last = first + timedelta(hours=hours - 1)
    firings = sorted(
        (instant, action.name, action)
        for action in actions
        for instant in firing_times(action, first - warmup, last)
    )
    low, high = initial
    samples: list[Hour] = []
    pending = iter(firings)
    upcoming = next(pending, None)
    for index in range(hours):
        instant = first + timedelta(hours=index)
        while upcoming is not None and upcoming[0] <= instant:
            action = upcoming[2]
            low = action.min_capacity if action.min_capacity is not None else low
            high = action.max_capacity if action.max_capacity is not None else high
            upcoming = next(pending, None)
        samples.append(Hour(instant.astimezone(start.tzinfo), low, high))
    return samples


# --- reading the account ------------------------------------------------------------------------------


def read_target(client: Any, resource_id: str, dimension: str) -> tuple[tuple[int, int], list[Action]]:
    """The target's current (min, max) and every scheduled action on it (the app's and anyone else's:
    AAS applies them all)."""
    namespace = dimension.split(":", 1)[0]
    targets = [
        target
        for page in client.get_paginator("describe_scalable_targets").paginate(
            ServiceNamespace=namespace, ResourceIds=[resource_id], ScalableDimension=dimension
        )
        for target in page["ScalableTargets"]
        if target["ResourceId"] == resource_id and target["ScalableDimension"] == dimension
    ]
    if not targets:
        raise LookupError(f"no scalable target {resource_id} ({dimension})")
    actions = [
        Action.from_api(raw)
        for page in client.get_paginator("describe_scheduled_actions").paginate(
            ServiceNamespace=namespace, ResourceId=resource_id, ScalableDimension=dimension
        )
        # Exact match: a listing by resource id must not pick up a neighbour whose id contains it.
        for raw in page["ScheduledActions"]
        if raw["ResourceId"] == resource_id and raw.get("ScalableDimension") == dimension
    ]
    return (int(targets[0]["MinCapacity"]), int(targets[0]["MaxCapacity"])), actions


def simulate(
    resource_id: str,
    dimension: str,
    start: datetime,
    hours: int = 168,
    *,
    autoscaling_client: Any = None,
    warmup: timedelta = DEFAULT_WARMUP,
) -> list[Hour]:
    """The target's bounds at the start of each hour from ``start`` (aware), as AAS would set them with
    the scheduled actions stored now. The target's current bounds are the state before the warm-up."""
    client = autoscaling_client or boto3.client("application-autoscaling")
    initial, actions = read_target(client, resource_id, dimension)
    return replay(initial, actions, start, hours, warmup=warmup)


# --- summary ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekSummary:
    """How a simulated span splits up.

    hours_max_zero: max == 0, held at zero (nothing runs, nothing is billed).
    hours_min_zero: min == 0 < max, allowed to idle at zero (billed only if traffic wakes it).
    hours_at_zero: the two together, every hour zero is reachable.
    hours_at_configured_bounds: (min, max) == configured_bounds, the business-hours bounds.
    hours_at_full: max == configured_bounds' max, full capacity available.
    share_held_at_zero: hours_max_zero / hours, held at zero by the scheduled actions: certain.
    share_idle_at_zero: hours_min_zero / hours, at zero only while no traffic wakes the resource: an
        upper bound of what more can be saved, never counted as saved.
    bounds_hours: hours spent at each (min, max), highest max first.
    """

    hours: int
    hours_max_zero: int
    hours_min_zero: int
    hours_at_configured_bounds: int
    hours_at_full: int
    configured_bounds: tuple[int, int]
    bounds_hours: tuple[tuple[tuple[int, int], int], ...]

    @property
    def hours_at_zero(self) -> int:
        return self.hours_max_zero + self.hours_min_zero

    @property
    def share_held_at_zero(self) -> float:
        return self.hours_max_zero / self.hours if self.hours else 0.0

    @property
    def share_idle_at_zero(self) -> float:
        return self.hours_min_zero / self.hours if self.hours else 0.0


def summarise(hours: Iterable[Hour], configured: tuple[int, int] | None = None) -> WeekSummary:
    """Count the hours by kind. ``configured`` (business-hours min, max) defaults to the bounds with the
    highest maximum seen (then the highest minimum), which is what business hours get."""
    counts = Counter((hour.min_capacity, hour.max_capacity) for hour in hours)
    ordered = tuple(sorted(counts.items(), key=lambda item: (-item[0][1], -item[0][0])))
    bounds = configured or (ordered[0][0] if ordered else (0, 0))
    return WeekSummary(
        hours=sum(counts.values()),
        hours_max_zero=sum(n for (_, high), n in counts.items() if high == 0),
        hours_min_zero=sum(n for (low, high), n in counts.items() if low == 0 < high),
        hours_at_configured_bounds=counts.get(bounds, 0),
        hours_at_full=sum(n for (_, high), n in counts.items() if high == bounds[1]),
        configured_bounds=bounds,
        bounds_hours=ordered,
    )
