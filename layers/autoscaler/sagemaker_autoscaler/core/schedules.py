"""Business hours as a value: the open intervals of a week in a time zone, and what follows from them
(the openings and closings as cron transitions, the segments between holidays, whether it is open at a
given moment). The text syntax is parsed in ``schedule_syntax``. Everything here is pure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import Struct

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
ALWAYS_ON = "always-on"
# The longest warm-up lead accepted (account parameter or tag): longer is a typo, not a schedule.
MAX_WARM_UP_MINUTES = 240


class ScheduleError(ValueError):
    """The schedule text is not valid; the message names what is wrong."""


class Schedule(Struct, frozen=True):
    """Business hours as open intervals on the week, in minutes from Monday 00:00 local time, and how
    long before each opening capacity is asked for (so that it serves at the opening the user wrote)."""

    intervals: tuple[tuple[int, int], ...]  # merged, sorted; end may exceed a week (wraps to Monday)
    timezone: str
    warm_up_minutes: int = 0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open_at(self, moment: datetime) -> bool:
        local = moment.astimezone(self.zone)
        minute = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
        return any(
            start <= minute < end or start <= minute + MINUTES_PER_WEEK < end for start, end in self.intervals
        )

    @property
    def open_minutes_per_week(self) -> int:
        return sum(end - start for start, end in self.intervals)


def validate_timezone(name: str) -> str:
    if not name or name.startswith("/") or ".." in name:
        raise ScheduleError(f"unknown time zone {name!r}")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the zone database ("Europe") is a name zoneinfo finds but cannot read.
        raise ScheduleError(
            f"unknown time zone {name!r} (expected an IANA name such as Europe/Berlin)"
        ) from None
    return name


class Transition(Struct, frozen=True):
    """An opening or closing, at one local time of day, on a set of weekdays."""

    kind: str  # "open" or "close"
    minute_of_day: int
    days: tuple[int, ...]

    @property
    def cron(self) -> str:
        hour, minute = divmod(self.minute_of_day, 60)
        day_names = ",".join(DAYS[d].upper() for d in self.days)
        return f"cron({minute} {hour} ? * {day_names} *)"

    @property
    def name(self) -> str:
        hour, minute = divmod(self.minute_of_day, 60)
        return f"{self.kind}-{hour:02d}{minute:02d}-{'-'.join(DAYS[d] for d in self.days)}"


def warmed_up_intervals(schedule: Schedule) -> list[tuple[int, int]]:
    """The intervals with each opening moved ``warm_up_minutes`` earlier; a closing shorter than the lead
    disappears (capacity would be asked for again before it could have gone)."""
    lead = schedule.warm_up_minutes
    if lead <= 0:
        return list(schedule.intervals)
    shifted = sorted(
        ((start - lead) % MINUTES_PER_WEEK, end - start + lead) for start, end in schedule.intervals
    )
    merged: list[tuple[int, int]] = []
    for start, length in shifted:
        end = start + length
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    if len(merged) > 1 and merged[-1][1] >= merged[0][0] + MINUTES_PER_WEEK:
        first = merged.pop(0)  # the week's last interval now runs into its first
        merged[-1] = (merged[-1][0], max(merged[-1][1], first[1] + MINUTES_PER_WEEK))
    return [(start, min(end, start + MINUTES_PER_WEEK)) for start, end in merged]


def _covers_the_week(schedule: Schedule, intervals: list[tuple[int, int]]) -> bool:
    return schedule.warm_up_minutes > 0 and any(end - start >= MINUTES_PER_WEEK for start, end in intervals)


def open_all_week(schedule: Schedule) -> bool:
    """The warm-up lead closed every gap: no opening or closing is left, and the resource stays open."""
    return _covers_the_week(schedule, warmed_up_intervals(schedule))


def transitions(schedule: Schedule) -> tuple[Transition, ...]:
    """Openings (warm-up lead included) and closings, grouped by time of day so that Mon-Fri becomes one
    cron expression."""
    by_time: dict[tuple[str, int], list[int]] = {}
    intervals = warmed_up_intervals(schedule)
    if _covers_the_week(schedule, intervals):
        return ()
    for start, end in intervals:
        for kind, minute in (("open", start), ("close", end)):
            day, minute_of_day = divmod(minute % MINUTES_PER_WEEK, MINUTES_PER_DAY)
            by_time.setdefault((kind, minute_of_day), []).append(day)
    return tuple(
        Transition(kind, minute_of_day, tuple(sorted(days)))
        for (kind, minute_of_day), days in sorted(by_time.items(), key=lambda item: (item[0][1], item[0][0]))
    )


class Segment(Struct, frozen=True):
    """A stretch of time in which openings happen: between holidays."""

    start: datetime | None
    end: datetime | None


def opening_segments(
    holidays: tuple[date, ...], timezone: str, now: datetime, warm_up_minutes: int = 0
) -> tuple[Segment, ...]:
    """Openings are suspended on holidays: split time into segments that leave the holidays out. With a
    warm-up lead, a holiday's window starts and ends that much earlier: the lead of the holiday's first
    opening may fall the evening before, and the lead of the next day's on the holiday itself.

    Only holidays from today on matter; the first segment (the one in force now) has no start, so its
    name and content do not change from one day to the next.
    """
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    upcoming = [day for day in holidays if day >= today]
    lead = timedelta(minutes=warm_up_minutes)
    segments: list[Segment] = []
    start: datetime | None = None
    for day in upcoming:
        begin = (datetime.combine(day, time(0), tzinfo=zone) - lead).astimezone(UTC)
        finish = (datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone) - lead).astimezone(UTC)
        if start is None or begin > start:
            segments.append(Segment(start, begin))
        start = finish if start is None or finish > start else start
    segments.append(Segment(start, None))
    return tuple(segments)


def _transition_moments(schedule: Schedule, around: datetime, days_back: int) -> list[tuple[datetime, str]]:
    zone = schedule.zone
    today = around.astimezone(zone).date()
    moments: list[tuple[datetime, str]] = []
    week = transitions(schedule)  # once, not once a day: the warm-up merges the intervals anew each time
    for offset in range(-1, days_back + 1):
        day = today - timedelta(days=offset)
        for transition in week:
            if day.weekday() in transition.days:
                hour, minute = divmod(transition.minute_of_day, 60)
                moments.append((datetime.combine(day, time(hour, minute), tzinfo=zone), transition.kind))
    return moments


def is_open(schedule: Schedule, holidays: tuple[date, ...], moment: datetime) -> bool:
    """Whether the scheduled actions leave the resource open at ``moment``: the latest transition at or
    before it is an opening that was not suppressed by a holiday. This mirrors what AAS will do with the
    actions written by ``scheduled_actions``, so the target's own bounds agree with them. An opening's
    day is the one of the opening it warms up for."""
    if open_all_week(schedule):
        return True
    holiday_set = set(holidays)
    lead = timedelta(minutes=schedule.warm_up_minutes)
    # Instants in UTC: aware datetimes of one zone compare by wall clock, which a daylight-saving
    # change makes wrong.
    instant = moment.astimezone(UTC)
    past = [
        (when.astimezone(UTC), kind)
        for when, kind in _transition_moments(schedule, moment, days_back=8)
        if when.astimezone(UTC) <= instant and not (kind == "open" and (when + lead).date() in holiday_set)
    ]
    return bool(past) and max(past)[1] == "open"


def open_intervals(
    schedule: Schedule, holidays: tuple[date, ...], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The stretches of [start, end) in which the scheduled actions leave the resource open (warm-up lead
    included), by the same reading as ``is_open``: the state changes at each transition that is not an
    opening held back by a holiday, and an opening wins over a closing at the same instant."""
    if open_all_week(schedule):
        return [(start, end)]
    holiday_set = set(holidays)
    lead = timedelta(minutes=schedule.warm_up_minutes)
    first, last = start.astimezone(UTC), end.astimezone(UTC)
    days_back = (last - first).days + 2
    changes = sorted(
        (when.astimezone(UTC), kind)
        for when, kind in _transition_moments(schedule, end, days_back=days_back)
        if first < when.astimezone(UTC) < last
        and not (kind == "open" and (when + lead).date() in holiday_set)
    )
    intervals: list[tuple[datetime, datetime]] = []
    opened: datetime | None = first if is_open(schedule, holidays, first) else None
    for when, kind in changes:  # at one instant "close" sorts before "open": the opening wins
        if kind == "open" and opened is None:
            opened = when
        elif kind == "close" and opened is not None:
            if when > opened:
                intervals.append((opened, when))
            opened = None
    if opened is not None:
        intervals.append((opened, last))
    return intervals
