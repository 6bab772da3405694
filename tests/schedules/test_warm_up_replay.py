"""The warm-up lead as Application Auto Scaling would play it: with WarmUpMinutes=15, the actions the
app wrote ask for capacity at 07:45 Berlin time before every 08:00 opening, in the weeks of both
daylight-saving changes and the day after a holiday, and never on the holiday."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time

from local_account.stack import EmulatedStack
from local_account.week import read_target, replay
from tests.schedules.scenario import BERLIN, BUSINESS_HOURS, COMPONENT_DIMENSION
from tests.support.builders import configured_component

TAGS = {"autoscaler:schedule": BUSINESS_HOURS, "autoscaler:off-hours": "zero", "autoscaler:max-capacity": "4"}

# The Thursday a week starts on, three days before a daylight-saving change (Sunday); the Monday after
# the change is a holiday, so the Tuesday is the day after a holiday, at the new UTC offset.
WEEKS = {
    "across the spring change": date(2026, 3, 26),
    "across the autumn change": date(2026, 10, 22),
}


def bounds_at(initial: tuple[int, int], actions: list[Any], moment: datetime) -> tuple[int, int]:
    """The (min, max) the replayed actions leave at ``moment``."""
    [sample] = replay(initial, actions, moment, 1)
    return sample.min_capacity, sample.max_capacity


@pytest.mark.parametrize("first", WEEKS.values(), ids=WEEKS.keys())
def test_capacity_is_requested_15_minutes_before_each_opening(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, monkeypatch: pytest.MonkeyPatch, first: date
) -> None:
    # Given the account's WarmUpMinutes=15, the Monday after the change a holiday, and a component on
    # Berlin business hours, configured on the Thursday before
    holiday = first + timedelta(days=4)
    assert holiday.weekday() == 0
    monkeypatch.setenv("AUTOSCALER_WARM_UP_MINUTES", "15")
    monkeypatch.setenv("AUTOSCALER_HOLIDAYS", holiday.isoformat())
    stack.reset_dependencies()
    with freeze_time(datetime(first.year, first.month, first.day, 10, tzinfo=BERLIN)):
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=TAGS)
        initial, actions = read_target(autoscaling, rid, COMPONENT_DIMENSION)

    # When the stored actions are replayed at 07:44 and 07:45 Berlin time on each day of the week
    for offset in range(7):
        day = first + timedelta(days=offset)
        before, at = (datetime(day.year, day.month, day.day, 7, minute, tzinfo=BERLIN) for minute in (44, 45))
        requested = bounds_at(initial, actions, at)
        # Then capacity is requested at 07:45 on every working day (not a minute before), the day
        # after the holiday included, and on no other day
        working = day.weekday() < 5 and day != holiday
        assert bounds_at(initial, actions, before) == (0, 0), day
        assert requested == ((1, 4) if working else (0, 0)), day
    # And the closing has not moved: 19:00, after the change too
    tuesday = first + timedelta(days=5)
    evening = datetime(tuesday.year, tuesday.month, tuesday.day, 19, tzinfo=BERLIN)
    assert bounds_at(initial, actions, evening - timedelta(minutes=1)) == (1, 4)
    assert bounds_at(initial, actions, evening) == (0, 0)
