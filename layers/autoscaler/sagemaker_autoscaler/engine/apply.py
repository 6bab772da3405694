"""Apply a changeset to AWS, one logged change at a time, or, in plan mode, log each change unmade.

Every change is described once (``describe``: action, old and new values, as the log line shows them),
then either written (``Applier.perform``) or only announced as planned. Plan mode therefore logs exactly
the lines an apply would, with outcome ``planned``, and makes no write call at all.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from msgspec import Struct, field
from msgspec.structs import asdict

from sagemaker_autoscaler.aws import QUOTA_ERROR_CODES, error_code
from sagemaker_autoscaler.aws.autoscaling import AutoScaling, ownership_tags
from sagemaker_autoscaler.aws.cloudwatch import CloudWatch
from sagemaker_autoscaler.aws.sagemaker import SageMaker
from sagemaker_autoscaler.core.changes import (
    Change,
    Changeset,
    DeleteAlarm,
    DeletePolicy,
    DeleteScheduledAction,
    DeregisterTarget,
    PutAlarm,
    PutPolicy,
    PutScheduledAction,
    RegisterTarget,
    RemoveResourceTags,
    SetCapacityFloor,
    TagTarget,
)
from sagemaker_autoscaler.core.current_state import CurrentAlarm, CurrentScaling, CurrentTarget
from sagemaker_autoscaler.core.domain import CAPACITY_FLOOR_TAG_KEY, TargetSpec
from sagemaker_autoscaler.telemetry.journal import Journal


class QuotaExceeded(RuntimeError):
    """AWS refused a write because an account or target quota is full; waiting will not help."""

    def __init__(self, action: str, resource_id: str, message: str) -> None:
        super().__init__(f"{action} {resource_id}: {message}")
        self.action = action
        self.resource_id = resource_id


class ChangeRecord(Struct, frozen=True):
    """A change as the action log shows it."""

    action: str
    resource_id: str
    dimension: str | None
    old: Any
    new: Any
    verb: str  # the outcome once made: created, updated, deleted, ...


def _bounds(target: CurrentTarget | None) -> dict[str, Any] | None:
    if target is None:
        return None
    bounds: dict[str, Any] = {"min": target.min_capacity, "max": target.max_capacity}
    if any(target.suspended.values()):
        bounds["suspended"] = True
    return bounds


def _target_verb(spec: TargetSpec, previous: CurrentTarget | None) -> str:
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


def _put_verb(previous: object) -> str:
    return "created" if previous is None else "updated"


def describe(change: Change) -> ChangeRecord:
    """What the log line of a change says (pure)."""
    record = _describe_target_change(change) or _describe_scaling_change(change)
    if record is None:  # pragma: no cover - every kind of change is described
        raise TypeError(f"unknown change {change!r}")
    return record


def _describe_target_change(change: Change) -> ChangeRecord | None:
    """The target itself and tags: registration, floor, ownership, expired SageMaker tags."""
    match change:
        case RegisterTarget(spec=spec, previous=previous):
            new: dict[str, Any] = {"min": spec.min_capacity, "max": spec.max_capacity}
            new |= {"suspended": True} if spec.suspended else {}
            new |= {"capacity_floor": spec.capacity_floor} if spec.capacity_floor is not None else {}
            verb = _target_verb(spec, previous)
            return ChangeRecord(
                "RegisterScalableTarget", spec.resource_id, spec.dimension.value, _bounds(previous), new, verb
            )
        case SetCapacityFloor(resource_id=rid, dimension=dim, previous=previous, floor=floor):
            action, verb = ("TagResource", "recorded") if floor is not None else ("UntagResource", "removed")
            old = None if previous is None else {CAPACITY_FLOOR_TAG_KEY: str(previous)}
            floor_tag = None if floor is None else {CAPACITY_FLOOR_TAG_KEY: str(floor)}
            return ChangeRecord(action, rid, dim.value, old, floor_tag, verb)
        case TagTarget(resource_id=rid, dimension=dim, tags=tags):
            return ChangeRecord(
                "TagResource", rid, dim.value, None, dict(tags), "tagged (target re-created by a race)"
            )
        case RemoveResourceTags(resource_id=rid, tags=tags):
            return ChangeRecord("DeleteTags", rid, None, dict(tags), None, "deleted (expired)")
        case DeregisterTarget(resource_id=rid, dimension=dim, previous=previous):
            return ChangeRecord(
                "DeregisterScalableTarget", rid, dim.value, _bounds(previous), None, "deregistered"
            )
    return None


def _describe_scaling_change(change: Change) -> ChangeRecord | None:
    """What hangs on the target: policies, their alarms, scheduled actions."""
    match change:
        case PutPolicy(resource_id=rid, dimension=dim, spec=spec, previous=previous):
            old = None if previous is None else {"name": previous.name, **previous.configuration}
            new = {"name": spec.name, **spec.configuration}
            return ChangeRecord("PutScalingPolicy", rid, dim.value, old, new, _put_verb(previous))
        case PutAlarm(resource_id=rid, spec=spec, previous=previous):
            alarm = {"name": spec.name, "metric": spec.metric_name, "threshold": spec.threshold}
            return ChangeRecord(
                "PutMetricAlarm", rid, None, _alarm_summary(previous), alarm, _put_verb(previous)
            )
        case PutScheduledAction(resource_id=rid, dimension=dim, spec=spec, previous=previous):
            was = None if previous is None else asdict(previous)
            return ChangeRecord("PutScheduledAction", rid, dim.value, was, asdict(spec), _put_verb(previous))
        case DeleteAlarm(resource_id=rid, previous=previous):
            gone = {"name": previous.name, **(_alarm_summary(previous) or {})}
            return ChangeRecord("DeleteAlarms", rid, None, gone, None, "deleted")
        case DeletePolicy(resource_id=rid, dimension=dim, previous=previous):
            return ChangeRecord(
                "DeleteScalingPolicy", rid, dim.value, {"name": previous.name}, None, "deleted"
            )
        case DeleteScheduledAction(resource_id=rid, dimension=dim, previous=previous):
            return ChangeRecord("DeleteScheduledAction", rid, dim.value, asdict(previous), None, "deleted")
    return None


class Applier(Struct):
    """Makes the writes of one resource's changeset. Policy ARNs made by this changeset are kept, since
    an alarm created in the same changeset must point at its policy."""

    autoscaling: AutoScaling
    cloudwatch: CloudWatch
    sagemaker: SageMaker
    policy_arns: dict[str, str] = field(default_factory=dict)
    # The target ARN each registration answered with: later changes of the changeset use it.
    target_arns: dict[str, str] = field(default_factory=dict)
    # Writes the answers call for (tagging a target an update re-created), made and logged next.
    follow_ups: list[Change] = field(default_factory=list)

    def perform(self, change: Change) -> bool:
        """Make the write; False when there was nothing left to delete (already gone)."""
        match change:
            case RegisterTarget(spec=spec, previous=previous):
                # An existing target is updated (no tags sent) even if its ARN was not reported.
                known = None if previous is None else previous.arn or ""
                arn = self.autoscaling.register_target(spec, known)
                if arn:
                    self.target_arns[spec.resource_id] = arn
                if arn and known is not None and arn != known:
                    tags = ownership_tags(spec)
                    self.follow_ups.append(TagTarget(spec.resource_id, spec.dimension, arn, tags))
                return True
            case TagTarget(target_arn=arn, tags=tags):
                self.autoscaling.tag_target(arn, dict(tags))
                return True
            case SetCapacityFloor(resource_id=rid, target_arn=known_arn, floor=floor):
                arn = self.target_arns.get(rid, known_arn)
                if floor is None:
                    return self.autoscaling.untag_target(arn, [CAPACITY_FLOOR_TAG_KEY])
                self.autoscaling.tag_target(arn, {CAPACITY_FLOOR_TAG_KEY: str(floor)})
                return True
            case RemoveResourceTags(arn=arn, tags=tags):
                self.sagemaker.delete_tags(arn, list(tags))
                return True
            case PutPolicy(resource_id=rid, dimension=dim, spec=spec):
                self.policy_arns[spec.name] = self.autoscaling.put_policy(rid, dim.value, spec)
                return True
            case PutAlarm(spec=spec):
                self.cloudwatch.put_alarm(spec, self.policy_arns[spec.policy_name])
                return True
            case PutScheduledAction(resource_id=rid, dimension=dim, spec=spec):
                self.autoscaling.put_scheduled_action(rid, dim.value, spec)
                return True
            case DeleteAlarm(previous=previous):
                return self.cloudwatch.delete_alarm(previous.name)
            case DeletePolicy(resource_id=rid, dimension=dim, previous=previous):
                return self.autoscaling.delete_policy(rid, dim.value, previous.name)
            case DeleteScheduledAction(resource_id=rid, dimension=dim, previous=previous):
                return self.autoscaling.delete_scheduled_action(rid, dim.value, previous.name)
            case DeregisterTarget(resource_id=rid, dimension=dim):
                return self.autoscaling.deregister_target(rid, dim.value)
        raise TypeError(f"unknown change {change!r}")  # pragma: no cover - the match is exhaustive


def apply_changes(
    changeset: Changeset,
    current: CurrentScaling | None,
    applier: Applier,
    journal: Journal,
    *,
    plan_only: bool = False,
) -> int:
    """Make (or, with ``plan_only``, only log as planned) each change; returns how many there were."""
    if current is not None:
        applier.policy_arns.update({policy.name: policy.arn for policy in current.policies})
    pending = list(changeset.changes)
    made = 0
    while pending:
        change = pending.pop(0)
        record = describe(change)
        if plan_only:
            journal.change(record, outcome="planned")
            made += 1
            continue
        done = _perform(applier, change, record)
        journal.change(record, outcome=record.verb if done else "already gone")
        made += 1
        # A write whose answer calls for another (tagging a re-created target) has it made right after.
        pending = applier.follow_ups + pending
        applier.follow_ups = []
    return made


def _perform(applier: Applier, change: Change, record: ChangeRecord) -> bool:
    try:
        return applier.perform(change)
    except ClientError as error:
        if error_code(error.response) in QUOTA_ERROR_CODES:
            raise QuotaExceeded(record.action, record.resource_id, str(error)) from error
        raise
