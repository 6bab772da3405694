"""Business hours: the schedule syntax, parsed into a ``Schedule`` (or an error naming the problem).

Syntax (one line, case-insensitive day names)::

    always-on
    Mon-Fri 08:00-19:00 Europe/Berlin
    Mon-Fri 08:00-12:00,13:00-19:00
    Mon-Fri 08:00-19:00; Sat 10:00-14:00 Europe/London
    Mon-Fri 08:00-12:00 13:00-19:00 Sat 10:00-14:00 Europe/London   (the same, in tag-safe form)
    Mon+Wed+Fri 09:00-17:00
    Fri-Sat 22:00-02:00 UTC          (crosses midnight: closes at 02:00 the next morning)

A schedule is a sequence of days (names, ranges, lists joined by ``,`` or ``+``) each followed by one or
more ``HH:MM-HH:MM`` windows (separated by spaces, ``,`` or ``+``); ``;`` may separate the groups. Tag
values cannot contain ``,`` or ``;``, so tags use spaces and ``+``.
A trailing IANA time zone applies to every group; without one the account's
default zone applies. Everything here is pure.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from sagemaker_autoscaler.core.schedules import (
    ALWAYS_ON,
    DAYS,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    Schedule,
    ScheduleError,
    validate_timezone,
)

_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _day(token: str, group: str) -> int:
    key = token.strip().lower()
    if key in DAYS:
        return DAYS.index(key)
    if key in _FULL_DAYS:
        return _FULL_DAYS.index(key)
    raise ScheduleError(f"unknown day {token.strip()!r} in {group!r} (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)")


def _days(text: str, group: str) -> list[int]:
    days: list[int] = []
    for part in re.split(r"[,+]", text):
        if not part.strip():
            raise ScheduleError(f"empty day in {group!r}")
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day(first, group), _day(last, group)
            # A range may wrap over the weekend (Fri-Mon), as people write it.
            span = (end - start) % 7
            days.extend((start + offset) % 7 for offset in range(span + 1))
        else:
            days.append(_day(part, group))
    if len(set(days)) != len(days):
        raise ScheduleError(f"a day is listed twice in {group!r}")
    return days


def _clock(hours: str, minutes: str, text: str, *, is_end: bool) -> int:
    hour, minute = int(hours), int(minutes)
    if minute > 59 or hour > 24 or (hour == 24 and (minute or not is_end)):
        raise ScheduleError(
            f"{text!r} is not a valid time window (times are 00:00 to 23:59, or 24:00 as an end)"
        )
    return hour * 60 + minute


def _window(text: str) -> tuple[int, int]:
    match = _WINDOW.match(text.strip())
    if not match:
        raise ScheduleError(f"{text.strip()!r} is not a time window like 08:00-19:00")
    start = _clock(match[1], match[2], text.strip(), is_end=False)
    end = _clock(match[3], match[4], text.strip(), is_end=True)
    if start == end:
        raise ScheduleError(
            f"{text.strip()!r} is empty: start and end are the same (use always-on for all day)"
        )
    length = end - start if end > start else end + MINUTES_PER_DAY - start
    return start, length


def _day_window_runs(group: str) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """Split a group into runs of days followed by their windows.

    Tag values cannot hold ``,`` or ``;`` (SageMaker allows letters, digits, spaces and ``_.:/=+-@``),
    so a tag can write ``Mon+Wed+Fri 09:00-12:00+13:00-17:00`` or, with spaces,
    ``Mon-Fri 08:00-12:00 13:00-19:00 Sat 10:00-14:00``: a day token after a window starts a new run.
    """
    tokens = re.sub(r"\s*([,+])\s*", r"\1", group).split(" ")
    runs: list[tuple[list[str], list[str]]] = []
    for token in tokens:
        is_window = token[0].isdigit() or (token[0] in ",+" and len(token) > 1 and token[1].isdigit())
        if is_window:
            if not runs:
                raise ScheduleError(f"{group!r} names no days (expected e.g. 'Mon-Fri 08:00-19:00')")
            runs[-1][1].append(token)
        elif runs and not runs[-1][1]:
            runs[-1][0].append(token)
        else:
            runs.append(([token], []))
    parsed = []
    for day_tokens, window_tokens in runs:
        day_text = ",".join(day_tokens)
        if not window_tokens:
            raise ScheduleError(
                f"{group!r} has no time window for {day_text!r} (expected e.g. 'Mon-Fri 08:00-19:00')"
            )
        days = _days(day_text, group)
        windows = [_window(part) for token in window_tokens for part in re.split(r"[,+]", token)]
        parsed.append((days, windows))
    if len({day for days, _ in parsed for day in days}) != sum(len(days) for days, _ in parsed):
        raise ScheduleError(f"a day is listed twice in {group!r}")
    return parsed


def parse_schedule(text: str, default_timezone: str = "UTC") -> Schedule | None:
    """``None`` means always on. Raises ``ScheduleError`` naming the problem."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ScheduleError("the schedule is empty (use always-on for no off-hours scaling)")
    if cleaned.lower() == ALWAYS_ON:
        return None
    if re.sub(r"[\s_-]", "", cleaned.lower()) == "alwayson":
        raise ScheduleError(f"{cleaned!r}: write always-on (with a hyphen) for no off-hours scaling")
    if len(cleaned) > 256:
        raise ScheduleError("the schedule is longer than 256 characters")
    body, timezone = cleaned, default_timezone
    last = cleaned.rsplit(" ", 1)
    if len(last) == 2 and not _WINDOW.match(last[1].rstrip(",;")) and not last[1][0].isdigit():
        body, timezone = last[0], last[1]
    validate_timezone(timezone)
    intervals: list[tuple[int, int]] = []
    for raw_group in body.split(";"):
        group = raw_group.strip()
        if not group:
            raise ScheduleError("empty group between ';'")
        for days, windows in _day_window_runs(group):
            for day in days:
                for start, length in windows:
                    begin = day * MINUTES_PER_DAY + start
                    intervals.append((begin, begin + length))
    return Schedule(_merge(intervals, cleaned), timezone)


