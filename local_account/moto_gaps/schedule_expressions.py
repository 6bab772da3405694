"""Checks for Application Auto Scaling scheduled-action parameters.

WHY: moto stores any ``Schedule`` and ``Timezone`` string.  Real Application Auto Scaling
accepts only ``at(yyyy-mm-ddThh:mm:ss)``, ``rate(value unit)`` and
``cron(minutes hours day-of-month month day-of-week year)`` (six fields, exactly one of
day-of-month/day-of-week is ``?``), and an IANA time zone name.  Each function returns an
error message, or ``None`` when the value is valid.
"""

from __future__ import annotations

import datetime as _dt
import re
import zoneinfo

_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_RATE = re.compile(r"rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)")
_CRON = re.compile(r"cron\((.*)\)")
# Characters allowed per cron field (minutes, hours, day-of-month, month, day-of-week, year).
_CRON_FIELD = [
    re.compile(r"[0-9*,/\-]+"),
    re.compile(r"[0-9*,/\-]+"),
    re.compile(r"[0-9*,/\-?LW]+"),
    re.compile(r"[0-9A-Za-z*,/\-]+"),
    re.compile(r"[0-9A-Za-z*,/\-?L#]+"),
    re.compile(r"[0-9*,/\-]+"),
]
_CRON_NAMES = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")

_SCHEDULE_HELP = (
    "Schedule must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or "
    "cron(minutes hours day-of-month month day-of-week year)"
)


def schedule_error(schedule: str) -> str | None:
    """Validate an ``at``/``rate``/``cron`` expression."""
    at = _AT.fullmatch(schedule)
    if at:
        try:
            _dt.datetime.strptime(at.group(1), "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return f"Invalid at() date in Schedule '{schedule}'. {_SCHEDULE_HELP}"
        return None
    if _RATE.fullmatch(schedule):
        return None
    cron = _CRON.fullmatch(schedule)
    if cron is None:
        return f"Invalid Schedule '{schedule}'. {_SCHEDULE_HELP}"
    fields = cron.group(1).split()
    if len(fields) != 6:
        return f"Invalid cron expression '{schedule}': expected 6 fields, got {len(fields)}. {_SCHEDULE_HELP}"
    for name, pattern, value in zip(_CRON_NAMES, _CRON_FIELD, fields, strict=True):
        if pattern.fullmatch(value) is None:
            return f"Invalid cron expression '{schedule}': bad {name} field '{value}'"
    if (fields[2] == "?") == (fields[4] == "?"):
        return (
            f"Invalid cron expression '{schedule}': exactly one of day-of-month and day-of-week must be '?'"
        )
    return None


def timezone_error(timezone: str) -> str | None:
    """Validate an IANA time zone name (``Europe/Berlin``, ``UTC``)."""
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"Timezone '{timezone}' is not a valid IANA time zone name"
    return None
