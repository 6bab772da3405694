"""The imperative shell: read what SageMaker says now, plan, diff against AWS, apply the difference.

Events only name a resource. Whatever their order or number, reconciling from current state converges:
an ``IN_SERVICE`` event for an endpoint that is already gone releases instead of configuring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import Any

from .apply import apply_changes
from .aws.autoscaling import AutoScaling
from .aws.cloudwatch import CloudWatch
from .aws.sagemaker import SageMaker
from .aws.sqs import Queue
from .aws.tagging import Tagging
from .current import read_current
from .diff import plan_changes
from .journal import Journal, MetricName
from .model import NAME_PREFIX, Dimension, Plan, component_resource_id, endpoint_alarm_prefix
from .observe import endpoint_variants, inference_component
from .overrides import merge_tags
from .planner import plan_resource
from .settings import Settings
from .state import CurrentScaling


class Status(StrEnum):
    CHANGED = "changed"  # at least one write was made
    UNCHANGED = "unchanged"  # everything already matched: no writes
    WAITING = "waiting"  # the resource is still transitioning; check again later
    LEFT_ALONE = "left-alone"  # a state in which the app does not touch the resource


@dataclass
class Dependencies:
    settings: Settings
    sagemaker: SageMaker = field(default_factory=SageMaker)
    autoscaling: AutoScaling = field(default_factory=AutoScaling)
    cloudwatch: CloudWatch = field(default_factory=CloudWatch)
    queue: Queue = field(default_factory=lambda: Queue(None))
    tagging: Tagging = field(default_factory=Tagging)
    journal: Journal = field(default_factory=Journal)
    clock: Any = field(default=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str
    writes: int = 0
    # What the plan was made from (status, config, tags); None when the resource is gone.
    fingerprint: Any = None


class ReconcileError(RuntimeError):
    """Some resources of the run failed; the others were still handled."""


# Endpoint API statuses grouped by what the app does about them.
TRANSITIONAL_ENDPOINT = {"Creating", "Updating", "SystemUpdating", "RollingBack"}
RELEASE_ENDPOINT = {"Deleting", "Failed"}
TRANSITIONAL_COMPONENT = {"Creating", "Updating"}
RELEASE_COMPONENT = {"Deleting", "Failed"}


def _variant_prefix(endpoint_name: str) -> str:
    return f"endpoint/{endpoint_name}/variant/"


def converge(
    plan: Plan, deps: Dependencies, known_target: dict[str, Any] | None = None, listed: bool = False
) -> int:
    """Bring one resource to its planned state; returns the number of writes."""
    resource = plan.resource
    current = read_current(
        resource.resource_id, resource.dimension, deps.autoscaling, deps.cloudwatch, known_target, listed
    )
    return converge_with(plan, current, deps)


def converge_with(plan: Plan, current: CurrentScaling, deps: Dependencies) -> int:
    """Bring one resource from ``current`` to its planned state; returns the number of writes."""
    rid = plan.resource.resource_id
    for problem in plan.problems:
        deps.journal.problem(rid, problem)
    for warning in plan.warnings:
        deps.journal.warning(rid, warning)
    changeset = plan_changes(plan.desired, current)
    if changeset.skipped:
        deps.journal.decision(rid, "skipped", changeset.skipped)
        deps.journal.count(MetricName.SKIPPED)
        return 0
    writes = apply_changes(changeset, current, deps.autoscaling, deps.cloudwatch, deps.journal)
    for note in changeset.notes:
        deps.journal.decision(rid, "kept", note)
    if plan.desired is None:
        deps.journal.decision(rid, "unmanaged", plan.reason)
        if current.target is not None and writes:
            deps.journal.count(MetricName.RELEASED)
    elif writes == 0:
        deps.journal.decision(rid, "unchanged", "scaling already matches the plan")
        deps.journal.count(MetricName.UNCHANGED)
    else:
        deps.journal.decision(rid, "configured", plan.reason)
        if current.target is None:
            deps.journal.count(MetricName.ACTIVATED)
    return writes


def release_resource(
    resource_id: str, dimension: Dimension, deps: Dependencies, reason: str, raw: Any = None
) -> int:
    current = read_current(resource_id, dimension, deps.autoscaling, deps.cloudwatch, raw, raw is not None)
    return release_with(current, deps, reason)


def release_with(current: CurrentScaling, deps: Dependencies, reason: str) -> int:
    resource_id = current.resource_id
    changeset = plan_changes(None, current)
    if changeset.skipped:
        deps.journal.decision(resource_id, "skipped", changeset.skipped)
        deps.journal.count(MetricName.SKIPPED)
        return 0
    writes = apply_changes(changeset, current, deps.autoscaling, deps.cloudwatch, deps.journal)
    for note in changeset.notes:
        deps.journal.decision(resource_id, "kept", note)
    if writes:
        deps.journal.decision(resource_id, "released", reason)
        deps.journal.count(MetricName.RELEASED)
    return writes


def run_isolated(items: Iterable[tuple[str, Any]], deps: Dependencies) -> tuple[int, list[str]]:
    """Run each (resource id, thunk) on its own so one failure does not stop the others."""
    writes, failures = 0, []
    for resource_id, work in items:
        try:
            writes += work()
        except Exception as error:  # noqa: BLE001 - isolate per resource; re-raised below as a summary
            deps.journal.failure(resource_id, error)
            failures.append(f"{resource_id}: {type(error).__name__}: {error}")
    return writes, failures


def _finish(writes: int, failures: list[str], detail: str, fingerprint: Any = None) -> Outcome:
    if failures:
        raise ReconcileError("; ".join(failures))
    return Outcome(Status.CHANGED if writes else Status.UNCHANGED, detail, writes, fingerprint)


def _endpoint_fingerprint(endpoint: dict[str, Any], tags: dict[str, str]) -> Any:
    return (endpoint["EndpointStatus"], endpoint["EndpointConfigName"], tuple(sorted(tags.items())))


def _component_fingerprint(
    component: dict[str, Any], endpoint_tags: dict[str, str], tags: dict[str, str]
) -> Any:
    return (
        component["InferenceComponentStatus"],
        tuple(sorted(endpoint_tags.items())),
        tuple(sorted(tags.items())),
    )


def current_fingerprint(resource_type: str, name: str, deps: Dependencies) -> Any:
    """The same fingerprint, read afresh (two or three reads): has anything moved since the plan?"""
    if resource_type == "endpoint":
        endpoint = deps.sagemaker.describe_endpoint(name)
        if endpoint is None:
            return None
        return _endpoint_fingerprint(endpoint, deps.sagemaker.list_tags(endpoint["EndpointArn"]))
    component = deps.sagemaker.describe_inference_component(name)
    if component is None:
        return None
    endpoint = deps.sagemaker.describe_endpoint(component["EndpointName"])
    endpoint_tags = deps.sagemaker.list_tags(endpoint["EndpointArn"]) if endpoint else {}
    return _component_fingerprint(
        component, endpoint_tags, deps.sagemaker.list_tags(component["InferenceComponentArn"])
    )


def _owned_endpoint_leftovers(endpoint_name: str, deps: Dependencies) -> dict[tuple[str, Dimension], Any]:
    """Targets (any owner: ownership is checked later) and app alarms left under an endpoint's variants."""
    prefix = _variant_prefix(endpoint_name)
    found: dict[tuple[str, Dimension], Any] = {
        (t["ResourceId"], Dimension(t["ScalableDimension"])): t
        for t in deps.autoscaling.describe_targets()
        if t["ResourceId"].startswith(prefix) and t["ScalableDimension"] in set(Dimension)
    }
    for alarm in deps.cloudwatch.describe_alarms(endpoint_alarm_prefix(endpoint_name)):
        # Alarm names are "<prefix><resource id>/<purpose>": recover the resource id.
        resource_id = alarm["AlarmName"][len(NAME_PREFIX) :].rsplit("/", 1)[0]
        if not any(key[0] == resource_id for key in found):
            found.setdefault((resource_id, Dimension.INSTANCE_COUNT), None)
    return found


