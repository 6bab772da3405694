"""Steps shared by the off-hours acceptance tests: deploy a tagged resource through the real delivery
path, read back the app's scheduled actions, and simulate a week of them."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from local_account import aws_events, resources
from local_account.stack import EmulatedStack
from local_account.week import Hour, simulate

APP_PREFIX = "sagemaker-autoscaler-"
COMPONENT_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
BERLIN = ZoneInfo("Europe/Berlin")
UTC_ZONE = ZoneInfo("UTC")
BUSINESS_HOURS = "Mon-Fri 08:00-19:00 Europe/Berlin"


def component_id(name: str) -> str:
    return f"inference-component/{name}"


def deploy_component(
    stack: EmulatedStack, sagemaker: Any, name: str, tags: dict[str, str], endpoint: str = "llm-shared"
) -> str:
    """An IC (on an endpoint that can reach zero instances) reported by CloudTrail and handled."""
    if endpoint not in {e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]}:
        resources.create_component_endpoint(sagemaker, endpoint)
    resources.create_inference_component(sagemaker, name, endpoint, tags=tags)
    stack.publish(aws_events.component_call("CreateInferenceComponent", name, endpoint))
    stack.drain()
    return component_id(name)


def deploy_realtime(stack: EmulatedStack, sagemaker: Any, name: str, tags: dict[str, str]) -> str:
    resources.create_realtime_endpoint(sagemaker, name, tags=tags)
    stack.publish(aws_events.endpoint_state_change(name, "IN_SERVICE"))
    stack.drain()
    return f"endpoint/{name}/variant/AllTraffic"


def retag_component(stack: EmulatedStack, sagemaker: Any, name: str, tags: dict[str, str]) -> None:
    """Tag the IC and deliver the AddTags call as CloudTrail would."""
    arn = aws_events.component_arn(name)
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    stack.publish(aws_events.tags_call("AddTags", arn, tags))
    stack.drain()


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
