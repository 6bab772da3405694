"""``is_open`` against the independent replay of the actions ``scheduled_actions`` writes: every five
minutes for days around holidays, daylight-saving changes and warm-up leads, the two must agree. The
target's own bounds come from ``is_open``; the actions move them afterwards: a disagreement is a
resource at the wrong capacity until the next transition."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from local_account.week import Action, firing_times
from sagemaker_autoscaler.core.schedule_syntax import parse_schedule
from sagemaker_autoscaler.core.scheduled_actions import scheduled_actions
from sagemaker_autoscaler.core.schedules import Schedule, is_open

OPEN, CLOSED = (1, 4), (0, 0)


def disagreements(
    schedule: Schedule, holidays: tuple[date, ...], now: datetime, days: int = 4
) -> list[tuple[datetime, tuple[int, int], tuple[int, int]]]:
    """(local time, replayed bounds, bounds is_open gives) wherever they differ, every 5 minutes."""
    specs, _ = scheduled_actions(schedule, OPEN, CLOSED, holidays, now)
    actions = [
        Action(s.name, s.schedule, s.timezone, s.start_time, s.end_time, s.min_capacity, s.max_capacity)
        for s in specs
    ]
    first = now.astimezone(UTC)
    last = first + timedelta(days=days)
    firings = sorted(
        (when, action.name, action) for action in actions for when in firing_times(action, first, last)
    )
    state = OPEN if is_open(schedule, holidays, first) else CLOSED  # the target's bounds when planned
    found, index, moment = [], 0, first
    while moment <= last:
        while index < len(firings) and firings[index][0] <= moment:
            action = firings[index][2]
            state = (action.min_capacity or 0, action.max_capacity or 0)
            index += 1
        expected = OPEN if is_open(schedule, holidays, moment) else CLOSED
        if expected != state:
            found.append((moment.astimezone(schedule.zone), state, expected))
        moment += timedelta(minutes=5)
    return found


def schedule_of(text: str, zone: str, lead: int) -> Schedule:
    schedule = parse_schedule(text, zone)
    assert schedule is not None
    return replace(schedule, warm_up_minutes=lead)


CASES = {
    # a lead that closes every gap: open all week, nothing to write, never closed
    "a lead that closes every gap": (
        "Mon-Sun 00:00-23:50",
        "Europe/Berlin",
        15,
        (),
        datetime(2026, 3, 4, 11, tzinfo=UTC),
    ),
    # an opening on the first minute of a holiday: left out whichever way AWS reads EndTime
    "an opening at a holiday's midnight": (
        "Mon-Fri 00:00-06:00",
        "Europe/Berlin",
        0,
        (date(2026, 3, 4),),
        datetime(2026, 3, 2, 12, tzinfo=UTC),
    ),
    "its warm-up the evening before": (
        "Mon-Fri 00:00-06:00",
        "Europe/Berlin",
        15,
        (date(2026, 3, 4),),
        datetime(2026, 3, 2, 12, tzinfo=UTC),
    ),
    # the holiday is still today in New York when it is already tomorrow in UTC
    "a holiday's evening behind UTC": (
        "Mon-Fri 22:00-23:00",
        "America/New_York",
        0,
        (date(2026, 3, 4),),
        datetime(2026, 3, 5, 1, 30, tzinfo=UTC),
    ),
    # a warm-up pushed into the hour the spring change skips
    "a warm-up in the spring gap": (
        "Sun 03:00-03:30; Mon-Fri 08:00-18:00",
        "Europe/Berlin",
        15,
        (),
        datetime(2026, 3, 28, 12, tzinfo=UTC),
    ),
}


@pytest.mark.parametrize(("text", "zone", "lead", "holidays", "now"), CASES.values(), ids=CASES.keys())
def test_is_open_agrees_with_the_replayed_actions(
    text: str, zone: str, lead: int, holidays: tuple[date, ...], now: datetime
) -> None:
    assert disagreements(schedule_of(text, zone, lead), holidays, now) == []


WINDOWS = st.sampled_from(
    ["00:00-06:00", "07:30-12:00 13:00-19:00", "08:00-18:00", "22:00-23:30", "02:30-03:30"]
)
DAYS = st.sampled_from(["Mon-Fri", "Mon-Sun", "Sat-Sun", "Sun", "Mon,Wed"])


@settings(max_examples=25, deadline=None)
@given(
    days=DAYS,
    windows=WINDOWS,
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "UTC"]),
    lead=st.sampled_from([0, 5, 15, 45, 90]),
    start=st.sampled_from([datetime(2026, 3, 26, 20, tzinfo=UTC), datetime(2026, 10, 22, 20, tzinfo=UTC)]),
    holiday_offset=st.integers(min_value=0, max_value=4),
)
def test_is_open_agrees_with_the_replay_across_the_daylight_saving_changes(
    days: str, windows: str, zone: str, lead: int, start: datetime, holiday_offset: int
) -> None:
    # Given a schedule, a lead and one holiday in the days of a daylight-saving change
    holiday = (start + timedelta(days=holiday_offset)).date()
    schedule = schedule_of(f"{days} {windows}", zone, lead)
    # Then the actions written and is_open agree at every five minutes
    assert disagreements(schedule, (holiday,), start, days=5) == []


def test_the_zone_of_the_cases_is_real() -> None:
    assert all(ZoneInfo(case[1]) for case in CASES.values())


def test_a_keep_on_that_ends_on_a_holiday_too_far_to_be_written_holds_nothing_back() -> None:
    # Given five opening times a week (room for 37 holidays in 200 actions), 40 Monday holidays, and a
    # keep-on-until that ends at 15:00 on the last of them
    schedule = schedule_of(
        "Mon 08:00-18:00; Tue 09:00-18:00; Wed 10:00-18:00; Thu 11:00-18:00; Fri 12:00-18:00",
        "Europe/Berlin",
        0,
    )
    now = datetime(2026, 1, 5, 6, tzinfo=UTC)
    holidays = tuple(date(2026, 1, 12) + timedelta(weeks=week) for week in range(40))
    keep_on = datetime.combine(holidays[-1], datetime.min.time(), tzinfo=ZoneInfo("Europe/Berlin")).replace(
        hour=15
    )

    # When the actions are written
    specs, warnings = scheduled_actions(schedule, OPEN, CLOSED, holidays, now, keep_on)

    # Then the farthest holidays do not fit, and on that one, whose opening is written, the end of the
    # keep-on closes nothing: the resource stays open as the written actions leave it
    assert [warning.code for warning in warnings] == ["TooManyHolidays"]
    assert "sagemaker-autoscaler-keep-on-until-end" not in {spec.name for spec in specs}