def release_endpoint(endpoint_name: str, deps: Dependencies, reason: str) -> Outcome:
    leftovers = _owned_endpoint_leftovers(endpoint_name, deps)
    items = [
        (rid, lambda rid=rid, dim=dim, raw=raw: release_resource(rid, dim, deps, reason, raw))
        for (rid, dim), raw in sorted(leftovers.items(), key=lambda kv: kv[0][0])
    ]
    writes, failures = run_isolated(items, deps)
    return _finish(writes, failures, f"released: {reason}")


def _unless_in_service(
    what: str,
    resource_id: str,
    status: str | None,
    transitional_and_releasing: tuple[set[str], set[str]],
    release: Callable[[str], Outcome],
    deps: Dependencies,
) -> Outcome | None:
    """None when the resource is InService (go on and configure it); otherwise what happens instead:
    release when it is gone or going, wait while it transitions, leave it alone in any other state."""
    transitional, releasing = transitional_and_releasing
    if status is None:
        return release(f"{what} no longer exists")
    if status in releasing:
        return release(f"{what} is {status}")
    if status in transitional:
        return Outcome(Status.WAITING, f"{what} is {status}")
    if status != "InService":
        deps.journal.decision(resource_id, "left alone", f"{what} is {status}")
        return Outcome(Status.LEFT_ALONE, f"{what} is {status}")
    return None


