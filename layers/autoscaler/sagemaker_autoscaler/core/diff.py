"""The pure diff: desired scaling against current state gives the smallest list of changes.

Nothing is written when nothing differs, so duplicate and repeated events cost reads only. Configuration
the app did not create (a target without its tag, policies and scheduled actions without its prefix) is
never part of a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sagemaker_autoscaler.core.current_state import (
    CurrentAlarm,
    CurrentPolicy,
    CurrentScaling,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.domain import (
    AlarmSpec,
    DesiredScaling,
    Dimension,
    PolicySpec,
    ScheduledActionSpec,
    TargetSpec,
)

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


def contains(current: Any, desired: Any) -> bool:
    """True when every field the app asked for is present with the same value.

    AWS echoes extra defaults (``DisableScaleIn: false``...) that the app never set, so equality would
    report false drift forever; only the app's own fields are compared.
    """
    if isinstance(desired, Mapping):
        return isinstance(current, Mapping) and all(
            key in current and contains(current[key], value) for key, value in desired.items()
        )
    if isinstance(desired, Sequence) and not isinstance(desired, str):
        return (
            isinstance(current, Sequence)
            and not isinstance(current, str)
            and len(current) == len(desired)
            and all(contains(c, d) for c, d in zip(current, desired, strict=True))
        )
    if isinstance(desired, bool) or isinstance(current, bool):
        return current is desired
    if isinstance(desired, int | float) and isinstance(current, int | float):
        return float(current) == float(desired)
    return bool(current == desired)


def alarm_matches(current: CurrentAlarm, spec: AlarmSpec, policy_arn: str | None) -> bool:
    return (
        current.namespace == spec.namespace
        and current.metric_name == spec.metric_name
        and current.dimensions == frozenset(spec.dimensions)
        and current.statistic == spec.statistic
        and current.period == spec.period
        and current.evaluation_periods == spec.evaluation_periods
        and float(current.threshold) == float(spec.threshold)
        and current.comparison == spec.comparison
        and current.treat_missing_data == spec.treat_missing_data
        and policy_arn is not None
        and current.actions == (policy_arn,)
    )


def scheduled_action_matches(current: CurrentScheduledAction, spec: ScheduledActionSpec) -> bool:
    return (
        current.schedule == spec.schedule
        and (current.timezone or "UTC") == spec.timezone
        and current.min_capacity == spec.min_capacity
        and current.max_capacity == spec.max_capacity
        and _same_instant(current.start_time, spec.start_time)
        and _same_instant(current.end_time, spec.end_time)
    )


def _same_instant(current: datetime | None, desired: datetime | None) -> bool:
    if current is None or desired is None:
        return current is desired
    # AWS returns whole seconds; compare at that precision.
    return int(current.timestamp()) == int(desired.timestamp())


def plan_changes(desired: DesiredScaling | None, current: CurrentScaling) -> Changeset:
    target = current.target
    if target is not None and not target.owned:
        return Changeset(skipped="scalable target was registered outside the app; left untouched")
    if desired is None:
        return release(current)
    return _converge(desired, current)


def is_suspended(target: CurrentTarget) -> bool:
    return any(target.suspended.values())


def _pause(desired: DesiredScaling, current: CurrentScaling) -> Changeset:
    """Suspend the target as it is, and touch nothing else: the operator has taken over."""
    target = current.target
    if target is None:
        return Changeset(notes=("paused before the app configured it: nothing to suspend",))
    if all(target.suspended.get(key) for key in SUSPENDED_STATES):
        return Changeset()
    frozen = TargetSpec(
        desired.target.resource_id, desired.target.dimension, target.min_capacity, target.max_capacity, True
    )
    return Changeset((RegisterTarget(frozen, target),))


def _converge(desired: DesiredScaling, current: CurrentScaling) -> Changeset:
    if desired.paused:
        return _pause(desired, current)
    spec = desired.target
    target = current.target
    changes: list[Change] = []
    if (
        target is None
        or (target.min_capacity, target.max_capacity) != (spec.min_capacity, spec.max_capacity)
        or is_suspended(target)
    ):
        changes.append(RegisterTarget(spec, target))
    if target is not None and target.arn and target.capacity_floor != spec.capacity_floor:
        changes.append(
            SetCapacityFloor(
                spec.resource_id, spec.dimension, target.arn, target.capacity_floor, spec.capacity_floor
            )
        )

    owned_policies = current.owned_policies() if target is not None else {}
    recreated: set[str] = set()
    for policy in desired.policies:
        existing = owned_policies.get(policy.name)
        if (
            existing is None
            or existing.policy_type != policy.policy_type
            or not contains(existing.configuration, policy.configuration)
        ):
            changes.append(PutPolicy(spec.resource_id, spec.dimension, policy, existing))
            if existing is None:
                recreated.add(policy.name)

    owned_alarms = {alarm.name: alarm for alarm in current.alarms}
    for alarm in desired.alarms:
        existing_alarm = owned_alarms.get(alarm.name)
        policy_arn = None if alarm.policy_name in recreated else _arn_of(owned_policies, alarm.policy_name)
        if existing_alarm is None or not alarm_matches(existing_alarm, alarm, policy_arn):
            changes.append(PutAlarm(spec.resource_id, alarm, existing_alarm))

    owned_actions = current.owned_scheduled_actions() if target is not None else {}
    for action in desired.scheduled_actions:
        existing_action = owned_actions.get(action.name)
        if existing_action is None or not scheduled_action_matches(existing_action, action):
            if existing_action is not None and _needs_recreate(existing_action, action):
                # PutScheduledAction keeps a StartTime/EndTime it is not given: the only way to drop one
                # (a holiday or a keep-on-until that has passed) is to delete the action and put it anew.
                changes.append(DeleteScheduledAction(spec.resource_id, spec.dimension, existing_action))
                existing_action = None
            changes.append(PutScheduledAction(spec.resource_id, spec.dimension, action, existing_action))

    wanted_alarms = {alarm.name for alarm in desired.alarms}
    changes += [DeleteAlarm(spec.resource_id, a) for n, a in owned_alarms.items() if n not in wanted_alarms]
    wanted_policies = {policy.name for policy in desired.policies}
    changes += [
        DeletePolicy(spec.resource_id, spec.dimension, p)
        for n, p in owned_policies.items()
        if n not in wanted_policies
    ]
    wanted_actions = {action.name for action in desired.scheduled_actions}
    changes += [
        DeleteScheduledAction(spec.resource_id, spec.dimension, a)
        for n, a in owned_actions.items()
        if n not in wanted_actions
    ]
    return Changeset(tuple(changes))


def _needs_recreate(current: CurrentScheduledAction, desired: ScheduledActionSpec) -> bool:
    return (current.start_time is not None and desired.start_time is None) or (
        current.end_time is not None and desired.end_time is None
    )


def _arn_of(policies: Mapping[str, CurrentPolicy], name: str) -> str | None:
    policy = policies.get(name)
    return policy.arn if policy else None


def release(current: CurrentScaling) -> Changeset:
    """Remove what the app created for a resource. Alarms go first so none fires into a deleted policy."""
    changes: list[Change] = [DeleteAlarm(current.resource_id, alarm) for alarm in current.alarms]
    target = current.target
    if target is None:
        return Changeset(tuple(changes))
    if not target.owned:
        return Changeset(
            tuple(changes), skipped="scalable target was registered outside the app; left untouched"
        )
    changes += [
        DeletePolicy(current.resource_id, current.dimension, policy)
        for policy in current.owned_policies().values()
    ]
    changes += [
        DeleteScheduledAction(current.resource_id, current.dimension, action)
        for action in current.owned_scheduled_actions().values()
    ]
    foreign = [p.name for p in current.foreign_policies()] + [
        a.name for a in current.foreign_scheduled_actions()
    ]
    if foreign:
        # Deregistering would cascade into configuration somebody else added to the target.
        note = f"target kept: it also carries configuration the app did not create ({', '.join(foreign)})"
        return Changeset(tuple(changes), notes=(note,))
    changes.append(DeregisterTarget(current.resource_id, current.dimension, target))
    return Changeset(tuple(changes))