def _merge(intervals: list[tuple[int, int]], text: str) -> tuple[tuple[int, int], ...]:
    """Sort and join touching windows; overlapping ones are a mistake worth reporting."""
    # Compare on the week circle: a window crossing Sunday midnight also overlaps Monday's.
    pieces = sorted(intervals)
    for (_, previous_end), (next_start, _) in pairwise(pieces):
        if next_start < previous_end:
            raise ScheduleError(f"windows overlap in {text!r}")
    if len(pieces) > 1 and pieces[-1][1] > MINUTES_PER_WEEK + pieces[0][0]:
        raise ScheduleError(f"windows overlap in {text!r}")
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and merged[-1][1] == MINUTES_PER_WEEK + merged[0][0]:
        # Sunday's window runs straight into Monday's: one interval across the week boundary.
        first = merged.pop(0)
        merged[-1] = (merged[-1][0], merged[-1][1] + (first[1] - first[0]))
    return tuple(merged)


def parse_holidays(text: str) -> tuple[date, ...]:
    dates: list[date] = []
    for raw in text.replace(";", ",").split(","):
        part = raw.strip()
        if not part:
            continue
        try:
            dates.append(date.fromisoformat(part))
        except ValueError:
            raise ScheduleError(f"holiday {part!r} is not a date like 2026-12-25") from None
    return tuple(sorted(set(dates)))


def parse_timestamp(text: str, timezone: str) -> datetime:
    """An ISO-8601 timestamp; without an offset it is read in the schedule's time zone."""
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ScheduleError(f"{text!r} is not a timestamp like 2026-03-04T22:00:00+01:00") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(timezone))
