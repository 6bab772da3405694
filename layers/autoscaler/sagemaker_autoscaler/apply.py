"""Apply a changeset to AWS, one logged change at a time."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .aws.autoscaling import AutoScaling
from .aws.cloudwatch import CloudWatch
from .diff import (
    Changeset,
    DeleteAlarm,
    DeletePolicy,
    DeleteScheduledAction,
    DeregisterTarget,
    PutAlarm,
    PutPolicy,
    PutScheduledAction,
    RegisterTarget,
)
from .journal import Journal
from .model import TargetSpec
from .state import CurrentAlarm, CurrentScaling, CurrentTarget


def _bounds(target: CurrentTarget | None) -> dict[str, Any] | None:
    if target is None:
        return None
    bounds: dict[str, Any] = {"min": target.min_capacity, "max": target.max_capacity}
    if any(target.suspended.values()):
        bounds["suspended"] = True
    return bounds


def _target_outcome(spec: TargetSpec, previous: CurrentTarget | None) -> str:
    if previous is None:
        return "created"
    if spec.suspended:
        return "suspended (paused)"
    if any(previous.suspended.values()):
        return "resumed"
    return "updated"


def _alarm_summary(alarm: CurrentAlarm | None) -> dict[str, Any] | None:
    if alarm is None:
        return None
    return {"metric": alarm.metric_name, "threshold": alarm.threshold, "actions": list(alarm.actions)}


def apply_changes(
    changeset: Changeset,
    current: CurrentScaling,
    autoscaling: AutoScaling,
    cloudwatch: CloudWatch,
    journal: Journal,
) -> int:
    """Returns the number of writes made. Each write is logged with its old and new value."""
    policy_arns = {policy.name: policy.arn for policy in current.policies}
    writes = 0
    for change in changeset.changes:
        writes += 1
        match change:
            case RegisterTarget(spec=spec, previous=previous):
                autoscaling.register_target(spec, new=previous is None)
                journal.change(
                    "RegisterScalableTarget",
                    spec.resource_id,
                    dimension=spec.dimension.value,
                    old=_bounds(previous),
                    new={"min": spec.min_capacity, "max": spec.max_capacity}
                    | ({"suspended": True} if spec.suspended else {}),
                    outcome=_target_outcome(spec, previous),
                )
            case PutPolicy(resource_id=rid, dimension=dim, spec=spec, previous=previous):
                policy_arns[spec.name] = autoscaling.put_policy(rid, dim.value, spec)
                journal.change(
                    "PutScalingPolicy",
                    rid,
                    dimension=dim.value,
                    old=None if previous is None else {"name": previous.name, **previous.configuration},
                    new={"name": spec.name, **spec.configuration},
                    outcome="created" if previous is None else "updated",
                )
            case PutAlarm(resource_id=rid, spec=spec, previous=previous):
                cloudwatch.put_alarm(spec, policy_arns[spec.policy_name])
                journal.change(
                    "PutMetricAlarm",
                    rid,
                    dimension=None,
                    old=_alarm_summary(previous),
                    new={"name": spec.name, "metric": spec.metric_name, "threshold": spec.threshold},
                    outcome="created" if previous is None else "updated",
                )
            case PutScheduledAction(resource_id=rid, dimension=dim, spec=spec, previous=previous):
                autoscaling.put_scheduled_action(rid, dim.value, spec)
                journal.change(
                    "PutScheduledAction",
                    rid,
                    dimension=dim.value,
                    old=None if previous is None else asdict(previous),
                    new=asdict(spec),
                    outcome="created" if previous is None else "updated",
                )
            case DeleteAlarm(resource_id=rid, previous=previous):
                found = cloudwatch.delete_alarm(previous.name)
                journal.change(
                    "DeleteAlarms",
                    rid,
                    dimension=None,
                    old={"name": previous.name, **(_alarm_summary(previous) or {})},
                    new=None,
                    outcome="deleted" if found else "already gone",
                )
            case DeletePolicy(resource_id=rid, dimension=dim, previous=previous):
                found = autoscaling.delete_policy(rid, dim.value, previous.name)
                journal.change(
                    "DeleteScalingPolicy",
                    rid,
                    dimension=dim.value,
                    old={"name": previous.name},
                    new=None,
                    outcome="deleted" if found else "already gone",
                )
            case DeleteScheduledAction(resource_id=rid, dimension=dim, previous=previous):
                found = autoscaling.delete_scheduled_action(rid, dim.value, previous.name)
                journal.change(
                    "DeleteScheduledAction",
                    rid,
                    dimension=dim.value,
                    old=asdict(previous),
                    new=None,
                    outcome="deleted" if found else "already gone",
                )
            case DeregisterTarget(resource_id=rid, dimension=dim, previous=previous):
                found = autoscaling.deregister_target(rid, dim.value)
                journal.change(
                    "DeregisterScalableTarget",
                    rid,
                    dimension=dim.value,
                    old=_bounds(previous),
                    new=None,
                    outcome="deregistered" if found else "already gone",
                )
    return writes
