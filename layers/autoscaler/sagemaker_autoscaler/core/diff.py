"""The pure diff: desired scaling against current state gives the smallest list of changes.

Nothing is written when nothing differs, so duplicate and repeated events cost reads only. Configuration
the app did not create (a target without its tag, policies and scheduled actions without its prefix) is
never part of a change.
"""

from __future__ import annotations

from collections.abc import Mapping

from sagemaker_autoscaler.core.changes import (
    SUSPENDED_STATES,
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
    SetCapacityFloor,
)
from sagemaker_autoscaler.core.current_state import (
    CurrentPolicy,
    CurrentScaling,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.domain import DesiredScaling, ScheduledActionSpec, TargetSpec
from sagemaker_autoscaler.core.matching import alarm_matches, contains, scheduled_action_matches


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
    changes = _target_changes(desired.target, current.target)
    policy_changes, recreated = _policy_changes(desired, current)
    changes += policy_changes
    changes += _alarm_changes(desired, current, recreated)
    changes += _action_changes(desired, current)
    changes += _deletions(desired, current)
    return Changeset(tuple(changes))


def _target_changes(spec: TargetSpec, target: CurrentTarget | None) -> list[Change]:
    changes: list[Change] = []
    bounds = None if target is None else (target.min_capacity, target.max_capacity)
    if target is None or bounds != (spec.min_capacity, spec.max_capacity) or is_suspended(target):
        changes.append(RegisterTarget(spec, target))
    if target is not None and target.arn and target.capacity_floor != spec.capacity_floor:
        floor = SetCapacityFloor(
            spec.resource_id, spec.dimension, target.arn, target.capacity_floor, spec.capacity_floor
        )
        changes.append(floor)
    return changes


def _policy_changes(desired: DesiredScaling, current: CurrentScaling) -> tuple[list[Change], set[str]]:
    """Policies to put, and the names of those created anew (an alarm must then point at the new ARN)."""
    spec, owned = desired.target, _owned_policies(current)
    changes: list[Change] = []
    recreated: set[str] = set()
    for policy in desired.policies:
        existing = owned.get(policy.name)
        same = existing is not None and existing.policy_type == policy.policy_type
        if not (same and existing is not None and contains(existing.configuration, policy.configuration)):
            changes.append(PutPolicy(spec.resource_id, spec.dimension, policy, existing))
            if existing is None:
                recreated.add(policy.name)
    return changes, recreated


def _alarm_changes(desired: DesiredScaling, current: CurrentScaling, recreated: set[str]) -> list[Change]:
    owned_alarms, owned_policies = {alarm.name: alarm for alarm in current.alarms}, _owned_policies(current)
    changes: list[Change] = []
    for alarm in desired.alarms:
        existing = owned_alarms.get(alarm.name)
        policy_arn = None if alarm.policy_name in recreated else _arn_of(owned_policies, alarm.policy_name)
        if existing is None or not alarm_matches(existing, alarm, policy_arn):
            changes.append(PutAlarm(desired.target.resource_id, alarm, existing))
    return changes


def _action_changes(desired: DesiredScaling, current: CurrentScaling) -> list[Change]:
    spec, owned = desired.target, _owned_actions(current)
    changes: list[Change] = []
    for action in desired.scheduled_actions:
        existing = owned.get(action.name)
        if existing is not None and scheduled_action_matches(existing, action):
            continue
        if existing is not None and _needs_recreate(existing, action):
            # AWS documents that an update without StartTime/EndTime clears them; deleting and putting
            # the action anew drops a bound that has passed (a holiday, a keep-on-until) whichever way an
            # update really behaves.
            changes.append(DeleteScheduledAction(spec.resource_id, spec.dimension, existing))
            existing = None
        changes.append(PutScheduledAction(spec.resource_id, spec.dimension, action, existing))
    return changes


def _deletions(desired: DesiredScaling, current: CurrentScaling) -> list[Change]:
    """The app's own alarms, policies and scheduled actions that the plan no longer has."""
    rid, dimension = desired.target.resource_id, desired.target.dimension
    wanted_alarms = {alarm.name for alarm in desired.alarms}
    wanted_policies = {policy.name for policy in desired.policies}
    wanted_actions = {action.name for action in desired.scheduled_actions}
    changes: list[Change] = [DeleteAlarm(rid, a) for a in current.alarms if a.name not in wanted_alarms]
    changes += [
        DeletePolicy(rid, dimension, p)
        for n, p in _owned_policies(current).items()
        if n not in wanted_policies
    ]
    changes += [
        DeleteScheduledAction(rid, dimension, a)
        for n, a in _owned_actions(current).items()
        if n not in wanted_actions
    ]
    return changes


def _owned_policies(current: CurrentScaling) -> dict[str, CurrentPolicy]:
    return current.owned_policies() if current.target is not None else {}


def _owned_actions(current: CurrentScaling) -> dict[str, CurrentScheduledAction]:
    return current.owned_scheduled_actions() if current.target is not None else {}


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
