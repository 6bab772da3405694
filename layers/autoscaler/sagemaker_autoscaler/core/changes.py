"""The changes the diff asks for, one dataclass per kind of write, and the changeset that holds them."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct

from sagemaker_autoscaler.core.current_state import (
    CurrentAlarm,
    CurrentPolicy,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.domain import AlarmSpec, Dimension, PolicySpec, ScheduledActionSpec, TargetSpec

SUSPENDED_STATES = ("DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended")


class RegisterTarget(Struct, frozen=True):
    spec: TargetSpec
    previous: CurrentTarget | None


class DeregisterTarget(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    previous: CurrentTarget


class SetCapacityFloor(Struct, frozen=True):
    """Record (or, with ``floor`` None, remove) the capacity guard's floor on the app's own target."""

    resource_id: str
    dimension: Dimension
    target_arn: str
    previous: int | None
    floor: int | None


class TagTarget(Struct, frozen=True):
    """Tag the app's target as its own: an update created it anew because a release raced it (made by
    the apply step when AAS answers with a new target ARN, never planned by the diff)."""

    resource_id: str
    dimension: Dimension
    target_arn: str
    tags: Mapping[str, str]


class RemoveResourceTags(Struct, frozen=True):
    """Remove tags from a SageMaker resource (an expired keep-on-until has done its job)."""

    resource_id: str
    arn: str
    tags: Mapping[str, str]


class PutPolicy(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    spec: PolicySpec
    previous: CurrentPolicy | None


class DeletePolicy(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    previous: CurrentPolicy


class PutAlarm(Struct, frozen=True):
    resource_id: str
    spec: AlarmSpec
    previous: CurrentAlarm | None


class DeleteAlarm(Struct, frozen=True):
    resource_id: str
    previous: CurrentAlarm


class PutScheduledAction(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    spec: ScheduledActionSpec
    previous: CurrentScheduledAction | None


class DeleteScheduledAction(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    previous: CurrentScheduledAction


Change = (
    RegisterTarget
    | SetCapacityFloor
    | TagTarget
    | RemoveResourceTags
    | DeregisterTarget
    | PutPolicy
    | DeletePolicy
    | PutAlarm
    | DeleteAlarm
    | PutScheduledAction
    | DeleteScheduledAction
)


class Changeset(Struct, frozen=True):
    changes: tuple[Change, ...] = ()
    # Set when the resource is left alone on purpose; the reason is logged.
    skipped: str | None = None
    # Things worth saying that are not changes (e.g. a target kept because others configured it).
    notes: tuple[str, ...] = ()