def reconcile_endpoint(endpoint_name: str, deps: Dependencies) -> Outcome:
    endpoint = deps.sagemaker.describe_endpoint(endpoint_name)
    not_ready = _unless_in_service(
        "endpoint",
        f"endpoint/{endpoint_name}",
        endpoint["EndpointStatus"] if endpoint else None,
        (TRANSITIONAL_ENDPOINT, RELEASE_ENDPOINT),
        partial(release_endpoint, endpoint_name, deps),
        deps,
    )
    if not_ready is not None:
        return not_ready
    assert endpoint is not None  # it is InService

    config = deps.sagemaker.describe_endpoint_config(endpoint["EndpointConfigName"])
    components = deps.sagemaker.list_inference_components(endpoint_name)
    tags = deps.sagemaker.list_tags(endpoint["EndpointArn"])
    variants = endpoint_variants(endpoint, config, components, tags)
    now = deps.clock()
    expired: dict[str, str] = {}

    leftovers = _owned_endpoint_leftovers(endpoint_name, deps)
    items: list[tuple[str, Any]] = []
    for resource in variants:
        plan = plan_resource(resource, deps.settings, now)
        expired.update(plan.expired_tags)
        key = (resource.resource_id, resource.dimension)
        raw = leftovers.pop(key, None)
        items.append((resource.resource_id, partial(converge, plan, deps, raw, True)))
    # What is left belongs to variants that no longer exist (renamed by an endpoint update) or to a
    # dimension the variant no longer has (serverless <-> instances): release it.
    for (rid, dim), raw in sorted(leftovers.items(), key=lambda kv: kv[0][0]):
        items.append((rid, partial(release_resource, rid, dim, deps, "variant no longer exists", raw)))
    # Components inherit the endpoint's tags: a tag change on the endpoint is theirs too. The listing's
    # summaries carry all a component's plan needs, and the endpoint's reads serve every one of them.
    for component in components:
        if component.get("InferenceComponentStatus") == "InService":
            rid = component_resource_id(component["InferenceComponentName"])
            # No endpoint as a tag holder here: the endpoint's own expired tags are removed once, below.
            items.append((rid, partial(_component_writes, component, None, config, tags, deps)))
    if expired:
        items.append(
            (
                f"endpoint/{endpoint_name}",
                lambda: remove_expired_tags(expired, [(endpoint["EndpointArn"], tags)], deps),
            )
        )
    writes, failures = run_isolated(items, deps)
    return _finish(
        writes, failures, f"reconciled {len(variants)} variant(s)", _endpoint_fingerprint(endpoint, tags)
    )


