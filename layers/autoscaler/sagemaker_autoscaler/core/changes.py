"""The changes the diff asks for, one dataclass per kind of write, and the changeset that holds them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sagemaker_autoscaler.core.current_state import (
    CurrentAlarm,
    CurrentPolicy,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.domain import AlarmSpec, Dimension, PolicySpec, ScheduledActionSpec, TargetSpec

SUSPENDED_STATES = ("DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended")


@dataclass(frozen=True)
class RegisterTarget:
    spec: TargetSpec
    previous: CurrentTarget | None


@dataclass(frozen=True)
class DeregisterTarget:
    resource_id: str
    dimension: Dimension
    previous: CurrentTarget


@dataclass(frozen=True)
class SetCapacityFloor:
    """Record (or, with ``floor`` None, remove) the capacity guard's floor on the app's own target."""

    resource_id: str
    dimension: Dimension
    target_arn: str
    previous: int | None
    floor: int | None


@dataclass(frozen=True)
class TagTarget:
    """Tag the app's target as its own: an update created it anew because a release raced it (made by
    the apply step when AAS answers with a new target ARN, never planned by the diff)."""

    resource_id: str
    dimension: Dimension
    target_arn: str
    tags: Mapping[str, str]


@dataclass(frozen=True)
class RemoveResourceTags:
    """Remove tags from a SageMaker resource (an expired keep-on-until has done its job)."""

    resource_id: str
    arn: str
    tags: Mapping[str, str]


@dataclass(frozen=True)
class PutPolicy:
    resource_id: str
    dimension: Dimension
    spec: PolicySpec
    previous: CurrentPolicy | None


@dataclass(frozen=True)
class DeletePolicy:
    resource_id: str
    dimension: Dimension
    previous: CurrentPolicy


@dataclass(frozen=True)
class PutAlarm:
    resource_id: str
    spec: AlarmSpec
    previous: CurrentAlarm | None


@dataclass(frozen=True)
class DeleteAlarm:
    resource_id: str
    previous: CurrentAlarm


@dataclass(frozen=True)
class PutScheduledAction:
    resource_id: str
    dimension: Dimension
    spec: ScheduledActionSpec
    previous: CurrentScheduledAction | None


@dataclass(frozen=True)
class DeleteScheduledAction:
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


@dataclass(frozen=True)
class Changeset:
    changes: tuple[Change, ...] = ()
    # Set when the resource is left alone on purpose; the reason is logged.
    skipped: str | None = None
    # Things worth saying that are not changes (e.g. a target kept because others configured it).
    notes: tuple[str, ...] = ()
