"""Application Auto Scaling and CloudWatch payloads as the core's typed current state: the boundary where
AWS's dictionaries become the values the diff compares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagemaker_autoscaler.core.current_state import (
    CurrentAlarm,
    CurrentPolicy,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.domain import CAPACITY_FLOOR_TAG_KEY, OWNER_TAG_KEY, OWNER_TAG_VALUE


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
