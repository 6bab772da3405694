"""The planner against AWS's documented limits and the capacity a resource runs at: provisioned
concurrency never below 1, tag values it cannot honour reported with their fallback (never an exception),
and the capacity guard that keeps a maximum from lowering what a resource runs at."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagemaker_autoscaler.core.domain import ResourceKind, ScalableResource, Severity
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
MONDAY_NIGHT = datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN)
HOURS = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin"}


def serverless(tags: dict[str, str]) -> ScalableResource:
    return ScalableResource(
        ResourceKind.SERVERLESS_VARIANT,
        "Intent-Classifier",
        "AllTraffic",
        tags,
        serverless_max_concurrency=20,
        provisioned_concurrency=2,
    )


def bounds(plan: object) -> tuple[int, int]:
    target = plan.desired.target  # type: ignore[attr-defined]
    return target.min_capacity, target.max_capacity


# --- provisioned concurrency: 1..1 is the floor ----------------------------------------------------


@pytest.mark.parametrize(("mode", "closed"), [("zero", (1, 1)), ("idle", (1, 4))])
def test_provisioned_concurrency_keeps_one_outside_business_hours(mode: str, closed: tuple[int, int]) -> None:
    # Given a serverless variant with provisioned concurrency on business hours
    tags = {**HOURS, "autoscaler:off-hours": mode}
    # When it is planned at night
    plan = plan_resource(serverless(tags), Settings(), MONDAY_NIGHT)
    # Then neither its bounds nor any scheduled action goes below 1 (the SageMaker guide: "Set
    # MinCapacity to at least 1" and "MaxCapacity to a minimum of 1")
    assert plan.desired is not None
    assert bounds(plan) == closed
    assert all(a.min_capacity >= 1 and a.max_capacity >= 1 for a in plan.desired.scheduled_actions)
    closings = [
        (a.min_capacity, a.max_capacity) for a in plan.desired.scheduled_actions if "-close-" in a.name
    ]
    # In idle mode the off-hours bounds equal the business ones: there is nothing to schedule at all.
    assert closings == ([] if closed == (1, 4) else [closed])
    assert [w.code for w in plan.warnings] == ["ProvisionedConcurrencyOffHoursFloor"]


def test_provisioned_concurrency_raises_a_minimum_of_zero_to_one() -> None:
    # A tag asking for 0 is adjusted (and said so); an account default of 0 is floored silently.
    tagged = plan_resource(serverless({"autoscaler:min-capacity": "0"}), Settings(), MONDAY_MORNING)
    assert bounds(tagged) == (1, 4)
    assert [(p.setting, p.severity) for p in tagged.problems] == [
        ("autoscaler:min-capacity", Severity.ADJUSTED)
    ]
    default = plan_resource(serverless({}), Settings(min_capacity=0), MONDAY_MORNING)
    assert bounds(default) == (1, 4) and default.problems == ()


# --- tag values the planner cannot honour ----------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "2028-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00"])
def test_a_keep_on_until_more_than_a_year_ahead_is_invalid_and_ignored(value: str) -> None:
    # Given a keep-on-until far beyond the year the scheduled actions cover
    tags = {**HOURS, "autoscaler:off-hours": "zero", "autoscaler:keep-on-until": value}
    # When it is planned (at night, when keep-on-until would matter)
    plan = plan_resource(serverless(tags), Settings(), MONDAY_NIGHT)
    # Then it is reported as invalid, with the fallback: business hours apply as if it were absent
    assert [(p.setting, p.severity) for p in plan.problems] == [
        ("autoscaler:keep-on-until", Severity.INVALID)
    ]
    assert "more than 366 days ahead" in plan.problems[0].message
    assert bounds(plan) == (1, 1)
    assert plan.expired_tags == ()
    assert plan.desired is not None and all(a.start_time is None for a in plan.desired.scheduled_actions)


def test_a_keep_on_until_in_the_distant_past_is_simply_expired() -> None:
    tags = {**HOURS, "autoscaler:keep-on-until": "0001-01-01"}
    plan = plan_resource(serverless(tags), Settings(), MONDAY_NIGHT)
    assert plan.problems == ()
    assert plan.expired_tags == (("autoscaler:keep-on-until", "0001-01-01"),)


@pytest.mark.parametrize("zone", ["Europe", "America", "Etc", "posix"])
def test_a_schedule_zone_that_is_a_folder_of_the_zone_database_is_invalid(zone: str) -> None:
    plan = plan_resource(
        serverless({"autoscaler:schedule": f"Mon-Fri 08:00-19:00 {zone}"}), Settings(), MONDAY_NIGHT
    )
    assert [(p.setting, p.severity) for p in plan.problems] == [("autoscaler:schedule", Severity.INVALID)]
    assert "unknown time zone" in plan.problems[0].message
    # Fallback: the account default schedule (always on here)
    assert plan.desired is not None and plan.desired.scheduled_actions == ()


# --- the capacity guard -----------------------------------------------------------------------------


def realtime(tags: dict[str, str] | None = None, running: int | None = None) -> ScalableResource:
    return ScalableResource(
        ResourceKind.REALTIME_VARIANT, "LLM-Chat", "AllTraffic", tags or {}, running_capacity=running
    )


def component(tags: dict[str, str] | None = None, running: int | None = None) -> ScalableResource:
    return ScalableResource(
        ResourceKind.INFERENCE_COMPONENT,
        "LLM-Shared",
        "AllTraffic",
        tags or {},
        component_name="Mistral-7B",
        running_capacity=running,
    )


def test_a_maximum_below_the_running_capacity_is_raised_to_it_and_recorded() -> None:
    # Given an endpoint running 8 instances and the default maximum of 4
    plan = plan_resource(realtime(running=8), Settings(), MONDAY_MORNING)
    # Then the maximum is raised to 8, the floor is to be recorded, and a warning says why and how to lower
    assert bounds(plan) == (1, 8)
    assert plan.desired is not None and plan.desired.target.capacity_floor == 8
    [warning] = plan.warnings
    assert warning.code == "CapacityProtected"
    assert "raised from 4 to 8" in warning.message and "autoscaler:max-capacity" in warning.message


def test_the_recorded_floor_holds_after_the_resource_scaled_in() -> None:
    # At night it runs 2 copies, but 5 were recorded: the opening restores 5 as the maximum, not 4.
    plan = plan_resource(component(HOURS, running=2), Settings(), MONDAY_NIGHT, capacity_floor=5)
    assert plan.desired is not None and plan.desired.target.capacity_floor == 5
    openings = [a for a in plan.desired.scheduled_actions if "-open-" in a.name]
    assert [a.max_capacity for a in openings] == [5]
    assert bounds(plan) == (0, 5)  # idle off-hours keep the (guarded) maximum


def test_no_floor_is_needed_within_the_configured_maximum() -> None:
    plan = plan_resource(realtime(running=3), Settings(), MONDAY_MORNING)
    assert bounds(plan) == (1, 4)
    assert plan.desired is not None and plan.desired.target.capacity_floor is None
    assert plan.warnings == ()
    # A floor that the configured maximum now covers is no longer needed (it is removed).
    raised = plan_resource(realtime(running=3), Settings(max_capacity=10), MONDAY_MORNING, capacity_floor=8)
    assert bounds(raised) == (1, 10)
    assert raised.desired is not None and raised.desired.target.capacity_floor is None


def test_the_resources_own_max_capacity_tag_is_a_request_to_lower_it() -> None:
    plan = plan_resource(realtime({"autoscaler:max-capacity": "4"}, running=8), Settings(), MONDAY_MORNING, 8)
    assert bounds(plan) == (1, 4)
    assert plan.desired is not None and plan.desired.target.capacity_floor is None
    [warning] = plan.warnings
    assert warning.code == "CapacityLoweredByTag" and "below the 8 instances" in warning.message


def test_switching_the_guard_off_applies_the_configured_maximum() -> None:
    plan = plan_resource(realtime(running=8), Settings(protect_running_capacity=False), MONDAY_MORNING, 8)
    assert bounds(plan) == (1, 4)
    assert plan.desired is not None and plan.desired.target.capacity_floor is None


def test_a_zero_off_hours_phase_is_what_the_schedule_asks_for_and_keeps_its_zero() -> None:
    tags = {**HOURS, "autoscaler:off-hours": "zero"}
    plan = plan_resource(component(tags, running=5), Settings(), MONDAY_NIGHT)
    assert bounds(plan) == (0, 0)
    assert plan.desired is not None
    [opening] = [a for a in plan.desired.scheduled_actions if "-open-" in a.name]
    assert (opening.min_capacity, opening.max_capacity) == (1, 5)


def test_the_floor_of_provisioned_concurrency_never_exceeds_the_variants_max_concurrency() -> None:
    # A floor recorded at 30 before MaxConcurrency came down to 20: the maximum (and the floor) is 20.
    resource = ScalableResource(
        ResourceKind.SERVERLESS_VARIANT,
        "Intent-Classifier",
        "AllTraffic",
        {},
        serverless_max_concurrency=20,
        provisioned_concurrency=20,
        running_capacity=20,
    )
    plan = plan_resource(resource, Settings(), MONDAY_MORNING, capacity_floor=30)
    assert bounds(plan) == (1, 20)
    assert plan.desired is not None and plan.desired.target.capacity_floor == 20
    assert "raised from 4 to 20" in plan.warnings[0].message
