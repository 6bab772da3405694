"""The cost model: what the app's plans save, counted at the unit that costs money (pure, no mocks).

The week is Monday 2026-03-02 00:00 UTC plus 7 days; business hours Mon-Fri 08:00-18:00 UTC are 50 of
its 168 hours, so 118 hours are off-hours.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from sagemaker_autoscaler.core.costs import Price, variant_saving
from sagemaker_autoscaler.core.domain import ManagedInstanceScaling, Plan, ResourceKind, ScalableResource
from sagemaker_autoscaler.core.host_costs import HostedComponent, host_saving
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.prices import PriceBook
from sagemaker_autoscaler.core.schedule_syntax import parse_schedule
from sagemaker_autoscaler.core.schedules import is_open, open_intervals
from sagemaker_autoscaler.core.settings import Settings

START = datetime(2026, 3, 2, tzinfo=UTC)
END = START + timedelta(days=7)
OFF_HOURS = 118.0
HOURS = {"autoscaler:schedule": "Mon-Fri 08:00-18:00 UTC", "autoscaler:warm-up": "0"}
ZERO = {**HOURS, "autoscaler:off-hours": "zero"}
ONE_DOLLAR = Price(1.0, "a test price")
SCALES_TO_ZERO = ManagedInstanceScaling(enabled=True, min_instance_count=0, max_instance_count=4)


def plan(kind: ResourceKind, tags: dict[str, str], running: int, **extra: object) -> Plan:
    resource = ScalableResource(kind, "llm", "AllTraffic", tags, running_capacity=running, **extra)  # type: ignore[arg-type]
    return plan_resource(resource, Settings(), START)


def component(name: str, tags: dict[str, str], copies: int = 1) -> HostedComponent:
    planned = plan(
        ResourceKind.INFERENCE_COMPONENT,
        tags,
        copies,
        component_name=name,
        host_instance_scaling=SCALES_TO_ZERO,
    )
    return HostedComponent(planned, copies)


def host(scaling: ManagedInstanceScaling, running: int = 1) -> Plan:
    return plan(ResourceKind.COMPONENT_HOST_VARIANT, {}, running, host_instance_scaling=scaling)


def test_a_realtime_variant_saves_only_down_to_its_one_instance_floor() -> None:
    # Given a real-time variant on 2 instances, scheduled to zero outside business hours
    saving = variant_saving(
        plan(ResourceKind.REALTIME_VARIANT, ZERO, 2), "ml.g5.2xlarge", ONE_DOLLAR, START, END
    )
    # Then off-hours keep 1 of its 2 instances: 118 instance-hours saved of 336, and the floor is the reason
    assert saving.hours.always_on == 336
    assert saving.hours.scheduled == 50 * 2 + OFF_HOURS * 1
    assert saving.hours.saved == OFF_HOURS
    assert saving.saved_usd_week == pytest.approx(OFF_HOURS)
    assert saving.hours.zero_hours == 0
    assert any("real-time floor" in reason for reason in saving.reasons)


def test_an_async_variant_goes_to_zero_off_hours_and_may_idle_at_zero_in_business_hours() -> None:
    tags = {**ZERO, "autoscaler:min-capacity": "0"}
    saving = variant_saving(plan(ResourceKind.ASYNC_VARIANT, tags, 1), "ml.g5.xlarge", ONE_DOLLAR, START, END)
    assert saving.hours.saved == OFF_HOURS  # certain: the maximum is 0 off-hours
    assert saving.hours.zero_hours == OFF_HOURS
    # Business hours may idle at zero too, but that depends on traffic: reported apart, never as saved
    assert saving.hours.more_if_idle == 50
    assert saving.hours.zero_when_idle_hours == 50
    assert saving.reasons == ()


def test_the_warm_up_lead_is_counted_as_spend() -> None:
    tags = {**ZERO, "autoscaler:min-capacity": "0", "autoscaler:warm-up": "30"}
    saving = variant_saving(plan(ResourceKind.ASYNC_VARIANT, tags, 1), "ml.g5.xlarge", ONE_DOLLAR, START, END)
    # Five openings each half an hour early: 2.5 instance-hours more than without the lead
    assert saving.hours.saved == OFF_HOURS - 2.5


def test_a_host_shared_with_an_always_on_component_gives_nothing_back() -> None:
    # Given a host with managed instance scaling to 0, a scheduled component and an opted-out sibling
    scheduled = component("mistral-7b", {**ZERO, "autoscaler:min-capacity": "0"})
    always_on = component("experimental-ft", {"autoscaler:enabled": "false"})
    saving = host_saving(
        host(SCALES_TO_ZERO), "ml.g5.12xlarge", [scheduled, always_on], ONE_DOLLAR, START, END
    )
    # Then the sibling's copy keeps the instance up all week: nothing saved, and the sibling is the reason
    assert saving.hours.saved == 0
    assert any("always-on sibling experimental-ft" in reason for reason in saving.reasons)
    # And without it, the host would give its instance back every off-hour
    assert saving.without_always_on is not None
    assert saving.without_always_on.saved == OFF_HOURS
    assert saving.components == ("mistral-7b", "experimental-ft")


def test_a_host_with_managed_instance_scaling_to_zero_gives_its_instances_back_off_hours() -> None:
    scheduled = component("mistral-7b", {**ZERO, "autoscaler:min-capacity": "0"}, copies=2)
    saving = host_saving(
        host(SCALES_TO_ZERO, running=2), "ml.g5.12xlarge", [scheduled], Price(7.91, "x"), START, END
    )
    assert saving.hours.saved == OFF_HOURS * 2
    assert saving.saved_usd_week == pytest.approx(OFF_HOURS * 2 * 7.91)
    assert saving.without_always_on is None
    assert saving.reasons == ()


@pytest.mark.parametrize(
    ("scaling", "saved", "reason"),
    [
        (ManagedInstanceScaling(enabled=False), 0, "no managed instance scaling"),
        (
            ManagedInstanceScaling(enabled=True, min_instance_count=1, max_instance_count=4),
            OFF_HOURS,
            "MinInstanceCount 1",
        ),
    ],
)
def test_a_host_keeps_what_its_managed_instance_scaling_keeps(
    scaling: ManagedInstanceScaling, saved: float, reason: str
) -> None:
    scheduled = component("mistral-7b", {**ZERO, "autoscaler:min-capacity": "0"}, copies=2)
    saving = host_saving(host(scaling, running=2), "ml.g5.12xlarge", [scheduled], ONE_DOLLAR, START, END)
    assert saving.hours.saved == saved
    assert any(reason in r for r in saving.reasons)


def test_a_partly_emptied_host_keeps_at_most_one_instance_per_remaining_copy() -> None:
    # Given 4 instances holding 3 copies of a scheduled component and 1 of an always-on sibling
    scheduled = component("mistral-7b", {**ZERO, "autoscaler:min-capacity": "0"}, copies=3)
    always_on = component("experimental-ft", {"autoscaler:enabled": "false"}, copies=1)
    saving = host_saving(
        host(SCALES_TO_ZERO, running=4), "ml.g5.12xlarge", [scheduled, always_on], ONE_DOLLAR, START, END
    )
    # Then off-hours the sibling's one copy keeps at most one instance: 3 of the 4 are given back
    assert saving.baseline == 4
    assert saving.hours.saved == 3 * OFF_HOURS
    assert any("keeps up to 1 of the host's instances" in reason for reason in saving.reasons)


def test_a_host_with_a_component_it_cannot_see_is_counted_as_kept() -> None:
    # Given a host whose other component is loading (or could not be read): what it holds is unknown
    scheduled = component("mistral-7b", {**ZERO, "autoscaler:min-capacity": "0"}, copies=2)
    saving = host_saving(
        host(SCALES_TO_ZERO, running=2),
        "ml.g5.12xlarge",
        [scheduled],
        ONE_DOLLAR,
        START,
        END,
        unseen=["llama"],
    )
    # Then no saving is claimed for it, and the report says why
    assert saving.hours.saved == 0 and saving.hours.always_on == 2 * 168
    assert saving.reasons == (
        "component(s) llama not readable or changing now: every instance counted as kept",
    )
    assert saving.components == ("mistral-7b", "llama")


def test_copies_fewer_than_instances_are_not_counted_as_a_saving() -> None:
    # Given a host running 2 instances for a single copy: managed instance scaling keeps only one anyway
    scheduled = component("mistral-7b", {**HOURS}, copies=1)  # idle off-hours: the maximum stays
    saving = host_saving(
        host(SCALES_TO_ZERO, running=2), "ml.g5.12xlarge", [scheduled], ONE_DOLLAR, START, END
    )
    assert saving.baseline == 1
    assert saving.hours.saved == 0


def test_serverless_provisioned_concurrency_keeps_its_floor_of_one_and_is_priced_by_memory_time() -> None:
    resource_plan = plan(
        ResourceKind.SERVERLESS_VARIANT, ZERO, 4, provisioned_concurrency=4, serverless_max_concurrency=20
    )
    book = PriceBook(provisioned_concurrency_gb_second={"eu-west-1": Price(0.0001, "a test price")})
    price = book.provisioned_concurrency_hour("eu-west-1", 2048)
    saving = variant_saving(resource_plan, None, price, START, END)
    # Off-hours: 1 of 4 stays provisioned, so 3 x 118 provisioned-concurrency hours are saved
    assert saving.unit == "provisioned concurrency"
    assert saving.hours.saved == 3 * OFF_HOURS
    assert saving.saved_usd_week == pytest.approx(3 * OFF_HOURS * 0.0001 * 2 * 3600)
    assert any("floor of 1" in reason for reason in saving.reasons)


def test_an_instance_type_without_a_cited_price_is_unknown_never_zero() -> None:
    book = PriceBook({"eu-west-1": {"ml.g5.12xlarge": Price(7.91, "cited")}})
    price = book.instance_hour("eu-west-1", "ml.p5.48xlarge")
    saving = variant_saving(plan(ResourceKind.REALTIME_VARIANT, ZERO, 2), "ml.p5.48xlarge", price, START, END)
    assert price is None
    assert saving.saved_usd_week is None
    assert saving.hours.saved == OFF_HOURS  # the hours are known even when the money is not
    assert book.instance_hour("us-east-1", "ml.g5.12xlarge") is None  # nor another Region's


def test_an_unmanaged_variant_saves_nothing_and_says_why() -> None:
    saving = variant_saving(
        plan(ResourceKind.REALTIME_VARIANT, {"autoscaler:enabled": "false"}, 3),
        "ml.g5.2xlarge",
        ONE_DOLLAR,
        START,
        END,
    )
    assert saving.hours.saved == 0
    assert saving.reasons == ("not managed: opted out by tag autoscaler:enabled",)


@pytest.mark.parametrize(
    "start", [datetime(2026, 3, 26, 13, 7, tzinfo=UTC), datetime(2026, 10, 22, 9, tzinfo=UTC)]
)
def test_open_intervals_agree_with_is_open_across_daylight_saving_and_holidays(start: datetime) -> None:
    schedule = parse_schedule("Mon-Fri 08:00-12:00 13:00-19:00 Europe/Berlin")
    assert schedule is not None
    schedule = schedule.__class__(schedule.intervals, schedule.timezone, warm_up_minutes=15)
    holidays = (date(2026, 3, 30), date(2026, 10, 26), date(2026, 10, 27))
    end = start + timedelta(days=7)
    intervals = open_intervals(schedule, holidays, start, end)
    moment = start
    while moment < end:
        inside = any(a <= moment < b for a, b in intervals)
        assert inside == is_open(schedule, holidays, moment), moment
        moment += timedelta(minutes=5)
