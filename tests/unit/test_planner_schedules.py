"""The planner with business hours: bounds by phase, scheduled actions, holidays, exceptions, warnings."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sagemaker_autoscaler.core.domain import (
    WAKE_FROM_ZERO_POLICY,
    ManagedInstanceScaling,
    ResourceKind,
    ScalableResource,
    Severity,
)
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.schedule_syntax import parse_schedule
from sagemaker_autoscaler.core.settings import OffHoursMode, Settings

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
MONDAY_NIGHT = datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN)
SCALE_TO_ZERO_HOST = ManagedInstanceScaling(enabled=True, min_instance_count=0, max_instance_count=4)
HOURS = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin"}


def component(
    tags: dict[str, str], host: ManagedInstanceScaling | None = SCALE_TO_ZERO_HOST
) -> ScalableResource:
    return ScalableResource(
        ResourceKind.INFERENCE_COMPONENT,
        "llm-shared",
        "AllTraffic",
        tags,
        component_name="mistral-7b",
        host_instance_scaling=host,
    )


def realtime(tags: dict[str, str]) -> ScalableResource:
    return ScalableResource(ResourceKind.REALTIME_VARIANT, "chat", "AllTraffic", tags)


def actions(plan_desired: object) -> dict[str, tuple[str, int, int]]:
    return {a.name: (a.schedule, a.min_capacity, a.max_capacity) for a in plan_desired.scheduled_actions}  # type: ignore[attr-defined]


def test_zero_mode_writes_an_opening_and_a_closing_in_the_resource_time_zone() -> None:
    plan = plan_resource(component({**HOURS, "autoscaler:off-hours": "zero"}), Settings(), MONDAY_MORNING)
    assert plan.desired is not None
    # The opening comes the component's warm-up lead (15 minutes) early, so copies serve at 08:00
    assert actions(plan.desired) == {
        "sagemaker-autoscaler-open-0745-mon-tue-wed-thu-fri": ("cron(45 7 ? * MON,TUE,WED,THU,FRI *)", 1, 4),
        "sagemaker-autoscaler-close-1900-mon-tue-wed-thu-fri": ("cron(0 19 ? * MON,TUE,WED,THU,FRI *)", 0, 0),
    }
    assert {a.timezone for a in plan.desired.scheduled_actions} == {"Europe/Berlin"}
    # In business hours the target itself has the configured bounds...
    assert (plan.desired.target.min_capacity, plan.desired.target.max_capacity) == (1, 4)
    assert plan.reason == "managed, in business hours"
    # ...and at night it has the off-hours bounds, so a reconcile at night does not wake it up.
    night = plan_resource(component({**HOURS, "autoscaler:off-hours": "zero"}), Settings(), MONDAY_NIGHT)
    assert night.desired is not None
    assert (night.desired.target.min_capacity, night.desired.target.max_capacity) == (0, 0)
    # Hard off cannot be woken: no wake-from-zero policy.
    assert [p.name for p in plan.desired.policies] == ["sagemaker-autoscaler-target-tracking"]


def test_idle_mode_keeps_the_maximum_and_can_wake_from_zero() -> None:
    plan = plan_resource(component(HOURS), Settings(off_hours_mode=OffHoursMode.IDLE), MONDAY_NIGHT)
    assert plan.desired is not None
    assert (plan.desired.target.min_capacity, plan.desired.target.max_capacity) == (0, 4)
    assert WAKE_FROM_ZERO_POLICY in [p.name for p in plan.desired.policies]
    assert [a.metric_name for a in plan.desired.alarms] == ["NoCapacityInvocationFailures"]


def test_the_account_default_schedule_applies_and_a_tag_can_turn_it_off() -> None:
    settings = Settings(
        schedule=parse_schedule("Mon-Fri 09:00-17:00", "Europe/Berlin"), timezone="Europe/Berlin"
    )
    scheduled = plan_resource(component({}), settings, MONDAY_NIGHT)
    assert scheduled.desired is not None and scheduled.desired.scheduled_actions
    always_on = plan_resource(component({"autoscaler:schedule": "always-on"}), settings, MONDAY_NIGHT)
    assert always_on.desired is not None and always_on.desired.scheduled_actions == ()
    assert always_on.desired.target.min_capacity == 1


def test_a_bad_schedule_tag_is_reported_and_the_account_default_applies() -> None:
    plan = plan_resource(component({"autoscaler:schedule": "Mon-Fri 8-19"}), Settings(), MONDAY_NIGHT)
    assert plan.desired is not None and plan.desired.scheduled_actions == ()
    [problem] = plan.problems
    assert problem.severity is Severity.INVALID and "is not a time window" in problem.message


def test_a_bad_off_hours_mode_is_reported() -> None:
    plan = plan_resource(component({**HOURS, "autoscaler:off-hours": "sleep"}), Settings(), MONDAY_NIGHT)
    assert [p.setting for p in plan.problems] == ["autoscaler:off-hours"]
    assert plan.desired is not None and plan.desired.target.max_capacity == 4  # idle, the default


def test_a_realtime_variant_keeps_one_instance_outside_business_hours_and_says_so() -> None:
    plan = plan_resource(realtime({**HOURS, "autoscaler:off-hours": "zero"}), Settings(), MONDAY_NIGHT)
    assert plan.desired is not None
    assert (plan.desired.target.min_capacity, plan.desired.target.max_capacity) == (1, 1)
    assert all(a.min_capacity >= 1 for a in plan.desired.scheduled_actions)
    assert [w.code for w in plan.warnings] == ["RealtimeOffHoursFloor"]


def test_scale_to_zero_without_managed_instance_scaling_at_zero_is_warned_about() -> None:
    for host in (None, ManagedInstanceScaling(enabled=False), ManagedInstanceScaling(True, 1, 4)):
        plan = plan_resource(component(HOURS, host), Settings(), MONDAY_NIGHT)
        assert [w.code for w in plan.warnings] == ["ScaleToZeroSavesNothing"], host
        assert "MinInstanceCount 0" in plan.warnings[0].message
    assert plan_resource(component(HOURS), Settings(), MONDAY_NIGHT).warnings == ()
    # Without any way to reach zero copies there is nothing to warn about.
    assert plan_resource(component({}, None), Settings(), MONDAY_NIGHT).warnings == ()


def test_a_holiday_splits_the_openings_around_it_and_keeps_the_day_closed() -> None:
    settings = Settings(holidays=(date(2026, 3, 4),))
    plan = plan_resource(component(HOURS), settings, MONDAY_MORNING)
    assert plan.desired is not None
    opens = {a.name: (a.start_time, a.end_time) for a in plan.desired.scheduled_actions if "-open-" in a.name}
    # (the holiday's window starts and ends the component's 15-minute warm-up lead early, and each edge is
    # written a second early: AWS does not say whether Start/EndTime are inclusive)
    edge = timedelta(seconds=1)
    assert opens == {
        "sagemaker-autoscaler-open-0745-mon-tue-wed-thu-fri": (
            None,
            datetime(2026, 3, 3, 22, 45, tzinfo=UTC) - edge,
        ),
        "sagemaker-autoscaler-open-0745-mon-tue-wed-thu-fri-from-20260305": (
            datetime(2026, 3, 4, 22, 45, tzinfo=UTC) - edge,
            None,
        ),
    }
    on_the_day = plan_resource(component(HOURS), settings, datetime(2026, 3, 4, 11, 0, tzinfo=BERLIN))
    assert on_the_day.desired is not None and on_the_day.desired.target.max_capacity == 4
    assert on_the_day.desired.target.min_capacity == 0
    assert on_the_day.reason == "managed, outside business hours"


def test_keep_on_until_holds_back_the_evening_drop_and_expires_into_a_clean_up() -> None:
    until = "2026-03-02T22:30:00"
    tags = {**HOURS, "autoscaler:off-hours": "zero", "autoscaler:keep-on-until": until}
    # At 22:00 the exception is in force: the target stays up, closings start after it, and a one-off
    # closing happens when it ends.
    plan = plan_resource(component(tags), Settings(), MONDAY_NIGHT)
    assert plan.desired is not None
    assert (plan.desired.target.min_capacity, plan.desired.target.max_capacity) == (1, 4)
    end = datetime(2026, 3, 2, 22, 30, tzinfo=BERLIN)
    close = [a for a in plan.desired.scheduled_actions if "-close-" in a.name]
    assert [a.start_time for a in close] == [end]
    [one_off] = [a for a in plan.desired.scheduled_actions if a.name.endswith("keep-on-until-end")]
    assert (one_off.schedule, one_off.min_capacity, one_off.max_capacity) == ("at(2026-03-02T22:30:00)", 0, 0)
    assert plan.expired_tags == ()
    # After it, everything is back to the plain schedule and the tag is due for removal.
    later = plan_resource(component(tags), Settings(), datetime(2026, 3, 2, 23, 0, tzinfo=BERLIN))
    assert later.desired is not None
    assert (later.desired.target.min_capacity, later.desired.target.max_capacity) == (0, 0)
    assert all(a.start_time is None for a in later.desired.scheduled_actions)
    assert later.expired_tags == (("autoscaler:keep-on-until", until),)


def test_a_bad_keep_on_until_is_reported_and_ignored() -> None:
    tags = {**HOURS, "autoscaler:keep-on-until": "until friday"}
    plan = plan_resource(component(tags), Settings(), MONDAY_NIGHT)
    assert [p.setting for p in plan.problems] == ["autoscaler:keep-on-until"]
    assert plan.desired is not None and plan.desired.target.min_capacity == 0
