"""The week simulator's pure parts: AWS cron in croniter's terms, firing times, replay and summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from local_account.week import (
    Action,
    Hour,
    UnsupportedSchedule,
    convert_cron,
    convert_day_of_week,
    cron_occurrences,
    firing_times,
    parse_years,
    replay,
    summarise,
)

BERLIN = ZoneInfo("Europe/Berlin")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def berlin(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("aws", "expected"),
    [
        ("?", "*"),
        ("MON-FRI", "1,2,3,4,5"),
        ("2-6", "1,2,3,4,5"),  # AWS 2 = MONDAY ... 6 = FRIDAY
        ("1", "0"),  # AWS 1 = SUNDAY
        ("7", "6"),  # AWS 7 = SATURDAY
        ("MON,WED,FRI", "1,3,5"),
        ("FRI-MON", "0,1,5,6"),  # wraps over the weekend
        ("*/2", "0,2,4,6"),  # every other day from SUNDAY
        ("2/2", "1,3,5"),  # every other day from MONDAY
        ("6#3", "5#3"),  # third Friday
        ("6L", "L5"),  # last Friday
    ],
)
def test_days_of_week_are_renumbered_from_aws_to_croniter(aws: str, expected: str) -> None:
    assert convert_day_of_week(aws) == expected


def test_a_cron_loses_its_question_mark_and_keeps_its_years_apart() -> None:
    assert convert_cron("0 8 ? * MON-FRI *") == ("0 8 * * 1,2,3,4,5", frozenset(range(1970, 2200)))
    assert convert_cron("30 22 1 * ? 2026")[0] == "30 22 1 * *"
    assert parse_years("2026-2028") == {2026, 2027, 2028}
    assert parse_years("2026/2,2031") == {*range(2026, 2200, 2), 2031}


@pytest.mark.parametrize("bad", ["0 8 ? * MON-FRI", "0 8 15W * ? *", "0 8 ? * MONDAY *", "0 8 ? * 8 *"])
def test_expressions_that_cannot_be_replayed_faithfully_are_refused(bad: str) -> None:
    with pytest.raises(UnsupportedSchedule):
        convert_cron(bad)


def test_the_opening_stays_at_8_local_across_the_spring_change() -> None:
    # Given a weekday 08:00 Berlin cron, and the week around Sunday 2026-03-29 (clocks go 02:00 -> 03:00)
    found = cron_occurrences("0 8 ? * MON-FRI *", "Europe/Berlin", utc(2026, 3, 26), utc(2026, 4, 1))
    # Then it fires at 08:00 local on both sides, which is 07:00 UTC before and 06:00 UTC after
    assert [t.astimezone(BERLIN).strftime("%a %H:%M") for t in found] == [
        "Thu 08:00",
        "Fri 08:00",
        "Mon 08:00",
        "Tue 08:00",
    ]
    assert [t.hour for t in found] == [7, 7, 6, 6]


def test_the_autumn_change_moves_the_utc_instant_back() -> None:
    # Given the week around Sunday 2026-10-25 (clocks go 03:00 -> 02:00)
    found = cron_occurrences("0 19 ? * MON-FRI *", "Europe/Berlin", utc(2026, 10, 22), utc(2026, 10, 28))
    assert [t.hour for t in found] == [17, 17, 18, 18]  # 19:00 CEST, then 19:00 CET


def test_times_in_the_dst_gap_fire_once_shifted_and_repeated_times_fire_once() -> None:
    # 02:30 does not exist on 2026-03-29 in Berlin: it fires at 03:30 summer time (01:30 UTC)
    spring = cron_occurrences("30 2 29 3 ? 2026", "Europe/Berlin", utc(2026, 3, 28), utc(2026, 3, 30))
    assert spring == [utc(2026, 3, 29, 1, 30)]
    # 02:30 happens twice on 2026-10-25: it fires at the first (summer time, 00:30 UTC)
    autumn = cron_occurrences("30 2 25 10 ? 2026", "Europe/Berlin", utc(2026, 10, 24), utc(2026, 10, 26))
    assert autumn == [utc(2026, 10, 25, 0, 30)]


def test_the_year_field_limits_firings() -> None:
    expression = "0 12 1 * ? 2027"
    assert cron_occurrences(expression, "UTC", utc(2026, 11, 15), utc(2027, 2, 15)) == [
        utc(2027, 1, 1, 12),
        utc(2027, 2, 1, 12),
    ]
    assert cron_occurrences("0 12 1 * ? 2025", "UTC", utc(2026, 1, 1), utc(2026, 3, 1)) == []


def test_numeric_days_count_from_sunday() -> None:
    # 2026-03-01 is a Sunday: AWS day 1
    found = cron_occurrences("0 9 ? * 1 *", "UTC", utc(2026, 3, 1), utc(2026, 3, 15, 9))
    assert [t.strftime("%a %d") for t in found] == ["Sun 01", "Sun 08", "Sun 15"]


def test_at_fires_once_in_its_time_zone() -> None:
    action = Action("drop", "at(2026-03-04T22:00:00)", "Europe/Berlin", max_capacity=0)
    assert firing_times(action, utc(2026, 3, 1), utc(2026, 3, 8)) == [utc(2026, 3, 4, 21)]
    assert firing_times(action, utc(2026, 3, 5), utc(2026, 3, 8)) == []


def test_start_and_end_time_bound_a_cron_inclusively() -> None:
    # Given a daily 19:00 UTC action valid from Tuesday 19:00 to Thursday 19:00
    action = Action(
        "close", "cron(0 19 * * ? *)", "UTC", start_time=utc(2026, 3, 3, 19), end_time=utc(2026, 3, 5, 19)
    )
    assert firing_times(action, utc(2026, 3, 1), utc(2026, 3, 8)) == [
        utc(2026, 3, 3, 19),
        utc(2026, 3, 4, 19),
        utc(2026, 3, 5, 19),
    ]


def test_rate_counts_from_its_start_time() -> None:
    action = Action("tick", "rate(6 hours)", start_time=utc(2026, 3, 1, 1))
    assert firing_times(action, utc(2026, 3, 1, 8), utc(2026, 3, 1, 20)) == [
        utc(2026, 3, 1, 13),
        utc(2026, 3, 1, 19),
    ]


def test_replay_samples_after_firings_at_the_hour_and_keeps_omitted_values() -> None:
    # Given business hours 08:00-19:00 UTC every day, the close setting only the maximum
    actions = [
        Action("open", "cron(0 8 * * ? *)", min_capacity=1, max_capacity=4),
        Action("close", "cron(0 19 * * ? *)", max_capacity=0),
    ]
    # When a day is replayed from a target that was last reconciled at 1..4 in business hours
    day = replay((1, 4), actions, utc(2026, 3, 2), 24, warmup=timedelta(0))
    # Then 08:00 is already open, 19:00 already closed, and the close leaves the minimum as it was
    assert [(h.min_capacity, h.max_capacity) for h in day[7:9]] == [(1, 4), (1, 4)]
    assert (day[18].max_capacity, day[19].max_capacity) == (4, 0)
    assert day[19].min_capacity == 1


def test_the_warm_up_starts_the_span_in_the_steady_state() -> None:
    actions = [
        Action("open", "cron(0 8 * * ? *)", min_capacity=1, max_capacity=4),
        Action("close", "cron(0 19 * * ? *)", min_capacity=0, max_capacity=0),
    ]
    # Reconciled during business hours (1..4), but at midnight the previous evening's close holds
    assert replay((1, 4), actions, utc(2026, 3, 2), 1)[0] == Hour(utc(2026, 3, 2), 0, 0)


def test_samples_are_elapsed_hours_in_the_zone_of_start() -> None:
    # The spring-change Sunday has 23 hours: 24 samples reach Monday 00:00
    day = replay((1, 1), [], berlin(2026, 3, 29), 24)
    assert day[-1].start == berlin(2026, 3, 30)
    assert [h.start.hour for h in day[:4]] == [0, 1, 3, 4]
    with pytest.raises(ValueError, match="aware"):
        replay((1, 1), [], datetime(2026, 3, 2), 1)


def test_summary_separates_held_idle_and_business_hours() -> None:
    start = utc(2026, 3, 2)
    bounds = [(1, 4)] * 10 + [(0, 4)] * 4 + [(0, 0)] * 6 + [(2, 4)] * 4
    hours = [Hour(start + timedelta(hours=i), low, high) for i, (low, high) in enumerate(bounds)]
    summary = summarise(hours, configured=(1, 4))
    assert (summary.hours, summary.hours_max_zero, summary.hours_min_zero) == (24, 6, 4)
    assert (summary.hours_at_configured_bounds, summary.hours_at_full, summary.hours_at_zero) == (10, 18, 10)
    assert summary.share_held_at_zero == pytest.approx(6 / 24)
    assert summary.share_idle_at_zero == pytest.approx(4 / 24)
    # Without configured bounds, the business bounds are the ones with the highest max, then min
    assert summarise(hours).configured_bounds == (2, 4)
    assert summarise(hours).bounds_hours == (((2, 4), 4), ((1, 4), 10), ((0, 4), 4), ((0, 0), 6))
