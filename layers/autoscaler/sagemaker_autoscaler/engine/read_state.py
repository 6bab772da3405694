"""Read what Application Auto Scaling and CloudWatch hold now for one resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagemaker_autoscaler.aws.autoscaling import AutoScaling
from sagemaker_autoscaler.aws.cloudwatch import CloudWatch
from sagemaker_autoscaler.core.current_state import (
    CurrentAlarm,
    CurrentPolicy,
    CurrentScaling,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.domain import (
    CAPACITY_FLOOR_TAG_KEY,
    OWNER_TAG_KEY,
    OWNER_TAG_VALUE,
    Dimension,
    alarm_prefix_for,
    resource_id_of_alarm,
)


def to_current_target(raw: Mapping[str, Any], tags: Mapping[str, str]) -> CurrentTarget:
    owned = tags.get(OWNER_TAG_KEY) == OWNER_TAG_VALUE
    return CurrentTarget(
        resource_id=raw["ResourceId"],
        dimension=raw["ScalableDimension"],
        min_capacity=int(raw["MinCapacity"]),
        max_capacity=int(raw["MaxCapacity"]),
        arn=raw.get("ScalableTargetARN"),
        owned=owned,
        suspended=dict(raw.get("SuspendedState") or {}),
        capacity_floor=_floor(tags.get(CAPACITY_FLOOR_TAG_KEY)) if owned else None,
    )


def _floor(value: str | None) -> int | None:
    """The recorded floor; a value the app did not write (edited by hand) counts as none."""
    if value is None or not value.isdigit():
        return None
    return int(value)


def to_current_policy(raw: Mapping[str, Any]) -> CurrentPolicy:
    key = (
        "TargetTrackingScalingPolicyConfiguration"
        if raw["PolicyType"] == "TargetTrackingScaling"
        else "StepScalingPolicyConfiguration"
    )
    return CurrentPolicy(raw["PolicyName"], raw["PolicyType"], dict(raw.get(key) or {}), raw["PolicyARN"])


def to_current_alarm(raw: Mapping[str, Any]) -> CurrentAlarm:
    return CurrentAlarm(
        name=raw["AlarmName"],
        namespace=raw.get("Namespace", ""),
        metric_name=raw.get("MetricName", ""),
        dimensions=frozenset((d["Name"], d["Value"]) for d in raw.get("Dimensions", [])),
        statistic=raw.get("Statistic", ""),
        period=int(raw.get("Period", 0)),
        evaluation_periods=int(raw.get("EvaluationPeriods", 0)),
        threshold=float(raw.get("Threshold", 0)),
        comparison=raw.get("ComparisonOperator", ""),
        treat_missing_data=raw.get("TreatMissingData", "missing"),
        actions=tuple(raw.get("AlarmActions", [])),
    )


def to_current_scheduled_action(raw: Mapping[str, Any]) -> CurrentScheduledAction:
    action = raw.get("ScalableTargetAction") or {}
    return CurrentScheduledAction(
        name=raw["ScheduledActionName"],
        schedule=raw["Schedule"],
        timezone=raw.get("Timezone"),
        min_capacity=action.get("MinCapacity"),
        max_capacity=action.get("MaxCapacity"),
        start_time=raw.get("StartTime"),
        end_time=raw.get("EndTime"),
    )


def read_current(
    resource_id: str,
    dimension: Dimension,
    autoscaling: AutoScaling,
    cloudwatch: CloudWatch,
    known_target: Mapping[str, Any] | None = None,
    target_known: bool = False,
) -> CurrentScaling:
    """``known_target`` / ``target_known`` let a caller that already listed targets skip that read."""
    if target_known:
        raw_target = known_target
    else:
        matches = [
            t
            for t in autoscaling.describe_targets([resource_id])
            if t["ScalableDimension"] == dimension.value
        ]
        raw_target = matches[0] if matches else None
    alarms = tuple(
        to_current_alarm(alarm)
        for alarm in cloudwatch.describe_alarms(alarm_prefix_for(resource_id))
        if resource_id_of_alarm(alarm["AlarmName"]) == resource_id
    )
    if raw_target is None:
        return CurrentScaling(resource_id, dimension, None, alarms=alarms)
    arn = raw_target.get("ScalableTargetARN")
    target = to_current_target(raw_target, autoscaling.target_tags(str(arn)) if arn else {})
    if not target.owned:
        # Not ours: nothing more about it is needed, and nothing of it will be touched.
        return CurrentScaling(resource_id, dimension, target, alarms=alarms)
    policies = tuple(
        to_current_policy(p) for p in autoscaling.describe_policies(resource_id, dimension.value)
    )
    actions = tuple(
        to_current_scheduled_action(a)
        for a in autoscaling.describe_scheduled_actions(resource_id, dimension.value)
    )
    return CurrentScaling(resource_id, dimension, target, policies, alarms, actions)
