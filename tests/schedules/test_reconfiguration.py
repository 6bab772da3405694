"""A tag change rewrites the app's scheduled actions to exactly what the new tags give, and deletion
leaves none: nothing from an earlier configuration survives."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from freezegun import freeze_time

from local_account import aws_events
from local_account.stack import EmulatedStack
from tests.schedules.scenario import (
    BERLIN,
    BUSINESS_HOURS,
    app_actions,
    redeliver,
    target_bounds,
)
from tests.support.builders import configured_component, delete_component_and_deliver, tag_and_deliver
from tests.support.recording import CallRecorder

ZERO_TAGS = {
    "autoscaler:schedule": BUSINESS_HOURS,
    "autoscaler:off-hours": "zero",
    "autoscaler:min-capacity": "1",
    "autoscaler:max-capacity": "4",
}
MONDAY_MORNING = datetime(2026, 3, 2, 10, tzinfo=BERLIN)

CHANGES = {
    "schedule": {"autoscaler:schedule": "Mon+Wed+Fri 09:00-17:00 UTC"},
    "several windows": {"autoscaler:schedule": "Mon-Fri 08:00-12:00 13:00-19:00 Europe/Berlin"},
    "across midnight": {"autoscaler:schedule": "Fri-Sat 22:00-02:00 UTC"},
    "bounds": {"autoscaler:min-capacity": "2", "autoscaler:max-capacity": "8"},
    "mode": {"autoscaler:off-hours": "idle"},
    "always-on": {"autoscaler:schedule": "always-on"},
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_tag_change_leaves_exactly_the_actions_a_fresh_resource_gets(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, aws: CallRecorder, change: dict[str, str]
) -> None:
    with freeze_time(MONDAY_MORNING):
        # Given a component deployed with Berlin business hours, zero outside
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=ZERO_TAGS)
        before = app_actions(autoscaling, rid, "mistral-7b")
        # When one setting changes and CloudTrail's AddTags call is delivered
        tag_and_deliver(stack, sagemaker, aws_events.component_arn("mistral-7b"), change)
        after = app_actions(autoscaling, rid, "mistral-7b")
        # And the same event again finds nothing left to change
        aws.clear()
        redeliver(stack, "mistral-7b")
        assert aws.writes() == []
        # And a fresh component is deployed with the resulting tags
        fresh = configured_component(stack, sagemaker, "fresh", tags={**ZERO_TAGS, **change})
    # Then the changed one has exactly the fresh one's actions and bounds: nothing left from before
    assert before, "the starting configuration wrote no scheduled actions"
    assert after == app_actions(autoscaling, fresh, "fresh")
    assert target_bounds(autoscaling, rid) == target_bounds(autoscaling, fresh)
    assert after != before
    # And only always-on means no actions at all
    assert (after == set()) == (change.get("autoscaler:schedule") == "always-on")


def test_going_always_on_removes_every_action_and_restores_the_business_bounds(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    with freeze_time(datetime(2026, 3, 2, 21, tzinfo=BERLIN)):
        # Given a component at zero on a Monday evening
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=ZERO_TAGS)
        assert target_bounds(autoscaling, rid) == (0, 0)
        # When it is tagged always-on
        tag_and_deliver(
            stack, sagemaker, aws_events.component_arn("mistral-7b"), {"autoscaler:schedule": "always-on"}
        )
    # Then none of the app's actions remain and it may run at once
    assert app_actions(autoscaling, rid) == set()
    assert target_bounds(autoscaling, rid) == (1, 4)


def test_deleting_the_component_leaves_no_scheduled_action(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    with freeze_time(MONDAY_MORNING):
        # Given a component with off-hours actions
        rid = configured_component(stack, sagemaker, "mistral-7b", tags=ZERO_TAGS)
        assert app_actions(autoscaling, rid)
        # When it is deleted and CloudTrail reports it
        delete_component_and_deliver(stack, sagemaker, "mistral-7b")
    # Then no scheduled action at all is left on its resource id
    listed = autoscaling.describe_scheduled_actions(ServiceNamespace="sagemaker", ResourceId=rid)
    assert [a for a in listed["ScheduledActions"] if a["ResourceId"] == rid] == []
