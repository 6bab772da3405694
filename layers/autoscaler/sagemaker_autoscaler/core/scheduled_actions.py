"""A pure generator: from a schedule, the bounds it opens and closes to, the holidays and a keep-on-until
in force, to the Application Auto Scaling scheduled actions that realise it.

Every opening and closing time is one action with a cron in the schedule's own zone (AWS applies
daylight-saving changes itself). Holidays split each opening into StartTime/EndTime segments so that no
opening happens that day; a keep-on-until in force holds every closing back (StartTime) and adds a one-off
``at()`` closing when it ends.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sagemaker_autoscaler.core.domain import NAME_PREFIX, PlanWarning, ScheduledActionSpec
from sagemaker_autoscaler.core.schedules import Schedule, Segment, is_open, opening_segments, transitions

HOLIDAY_HORIZON_DAYS = 366  # how far ahead holidays are written (and keep-on-until may reach)
MAX_SCHEDULED_ACTIONS = 200  # Application Auto Scaling's quota per scalable target
KEEP_ON_UNTIL_END = f"{NAME_PREFIX}keep-on-until-end"
# AWS does not document whether StartTime and EndTime are inclusive. An opening lies on a segment's edge
# when it is written for the first minute of a holiday's window or of the day after: both edges are
# written a second early, so that the first is left out and the second kept, whichever AWS's reading.
EDGE = timedelta(seconds=1)

Bounds = tuple[int, int]


def upcoming_holidays(
    schedule: Schedule, holidays: tuple[date, ...], now: datetime
) -> tuple[tuple[date, ...], tuple[PlanWarning, ...]]:
    """The next year's holidays, as many as fit in the 200 scheduled actions per target (each holiday
    adds one opening action per opening time); the nearest ones win, and a warning says so."""
    today = now.astimezone(schedule.zone).date()  # a holiday is a day of the schedule's zone
    horizon = today + timedelta(days=HOLIDAY_HORIZON_DAYS)
    upcoming = [day for day in holidays if today <= day <= horizon]
    week = transitions(schedule)
    openings = sum(1 for t in week if t.kind == "open")
    closings = len(week) - openings
    room = (MAX_SCHEDULED_ACTIONS - closings - 1) // max(openings, 1) - 1
    if len(upcoming) <= room:
        return tuple(upcoming), ()
    warning = PlanWarning(
        "TooManyHolidays",
        f"only the next {room} of {len(upcoming)} holidays fit in Application Auto Scaling's "
        f"{MAX_SCHEDULED_ACTIONS} scheduled actions per target; the later ones apply later",
    )
    return tuple(upcoming[: max(room, 0)]), (warning,)


def scheduled_actions(
    schedule: Schedule,
    open_bounds: Bounds,
    closed: Bounds,
    holidays: tuple[date, ...],
    now: datetime,
    keep_on: datetime | None = None,
) -> tuple[tuple[ScheduledActionSpec, ...], tuple[PlanWarning, ...]]:
    """Openings (split around holidays) and closings (held back while ``keep_on`` is in force)."""
    zone = schedule.timezone
    upcoming, warnings = upcoming_holidays(schedule, holidays, now)
    segments = opening_segments(upcoming, zone, now, schedule.warm_up_minutes)
    actions: list[ScheduledActionSpec] = []
    for transition in transitions(schedule):
        name = NAME_PREFIX + transition.name
        if transition.kind == "close":
            actions.append(ScheduledActionSpec(name, transition.cron, zone, *closed, start_time=keep_on))
            continue
        for segment in segments:
            start = None if segment.start is None else segment.start - EDGE
            end = None if segment.end is None else segment.end - EDGE
            spec = ScheduledActionSpec(
                name + _suffix(segment, schedule), transition.cron, zone, *open_bounds, start, end
            )
            actions.append(spec)
    # Only the holidays written as segments hold an opening back (the farthest may not fit: see above).
    if keep_on is not None and not is_open(schedule, upcoming, keep_on):
        # The held-back closing happens when the exception ends, not at the next regular closing.
        local = keep_on.astimezone(schedule.zone).strftime("%Y-%m-%dT%H:%M:%S")
        actions.append(ScheduledActionSpec(KEEP_ON_UNTIL_END, f"at({local})", zone, *closed))
    return tuple(actions), warnings


def _suffix(segment: Segment, schedule: Schedule) -> str:
    """``-from-YYYYMMDD``: the first day the segment opens on (it starts the warm-up lead before it, in
    local time)."""
    if segment.start is None:
        return ""
    first_day = segment.start.astimezone(schedule.zone) + timedelta(minutes=schedule.warm_up_minutes)
    return first_day.strftime("-from-%Y%m%d")
