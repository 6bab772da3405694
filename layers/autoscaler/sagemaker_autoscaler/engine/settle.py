"""Settle one resource: plan it, diff the plan against its current state, apply the difference, and say
what happened. Every path (an event, the periodic run, the install, the uninstall) settles resources
through here, so a behaviour fixed once holds everywhere.

Before a write that sets a maximum, the resource is read again (its running capacity, its own tags and
its target's tags): the capacity guard must see the freshest facts, never a stale answer.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from sagemaker_autoscaler.aws.autoscaling import TargetAppeared
from sagemaker_autoscaler.core.changes import (
    Changeset,
    PutScheduledAction,
    RegisterTarget,
    RemoveResourceTags,
    SetCapacityFloor,
)
from sagemaker_autoscaler.core.current_state import CurrentScaling
from sagemaker_autoscaler.core.diff import plan_changes
from sagemaker_autoscaler.core.domain import Plan, ScalableResource, alarm_prefix_for
from sagemaker_autoscaler.core.planner import CAPACITY_PROTECTED, plan_resource
from sagemaker_autoscaler.engine.apply import QuotaExceeded, apply_changes
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.fresh_look import Gone, look_again, what_sagemaker_says
from sagemaker_autoscaler.engine.state import LiveState
from sagemaker_autoscaler.telemetry.journal import MetricName

DELETED_MEANWHILE = "resource was deleted while it was being configured"


def read_live(resource: ScalableResource, deps: Dependencies) -> CurrentScaling:
    """The resource's current scaling, read for it alone."""
    key = (resource.resource_id, resource.dimension)
    return LiveState(deps, [key], [alarm_prefix_for(resource.resource_id)]).current(key)


def _touches_capacity(changeset: Changeset) -> bool:
    """Whether applying would set a maximum (a target's bounds, an opening's or closing's bounds, the
    guard's floor): before such a write the capacity guard must see the freshest facts."""
    return any(
        (isinstance(change, RegisterTarget) and not change.spec.suspended)
        or isinstance(change, PutScheduledAction | SetCapacityFloor)
        for change in changeset.changes
    )


def settle(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies, *, fresh: bool = False
) -> tuple[int, Plan]:
    """Bring one resource from ``current`` to its planned state; returns the writes and the plan.
    ``fresh``: the resource (its running capacity and tags) was read from SageMaker just now."""
    try:
        return _settle_once(resource, current, deps, fresh)
    except TargetAppeared:
        # Someone registered the target between the read and the write (another event, or a team):
        # read it again and decide afresh (configure it if it is the app's, skip it if it is not).
        return _settle_once(resource, read_live(resource, deps), deps, fresh)
    except QuotaExceeded:
        raise
    except Gone:
        return _release_gone(resource, deps)
    except ClientError:
        # AAS refuses to scale a resource that is gone. If SageMaker says it was deleted between the
        # read and the write, release what is left now instead of failing until the next run.
        if what_sagemaker_says(resource, deps) is not None:
            raise
        return _release_gone(resource, deps)


def _release_gone(resource: ScalableResource, deps: Dependencies) -> tuple[int, Plan]:
    writes = settle_plan(None, read_live(resource, deps), deps, DELETED_MEANWHILE)
    return writes, Plan(resource, None, DELETED_MEANWHILE)


def _settle_once(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies, fresh: bool
) -> tuple[int, Plan]:
    plan, changeset = _plan_and_diff(resource, current, deps)
    if _touches_capacity(changeset):
        resource, current = look_again(resource, current, deps, fresh)
        plan, changeset = _plan_and_diff(resource, current, deps)
    rid = resource.resource_id
    for problem in plan.problems:
        deps.journal.problem(rid, problem)
    for warning in plan.warnings:
        # The guard's raise is an adjustment worth a WARNING when it is written, not on every run after.
        if warning.code != CAPACITY_PROTECTED or _touches_capacity(changeset):
            deps.journal.warning(rid, warning)
    return _apply(plan, current, changeset, deps, plan.reason), plan