def _converge_component(
    component: dict[str, Any],
    endpoint: dict[str, Any] | None,
    config: dict[str, Any] | None,
    endpoint_tags: dict[str, str],
    deps: Dependencies,
) -> tuple[int, dict[str, str]]:
    """Plan and converge one InService component; returns the writes and the component's own tags."""
    resource_id = component_resource_id(component["InferenceComponentName"])
    component_tags = deps.sagemaker.list_tags(component["InferenceComponentArn"])
    resource = inference_component(component, config, merge_tags(endpoint_tags, component_tags))
    plan = plan_resource(resource, deps.settings, deps.clock())
    items: list[tuple[str, Any]] = [(resource_id, partial(converge, plan, deps))]
    if plan.expired_tags:
        holders = [(component["InferenceComponentArn"], component_tags)]
        if endpoint:
            holders.append((endpoint["EndpointArn"], endpoint_tags))
        items.append((resource_id, partial(remove_expired_tags, dict(plan.expired_tags), holders, deps)))
    writes, failures = run_isolated(items, deps)
    if failures:
        raise ReconcileError("; ".join(failures))
    return writes, component_tags


def _component_writes(
    component: dict[str, Any],
    endpoint: dict[str, Any] | None,
    config: dict[str, Any] | None,
    endpoint_tags: dict[str, str],
    deps: Dependencies,
) -> int:
    return _converge_component(component, endpoint, config, endpoint_tags, deps)[0]


def reconcile_inference_component(component_name: str, deps: Dependencies) -> Outcome:
    resource_id = component_resource_id(component_name)
    component = deps.sagemaker.describe_inference_component(component_name)
    not_ready = _unless_in_service(
        "inference component",
        resource_id,
        component["InferenceComponentStatus"] if component else None,
        (TRANSITIONAL_COMPONENT, RELEASE_COMPONENT),
        partial(_release_component, component_name, deps),
        deps,
    )
    if not_ready is not None:
        return not_ready
    assert component is not None  # it is InService

    endpoint = deps.sagemaker.describe_endpoint(component["EndpointName"])
    endpoint_tags = deps.sagemaker.list_tags(endpoint["EndpointArn"]) if endpoint else {}
    config = deps.sagemaker.describe_endpoint_config(endpoint["EndpointConfigName"]) if endpoint else None
    writes, component_tags = _converge_component(component, endpoint, config, endpoint_tags, deps)
    fingerprint = _component_fingerprint(component, endpoint_tags, component_tags)
    return _finish(writes, [], "reconciled inference component", fingerprint)


def _release_component(component_name: str, deps: Dependencies, reason: str) -> Outcome:
    resource_id = component_resource_id(component_name)
    writes, failures = run_isolated(
        [(resource_id, lambda: release_resource(resource_id, Dimension.COPY_COUNT, deps, reason))], deps
    )
    return _finish(writes, failures, f"released: {reason}")


def remove_expired_tags(
    expired: dict[str, str], holders: list[tuple[str, dict[str, str]]], deps: Dependencies
) -> int:
    """An expired keep-on-until tag has done its job: remove it from whichever resource carries it, but
    only while it still holds the value that expired (someone may have just extended it)."""
    writes = 0
    for arn, tags in holders:
        keys = [key for key, value in expired.items() if tags.get(key) == value]
        if not keys:
            continue
        deps.sagemaker.delete_tags(arn, keys)
        writes += 1
        deps.journal.change(
            "DeleteTags",
            arn.split(":", 5)[-1],
            dimension=None,
            old={key: tags[key] for key in keys},
            new=None,
            outcome="deleted (expired)",
        )
        for key in keys:
            expired.pop(key)
    return writes
