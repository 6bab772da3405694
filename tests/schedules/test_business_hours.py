"""Off-hours scale-to-zero as Application Auto Scaling would play it: a week of the scheduled actions the
app wrote for a tagged resource, delivered through the real path (rule -> queue -> handler)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from local_account.stack import EmulatedStack
from local_account.week import summarise
from tests.schedules.scenario import (
    BERLIN,
    BUSINESS_HOURS,
    UTC_ZONE,
    app_actions,
    open_hours,
    redeliver,
    target_bounds,
    transitions,
    week,
)
from tests.support.builders import configured_component

ZERO_TAGS = {
    "autoscaler:schedule": BUSINESS_HOURS,
    "autoscaler:off-hours": "zero",
    "autoscaler:min-capacity": "1",
    "autoscaler:max-capacity": "4",
}

# The first day of a simulated span of 168 hours, from local midnight.
SPANS = {
    "an ordinary week": date(2026, 3, 2),
    "the week that ends on the spring change": date(2026, 3, 23),
    "a span across the spring change": date(2026, 3, 26),
    "the week that ends on the autumn change": date(2026, 10, 19),
    "a span across the autumn change": date(2026, 10, 22),
}


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def is_business_hour(moment: datetime) -> bool:
    return moment.weekday() < 5 and 8 <= moment.hour < 19


@pytest.mark.parametrize("first_day", SPANS.values(), ids=SPANS.keys())
def test_zero_mode_holds_113_hours_at_zero_and_opens_at_8_local_every_weekday(
    stack: EmulatedStack, sagemaker: Any, first_day: date
) -> None:
    start = local_midnight(first_day, BERLIN)
    with freeze_time(start + timedelta(hours=10)):
        # Given a component tagged for Berlin business hours, zero outside them, 1..4 inside
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=ZERO_TAGS)
        # When the actions the app wrote are played for 168 hours from local midnight
        hours = week(rid, start)
    # Then 113 hours are held at zero and 55 run at the tagged bounds, nothing in between
    summary = summarise(hours, configured=(1, 4))
    assert (summary.hours_max_zero, summary.hours_at_configured_bounds) == (113, 55)
    assert {(h.min_capacity, h.max_capacity) for h in hours} == {(0, 0), (1, 4)}
    # And every weekday opens at 08:00 and closes at 19:00 Berlin time, whatever the UTC offset that day
    assert transitions(hours, BERLIN) == ([8] * 5, [19] * 5)
    assert [h.max_capacity > 0 for h in hours] == [
        is_business_hour(h.start.astimezone(BERLIN)) for h in hours
    ]


def test_a_holiday_stays_at_zero_all_day_and_only_that_day(
    stack: EmulatedStack, sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the account's holidays include Wednesday 2026-03-04
    monkeypatch.setenv("AUTOSCALER_HOLIDAYS", "2026-01-01,2026-03-04")
    stack.reset_dependencies()
    start = local_midnight(date(2026, 3, 2), BERLIN)
    with freeze_time(start + timedelta(hours=10)):
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=ZERO_TAGS)
        # When that week and the next are played
        holiday_week = week(rid, start)
        next_week = week(rid, start + timedelta(days=7))
    # Then Wednesday's 11 business hours are at zero too
    assert summarise(holiday_week, configured=(1, 4)).hours_max_zero == 113 + 11
    assert {day for day, _ in open_hours(holiday_week, BERLIN)} == {"Mon", "Tue", "Thu", "Fri"}
    # And the following Wednesday is an ordinary day again
    assert summarise(next_week, configured=(1, 4)).hours_max_zero == 113


def test_after_the_holiday_a_reconcile_keeps_the_following_weeks_ordinary(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a component deployed on Monday of a week with a holiday on Wednesday
    monkeypatch.setenv("AUTOSCALER_HOLIDAYS", "2026-03-04")
    stack.reset_dependencies()
    start = local_midnight(date(2026, 3, 2), BERLIN)
    with freeze_time(start + timedelta(hours=10)) as clock:
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=ZERO_TAGS)
        # When the holiday is over and an event about the component is delivered again
        clock.move_to(start + timedelta(days=3, hours=10))
        redeliver(stack, "mistral-7b")
        # Then its actions are those a component deployed now gets
        fresh = configured_component(stack, sagemaker, "fresh", tags=ZERO_TAGS)
        assert app_actions(autoscaling, rid, "mistral-7b") == app_actions(autoscaling, fresh, "fresh")
        # And the next week is an ordinary one
        next_week = week(rid, start + timedelta(days=7))
    assert summarise(next_week, configured=(1, 4)).hours_max_zero == 113
    assert transitions(next_week, BERLIN) == ([8] * 5, [19] * 5)


def test_a_window_across_midnight_opens_in_the_evening_and_closes_the_next_morning(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    start = local_midnight(date(2026, 3, 2), UTC_ZONE)
    with freeze_time(start + timedelta(hours=12)):
        # Given a component open Friday and Saturday from 22:00 to 02:00 UTC
        tags = {**ZERO_TAGS, "autoscaler:schedule": "Fri-Sat 22:00-02:00 UTC"}
        rid = configured_component(stack, sagemaker, "night-batch", tags=tags)
        # When the week is played
        hours = week(rid, start)
    # Then exactly the eight hours after 22:00 on Friday and Saturday are open
    assert open_hours(hours, UTC_ZONE) == [
        ("Fri", 22),
        ("Fri", 23),
        ("Sat", 0),
        ("Sat", 1),
        ("Sat", 22),
        ("Sat", 23),
        ("Sun", 0),
        ("Sun", 1),
    ]


def _days(*names: str) -> Callable[[datetime], bool]:
    wanted = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6}
    return lambda moment: moment.weekday() in {wanted[name] for name in names}


SYNTAX = {
    "two windows a day": (
        "Mon-Fri 08:00-12:00,13:00-19:00 Europe/Berlin",
        None,
        "Europe/Berlin",
        lambda m: _days("Mon", "Tue", "Wed", "Thu", "Fri")(m) and (8 <= m.hour < 12 or 13 <= m.hour < 19),
    ),
    "a list of days": (
        "Mon,Wed,Fri 09:00-17:00 UTC",
        None,
        "UTC",
        lambda m: _days("Mon", "Wed", "Fri")(m) and 9 <= m.hour < 17,
    ),
    "two groups": (
        "Mon-Fri 08:00-19:00; Sat 10:00-14:00 Europe/London",
        None,
        "Europe/London",
        lambda m: (
            (_days("Mon", "Tue", "Wed", "Thu", "Fri")(m) and 8 <= m.hour < 19)
            or (_days("Sat")(m) and 10 <= m.hour < 14)
        ),
    ),
    # SageMaker tag values cannot hold "," or ";": the tag-safe spellings of the three above
    "two windows a day, tag-safe": (
        "Mon-Fri 08:00-12:00 13:00-19:00 Europe/Berlin",
        None,
        "Europe/Berlin",
        lambda m: _days("Mon", "Tue", "Wed", "Thu", "Fri")(m) and (8 <= m.hour < 12 or 13 <= m.hour < 19),
    ),
    "a list of days, tag-safe": (
        "Mon+Wed+Fri 09:00-17:00 UTC",
        None,
        "UTC",
        lambda m: _days("Mon", "Wed", "Fri")(m) and 9 <= m.hour < 17,
    ),
    "two groups, tag-safe": (
        "Mon-Fri 08:00-19:00 Sat 10:00-14:00 Europe/London",
        None,
        "Europe/London",
        lambda m: (
            (_days("Mon", "Tue", "Wed", "Thu", "Fri")(m) and 8 <= m.hour < 19)
            or (_days("Sat")(m) and 10 <= m.hour < 14)
        ),
    ),
    "no zone: the account's": (
        "Mon-Fri 09:00-17:00",
        "America/New_York",
        "America/New_York",
        lambda m: _days("Mon", "Tue", "Wed", "Thu", "Fri")(m) and 9 <= m.hour < 17,
    ),
}


@pytest.mark.parametrize(
    ("schedule", "account_zone", "zone_name", "is_open"), SYNTAX.values(), ids=SYNTAX.keys()
)
def test_each_form_of_the_schedule_tag_opens_exactly_its_hours(
    stack: EmulatedStack,
    sagemaker: Any,
    monkeypatch: pytest.MonkeyPatch,
    schedule: str,
    account_zone: str | None,
    zone_name: str,
    is_open: Callable[[datetime], bool],
) -> None:
    if account_zone:
        monkeypatch.setenv("AUTOSCALER_TIMEZONE", account_zone)
        stack.reset_dependencies()
    zone = ZoneInfo(zone_name)
    start = local_midnight(date(2026, 3, 2), zone)
    with freeze_time(start + timedelta(hours=6)):
        # Given a component tagged with this schedule
        rid = configured_component(
            stack, sagemaker, "mistral-7b", tags={**ZERO_TAGS, "autoscaler:schedule": schedule}
        )
        # When the week is played in the schedule's zone
        hours = week(rid, start)
    # Then the open hours are exactly the schedule's
    assert [h.max_capacity > 0 for h in hours] == [is_open(h.start.astimezone(zone)) for h in hours]


@pytest.mark.parametrize(
    ("account_mode", "tag_mode", "off_hours_bounds"),
    [
        (None, "idle", (0, 6)),
        (None, None, (0, 6)),  # the account default is idle
        ("zero", None, (0, 0)),
        ("zero", "idle", (0, 6)),  # the tag wins over the account
    ],
)
def test_idle_mode_drops_only_the_minimum_outside_business_hours(
    stack: EmulatedStack,
    sagemaker: Any,
    monkeypatch: pytest.MonkeyPatch,
    account_mode: str | None,
    tag_mode: str | None,
    off_hours_bounds: tuple[int, int],
) -> None:
    if account_mode:
        monkeypatch.setenv("AUTOSCALER_OFF_HOURS_MODE", account_mode)
        stack.reset_dependencies()
    start = local_midnight(date(2026, 3, 2), BERLIN)
    with freeze_time(start + timedelta(hours=10)):
        # Given a component with business hours and 2..6 copies inside them
        tags = {
            "autoscaler:schedule": BUSINESS_HOURS,
            "autoscaler:min-capacity": "2",
            "autoscaler:max-capacity": "6",
        }
        if tag_mode:
            tags["autoscaler:off-hours"] = tag_mode
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=tags)
        # When the week is played
        hours = week(rid, start)
    # Then business hours run at 2..6, and the other 113 hours at the off-hours bounds
    business = {
        (h.min_capacity, h.max_capacity) for h in hours if is_business_hour(h.start.astimezone(BERLIN))
    }
    off = [
        (h.min_capacity, h.max_capacity) for h in hours if not is_business_hour(h.start.astimezone(BERLIN))
    ]
    assert business == {(2, 6)}
    assert set(off) == {off_hours_bounds} and len(off) == 113


def test_a_component_inherits_its_endpoints_schedule_and_its_own_tags_win_key_by_key(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    start = local_midnight(date(2026, 3, 2), BERLIN)
    with freeze_time(start + timedelta(hours=10)):
        # Given an endpoint tagged with business hours and zero, and a component of it tagged idle
        rid = configured_component(
            stack, sagemaker, "mistral-7b", tags={"autoscaler:off-hours": "idle"}, endpoint_tags=ZERO_TAGS
        )
        # When the week is played
        hours = week(rid, start)
    # Then it follows the endpoint's hours and bounds, with its own off-hours mode
    summary = summarise(hours, configured=(1, 4))
    assert (summary.hours_min_zero, summary.hours_max_zero, summary.hours_at_configured_bounds) == (
        113,
        0,
        55,
    )


def test_the_account_default_schedule_applies_to_an_untagged_component(
    stack: EmulatedStack, sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an account whose default is Berlin business hours, zero outside
    monkeypatch.setenv("AUTOSCALER_SCHEDULE", "Mon-Fri 08:00-19:00")
    monkeypatch.setenv("AUTOSCALER_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("AUTOSCALER_OFF_HOURS_MODE", "zero")
    stack.reset_dependencies()
    start = local_midnight(date(2026, 3, 2), BERLIN)
    with freeze_time(start + timedelta(hours=10)):
        rid = configured_component(stack, sagemaker, "mistral-7b", tags={})
        hours = week(rid, start)
    # Then it gets the week of the default (bounds: the account's default 1..4)
    summary = summarise(hours, configured=(1, 4))
    assert (summary.hours_max_zero, summary.hours_at_configured_bounds) == (113, 55)


@pytest.mark.parametrize(
    ("local_now", "extra_tags", "expected"),
    [
        ((2026, 3, 2, 10), {}, (1, 4)),  # Monday morning: business hours
        ((2026, 3, 2, 20), {}, (0, 0)),  # Monday evening
        ((2026, 3, 7, 12), {}, (0, 0)),  # Saturday
        ((2026, 3, 2, 20), {"autoscaler:keep-on-until": "2026-03-02T22:00:00"}, (1, 4)),  # kept on
    ],
    ids=["open", "evening", "weekend", "kept-on"],
)
def test_the_target_itself_holds_the_bounds_of_the_current_phase(
    stack: EmulatedStack,
    sagemaker: Any,
    autoscaling: Any,
    local_now: tuple[int, int, int, int],
    extra_tags: dict[str, str],
    expected: tuple[int, int],
) -> None:
    # Given the time of the reconcile
    now = datetime(*local_now, tzinfo=BERLIN)
    with freeze_time(now):
        # When a component with business hours is deployed
        rid = configured_component(stack, sagemaker, "mistral-7b", tags={**ZERO_TAGS, **extra_tags})
    # Then its registered bounds are those of that moment, not of business hours
    assert target_bounds(autoscaling, rid) == expected
    # And they agree with what its scheduled actions give at that moment
    [hour] = week(rid, now, hours=1)
    assert (hour.min_capacity, hour.max_capacity) == expected
