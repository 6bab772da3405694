"""The warm-up lead: openings come that much earlier (closings do not move), so capacity is serving at
the opening the user wrote; holidays move with the lead; an account parameter and a tag set it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from msgspec.structs import replace

from sagemaker_autoscaler.core.domain import ResourceKind, ScalableResource, Severity
from sagemaker_autoscaler.core.overrides import resolve_config
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.schedule_syntax import parse_schedule
from sagemaker_autoscaler.core.schedules import is_open, transitions
from sagemaker_autoscaler.core.settings import Settings, SettingsError

BERLIN = ZoneInfo("Europe/Berlin")


def opening_times(text: str, lead: int) -> list[tuple[str, str]]:
    schedule = parse_schedule(text, "Europe/Berlin")
    assert schedule is not None
    return [(t.kind, t.name.split("-", 2)[1]) for t in transitions(replace(schedule, warm_up_minutes=lead))]


def test_openings_move_earlier_and_closings_stay() -> None:
    # Given office hours with a 15-minute lead
    # When / Then the opening is at 07:45 and the closing still at 18:00
    assert opening_times("Mon-Fri 08:00-18:00", 15) == [("open", "0745"), ("close", "1800")]
    # And without a lead nothing moves
    assert opening_times("Mon-Fri 08:00-18:00", 0) == [("open", "0800"), ("close", "1800")]


def test_a_lead_across_midnight_opens_the_evening_before() -> None:
    # Given openings at 00:10 on weekdays, with a 30-minute lead
    schedule = parse_schedule("Mon-Fri 00:10-06:00", "Europe/Berlin")
    assert schedule is not None
    [closing, opening] = transitions(replace(schedule, warm_up_minutes=30))  # by time of day
    # Then the openings fire at 23:40 the day before: Sunday to Thursday (Monday's comes on Sunday)
    assert (opening.kind, opening.cron) == ("open", "cron(40 23 ? * MON,TUE,WED,THU,SUN *)")
    assert (closing.kind, closing.cron) == ("close", "cron(0 6 ? * MON,TUE,WED,THU,FRI *)")


def test_a_closure_shorter_than_the_lead_disappears() -> None:
    # Given a lunch break of 30 minutes and a lead of 45
    # When / Then capacity never drops at lunch: one opening and one closing a day
    assert opening_times("Mon-Fri 08:00-12:00,12:30-18:00", 45) == [("open", "0715"), ("close", "1800")]
    # And a lead shorter than the break keeps it, shortened
    assert opening_times("Mon-Fri 08:00-12:00,13:00-18:00", 15) == [
        ("open", "0745"),
        ("close", "1200"),
        ("open", "1245"),
        ("close", "1800"),
    ]


def test_a_holiday_suppresses_the_lead_of_its_own_opening_only() -> None:
    # Given weekday openings at 00:10 with a 30-minute lead, and Wednesday 2026-03-04 a holiday
    schedule = parse_schedule("Mon-Fri 00:10-06:00", "Europe/Berlin")
    assert schedule is not None
    warmed = replace(schedule, warm_up_minutes=30)
    holidays = (date(2026, 3, 4),)
    # Then the warm-up on Tuesday evening (for Wednesday) does not open
    assert not is_open(warmed, holidays, datetime(2026, 3, 3, 23, 50, tzinfo=BERLIN))
    # And the warm-up on the holiday's evening (for Thursday) does
    assert is_open(warmed, holidays, datetime(2026, 3, 4, 23, 50, tzinfo=BERLIN))
    # And an ordinary evening opens at the lead
    assert is_open(warmed, holidays, datetime(2026, 3, 2, 23, 45, tzinfo=BERLIN))
    assert not is_open(warmed, holidays, datetime(2026, 3, 2, 23, 35, tzinfo=BERLIN))


def component(tags: dict[str, str]) -> ScalableResource:
    return ScalableResource(
        ResourceKind.INFERENCE_COMPONENT, "llm", "AllTraffic", tags, component_name="mistral-7b"
    )


HOURS = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin", "autoscaler:off-hours": "zero"}
MONDAY = datetime(2026, 3, 2, 10, tzinfo=BERLIN)


def opening_names(tags: dict[str, str], settings: Settings) -> list[str]:
    plan = plan_resource(component({**HOURS, **tags}), settings, MONDAY)
    assert plan.desired is not None
    return [a.name for a in plan.desired.scheduled_actions if "-open-" in a.name]


@pytest.mark.parametrize(
    ("tags", "settings", "opening"),
    [
        ({}, Settings(), "0745"),  # the component's own lead
        ({}, Settings(warm_up_minutes=0), "0800"),  # the account parameter
        ({}, Settings(warm_up_minutes=40), "0720"),
        ({"autoscaler:warm-up": "30"}, Settings(warm_up_minutes=0), "0730"),  # the tag wins
        ({"autoscaler:warm-up": "0"}, Settings(), "0800"),
    ],
)
def test_the_lead_comes_from_the_tag_then_the_account_then_the_kind(
    tags: dict[str, str], settings: Settings, opening: str
) -> None:
    assert opening_names(tags, settings) == [f"sagemaker-autoscaler-open-{opening}-mon-tue-wed-thu-fri"]


@pytest.mark.parametrize("value", ["soon", "-5", "241", "15m"])
def test_a_bad_warm_up_tag_is_reported_and_the_default_applies(value: str) -> None:
    # Given a warm-up tag that is no whole number of minutes up to 240
    config, problems = resolve_config({"autoscaler:warm-up": value}, Settings(warm_up_minutes=20))
    # Then it is reported as invalid and the account's lead applies
    assert [(p.setting, p.severity) for p in problems] == [("autoscaler:warm-up", Severity.INVALID)]
    assert config.warm_up_minutes == 20


@pytest.mark.parametrize(("raw", "expected"), [("", None), ("  ", None), ("0", 0), ("15", 15), ("240", 240)])
def test_the_account_parameter_is_minutes_or_empty(raw: str, expected: int | None) -> None:
    assert Settings.from_environment({"AUTOSCALER_WARM_UP_MINUTES": raw}).warm_up_minutes == expected


@pytest.mark.parametrize("raw", ["241", "-1", "ten", "7.5"])
def test_a_bad_account_parameter_stops_the_deployment(raw: str) -> None:
    with pytest.raises(SettingsError, match="AUTOSCALER_WARM_UP_MINUTES"):
        Settings.from_environment({"AUTOSCALER_WARM_UP_MINUTES": raw})


def test_a_lead_that_closes_every_gap_leaves_the_resource_open() -> None:
    # Given a schedule whose only closure (23:50-24:00) is shorter than the component's 15-minute lead
    tags = {"autoscaler:schedule": "Mon-Sun 00:00-23:50 Europe/Berlin", "autoscaler:off-hours": "zero"}

    # When it is planned in what would have been the closure
    plan = plan_resource(component(tags), Settings(), datetime(2026, 3, 4, 23, 55, tzinfo=BERLIN))

    # Then it is open all week: its business bounds, and no action that could ever close it
    assert plan.desired is not None
    assert (plan.desired.target.min_capacity, plan.desired.target.max_capacity) == (1, 4)
    assert plan.desired.scheduled_actions == ()
    assert plan.reason == "managed, in business hours"
