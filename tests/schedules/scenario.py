"""Steps shared by the off-hours acceptance tests: read back the app's scheduled actions and simulate a
week of them. Resources are deployed with ``tests/support/builders.py``."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from local_account import aws_events
from local_account.stack import EmulatedStack
from local_account.week import Hour, simulate

APP_PREFIX = "sagemaker-autoscaler-"
COMPONENT_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
BERLIN = ZoneInfo("Europe/Berlin")
UTC_ZONE = ZoneInfo("UTC")
BUSINESS_HOURS = "Mon-Fri 08:00-19:00 Europe/Berlin"


def app_actions(autoscaling: Any, resource_id: str, name: str | None = None) -> set[tuple[Any, ...]]:
    """The app's scheduled actions on one target, comparable across resources: the resource's own name
    (if it appears in an action name) is replaced by a placeholder."""
    found = set()
    for page in autoscaling.get_paginator("describe_scheduled_actions").paginate(
        ServiceNamespace="sagemaker", ResourceId=resource_id
    ):
        for action in page["ScheduledActions"]:
            label = action["ScheduledActionName"]
            if action["ResourceId"] != resource_id or not label.startswith(APP_PREFIX):
                continue
            if name:
                label = label.replace(name, "<resource>")
            target_action = action.get("ScalableTargetAction", {})
            found.add(
                (
                    label,
                    action["Schedule"],
                    action.get("Timezone"),
                    action.get("StartTime"),
                    action.get("EndTime"),
                    target_action.get("MinCapacity"),
                    target_action.get("MaxCapacity"),
                )
            )
    return found


def target_bounds(autoscaling: Any, resource_id: str) -> tuple[int, int]:
    listed = autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker", ResourceIds=[resource_id])
    [target] = [t for t in listed["ScalableTargets"] if t["ResourceId"] == resource_id]
    return target["MinCapacity"], target["MaxCapacity"]


def week(
    resource_id: str, start: datetime, dimension: str = COMPONENT_DIMENSION, hours: int = 168
) -> list[Hour]:
    return simulate(resource_id, dimension, start, hours)


def open_hours(hours: list[Hour], zone: ZoneInfo) -> list[tuple[str, int]]:
    """(day, local hour) of every hour with capacity allowed, in order."""
    local = [(h.start.astimezone(zone), h) for h in hours]
    return [(f"{moment:%a}", moment.hour) for moment, h in local if h.max_capacity > 0]


def transitions(hours: list[Hour], zone: ZoneInfo) -> tuple[list[int], list[int]]:
    """Local hours at which the maximum rises from 0 (openings) and falls to 0 (closings)."""
    openings, closings = [], []
    for before, after in pairwise(hours):
        local_hour = after.start.astimezone(zone).hour
        if before.max_capacity == 0 < after.max_capacity:
            openings.append(local_hour)
        elif before.max_capacity > 0 == after.max_capacity:
            closings.append(local_hour)
    return openings, closings


def redeliver(stack: EmulatedStack, name: str) -> None:
    """Deliver an event about the IC again (an AddTags call with no tags: the reconcile re-reads all)."""
    stack.publish(aws_events.tags_call("AddTags", aws_events.component_arn(name), {}))
    stack.drain()