def _plan_and_diff(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies
) -> tuple[Plan, Changeset]:
    floor = current.target.capacity_floor if current.target is not None else None
    plan = plan_resource(resource, deps.settings, deps.clock(), floor)
    return plan, plan_changes(plan.desired, current)


def settle_plan(plan: Plan | None, current: CurrentScaling, deps: Dependencies, reason: str) -> int:
    """The one settle step under every path: the plan (None: release what the app holds) against the
    current state, applied; returns the writes (or, in plan mode, the changes planned)."""
    return _apply(plan, current, plan_changes(plan.desired if plan else None, current), deps, reason)


def release_with(current: CurrentScaling, deps: Dependencies, reason: str) -> int:
    return settle_plan(None, current, deps, reason)


def _apply(
    plan: Plan | None, current: CurrentScaling, changeset: Changeset, deps: Dependencies, reason: str
) -> int:
    rid = current.resource_id
    if changeset.skipped:
        deps.journal.decision(rid, "skipped", changeset.skipped, **_scaling(plan, current))
        deps.journal.count(MetricName.SKIPPED)
        return 0
    writes = apply_changes(changeset, current, deps.applier(), deps.journal, plan_only=deps.plan_only)
    for note in changeset.notes:
        deps.journal.decision(rid, "kept", note)
    _decide(plan, current, writes, deps, reason)
    return writes


def _bounds_of(low: int, high: int) -> dict[str, int]:
    return {"min": low, "max": high}


def _scaling(plan: Plan | None, current: CurrentScaling) -> dict[str, Any]:
    """What a decision line says about the resource: its kind, its scaling now and as planned."""
    target = current.target
    details: dict[str, Any] = {
        "current": None if target is None else _bounds_of(target.min_capacity, target.max_capacity)
    }
    if plan is not None:
        desired = plan.desired
        details["kind"] = plan.resource.kind.value
        details["planned"] = (
            None if desired is None else _bounds_of(desired.target.min_capacity, desired.target.max_capacity)
        )
    return details


def _decide(plan: Plan | None, current: CurrentScaling, writes: int, deps: Dependencies, reason: str) -> None:
    rid, details = current.resource_id, _scaling(plan, current)
    decision, metric = _decision(plan, current, writes, deps.plan_only)
    if decision is None:
        return
    if decision == "planned":
        reason = f"{writes} change(s) planned, none made: {reason}"
    elif decision == "unchanged":
        reason = "scaling already matches the plan"
    deps.journal.decision(rid, decision, reason, **details)
    if metric is not None:
        deps.journal.count(metric)


def _decision(
    plan: Plan | None, current: CurrentScaling, writes: int, plan_only: bool
) -> tuple[str | None, str | None]:
    """(decision, metric) for what settling did; a release that found nothing to remove says nothing."""
    if writes and plan_only:
        return "planned", None
    if plan is None:
        return ("released", MetricName.RELEASED) if writes else (None, None)
    if plan.desired is None:
        return "unmanaged", MetricName.RELEASED if current.target is not None and writes else None
    if writes == 0:
        return "unchanged", MetricName.UNCHANGED
    return "configured", MetricName.ACTIVATED if current.target is None else None


def remove_expired_tags(
    expired: dict[str, str], holders: list[tuple[str, dict[str, str]]], deps: Dependencies
) -> int:
    """An expired keep-on-until tag has done its job: remove it from whichever resource carries it, but
    only while it still holds the value that expired (someone may have just extended it)."""
    changes = []
    for arn, tags in holders:
        found = {key: tags[key] for key, value in expired.items() if tags.get(key) == value}
        if found:
            changes.append(RemoveResourceTags(arn.split(":", 5)[-1], arn, found))
            for key in found:
                expired.pop(key)
    changeset = Changeset(tuple(changes))
    return apply_changes(changeset, None, deps.applier(), deps.journal, plan_only=deps.plan_only)
