"""The imperative shell: read what SageMaker says now, plan, diff against AWS, apply the difference.

Events only name a resource. Whatever their order or number, reconciling from current state converges:
an ``IN_SERVICE`` event for an endpoint that is already gone releases instead of configuring.

``settle`` (one resource: plan, diff, apply) and ``release_with`` (one resource's leftovers) are what
every path uses: the event path below, the account-wide run (``fleet``) and the uninstall.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from sagemaker_autoscaler.aws.autoscaling import AutoScaling, TargetAppeared
from sagemaker_autoscaler.aws.cloudwatch import CloudWatch
from sagemaker_autoscaler.aws.sagemaker import SageMaker
from sagemaker_autoscaler.aws.sqs import Queue
from sagemaker_autoscaler.aws.tagging import Tagging
from sagemaker_autoscaler.core.current_state import CurrentScaling
from sagemaker_autoscaler.core.diff import (
    Changeset,
    PutScheduledAction,
    RegisterTarget,
    RemoveResourceTags,
    SetCapacityFloor,
    plan_changes,
)
from sagemaker_autoscaler.core.domain import (
    Dimension,
    Plan,
    ResourceKind,
    ScalableResource,
    component_resource_id,
    endpoint_alarm_prefix,
    resource_id_of_alarm,
)
from sagemaker_autoscaler.core.overrides import merge_tags
from sagemaker_autoscaler.core.planner import CAPACITY_PROTECTED, plan_resource
from sagemaker_autoscaler.core.sagemaker_resources import (
    component_running_copies,
    endpoint_variants,
    inference_component,
    variant_running_capacity,
)
from sagemaker_autoscaler.core.settings import Settings, WriteMode
from sagemaker_autoscaler.engine.apply import Applier, QuotaExceeded, apply_changes
from sagemaker_autoscaler.engine.read_state import read_current, to_current_target
from sagemaker_autoscaler.telemetry.journal import Journal, MetricName


class Status(StrEnum):
    CHANGED = "changed"  # at least one write was made (or, in plan mode, planned)
    UNCHANGED = "unchanged"  # everything already matched: no writes
    WAITING = "waiting"  # the resource is still transitioning; check again later
    LEFT_ALONE = "left-alone"  # a state in which the app does not touch the resource
    QUOTA = "quota"  # a quota refused a write: retrying the message cannot help


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

    @property
    def plan_only(self) -> bool:
        """WriteMode plan: do everything but write."""
        return self.settings.write_mode is WriteMode.PLAN

    def applier(self) -> Applier:
        return Applier(self.autoscaling, self.cloudwatch, self.sagemaker)


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


# --- one resource: plan, diff, apply -----------------------------------------------------------------


def _touches_capacity(changeset: Changeset) -> bool:
    """Whether applying would set a maximum (a target's bounds, an opening's or closing's bounds, the
    guard's floor): before such a write the capacity guard must see the freshest facts."""
    return any(
        (isinstance(change, RegisterTarget) and not change.spec.suspended)
        or isinstance(change, PutScheduledAction | SetCapacityFloor)
        for change in changeset.changes
    )


class _Gone(Exception):
    """The resource was deleted (or is being deleted) since it was read."""


def _live(resource: ScalableResource, deps: Dependencies) -> dict[str, Any] | None:
    """What SageMaker says of the resource now (the component, or the variant's summary with its
    endpoint's ARN); None when it is gone or going."""
    if resource.kind is ResourceKind.INFERENCE_COMPONENT:
        assert resource.component_name is not None
        component = deps.sagemaker.describe_inference_component(resource.component_name)
        if component is None or component["InferenceComponentStatus"] in RELEASE_COMPONENT:
            return None
        return component
    endpoint = deps.sagemaker.describe_endpoint(resource.endpoint_name)
    if endpoint is None or endpoint["EndpointStatus"] in RELEASE_ENDPOINT:
        return None
    for summary in endpoint.get("ProductionVariants", []):
        if summary.get("VariantName") == resource.variant_name:
            return {**summary, "EndpointArn": endpoint["EndpointArn"]}
    return None


def read_resource_again(resource: ScalableResource, deps: Dependencies) -> ScalableResource | None:
    """The resource as SageMaker has it now: its running capacity and its tags (the IC's merged with its
    endpoint's), read afresh; None when it is gone or going."""
    live = _live(resource, deps)
    if live is None:
        return None
    endpoint_tags = deps.sagemaker.list_tags(str(live["EndpointArn"]))
    if resource.kind is ResourceKind.INFERENCE_COMPONENT:
        own = deps.sagemaker.list_tags(str(live["InferenceComponentArn"]))
        return replace(
            resource, tags=merge_tags(endpoint_tags, own), running_capacity=component_running_copies(live)
        )
    return replace(
        resource, tags=endpoint_tags, running_capacity=variant_running_capacity(live, resource.kind)
    )


def _look_again(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies, fresh: bool
) -> tuple[ScalableResource, CurrentScaling]:
    """Before a write that sets a maximum: what the resource runs at and its own tags (unless they were
    read just now), and its target's tags (another container may have recorded a floor), all afresh.
    A periodic run's tags come from the Tagging API at the start of the run, and may be older than a
    change of max-capacity: the guard must never honour a stale request to scale in."""
    if not fresh:
        again = read_resource_again(resource, deps)
        if again is None:
            raise _Gone(resource.resource_id)
        resource = again
    target = current.target
    if target is not None and target.arn and target.owned:
        tags = deps.autoscaling.target_tags(target.arn, fresh=True)
        raw = {
            "ResourceId": target.resource_id,
            "ScalableDimension": target.dimension,
            "MinCapacity": target.min_capacity,
            "MaxCapacity": target.max_capacity,
            "ScalableTargetARN": target.arn,
            "SuspendedState": dict(target.suspended),
        }
        current = replace(current, target=to_current_target(raw, tags))
    return resource, current


def _plan_and_diff(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies
) -> tuple[Plan, Changeset]:
    floor = current.target.capacity_floor if current.target is not None else None
    plan = plan_resource(resource, deps.settings, deps.clock(), floor)
    return plan, plan_changes(plan.desired, current)


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
        again = read_current(resource.resource_id, resource.dimension, deps.autoscaling, deps.cloudwatch)
        return _settle_once(resource, again, deps, fresh)
    except QuotaExceeded:
        raise
    except _Gone:
        return _release_gone(resource, deps)
    except ClientError:
        # AAS refuses to scale a resource that is gone. If SageMaker says it was deleted between the
        # read and the write, release what is left now instead of failing until the next run.
        if _still_exists(resource, deps):
            raise
        return _release_gone(resource, deps)


def _release_gone(resource: ScalableResource, deps: Dependencies) -> tuple[int, Plan]:
    current = read_current(resource.resource_id, resource.dimension, deps.autoscaling, deps.cloudwatch)
    writes = release_with(current, deps, "resource was deleted while it was being configured")
    return writes, Plan(resource, None, "resource was deleted while it was being configured")


def _still_exists(resource: ScalableResource, deps: Dependencies) -> bool:
    return _live(resource, deps) is not None


def _settle_once(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies, fresh: bool
) -> tuple[int, Plan]:
    plan, changeset = _plan_and_diff(resource, current, deps)
    if _touches_capacity(changeset):
        resource, current = _look_again(resource, current, deps, fresh)
        plan, changeset = _plan_and_diff(resource, current, deps)
    rid = resource.resource_id
    for problem in plan.problems:
        deps.journal.problem(rid, problem)
    for warning in plan.warnings:
        # The guard's raise is an adjustment worth a WARNING when it is written, not on every run after.
        if warning.code != CAPACITY_PROTECTED or _touches_capacity(changeset):
            deps.journal.warning(rid, warning)
    if changeset.skipped:
        deps.journal.decision(rid, "skipped", changeset.skipped, **_scaling(plan, current))
        deps.journal.count(MetricName.SKIPPED)
        return 0, plan
    writes = apply_changes(changeset, current, deps.applier(), deps.journal, plan_only=deps.plan_only)
    for note in changeset.notes:
        deps.journal.decision(rid, "kept", note)
    _decide(plan, current, writes, deps)
    return writes, plan


def _bounds_of(low: int, high: int) -> dict[str, int]:
    return {"min": low, "max": high}


def _scaling(plan: Plan, current: CurrentScaling) -> dict[str, Any]:
    """What a decision line says about the resource: its kind, its scaling now and as planned."""
    target, desired = current.target, plan.desired
    return {
        "kind": plan.resource.kind.value,
        "current": None if target is None else _bounds_of(target.min_capacity, target.max_capacity),
        "planned": None
        if desired is None
        else _bounds_of(desired.target.min_capacity, desired.target.max_capacity),
    }


def _decide(plan: Plan, current: CurrentScaling, writes: int, deps: Dependencies) -> None:
    rid, details = plan.resource.resource_id, _scaling(plan, current)
    if writes and deps.plan_only:
        deps.journal.decision(
            rid, "planned", f"{writes} change(s) planned, none made: {plan.reason}", **details
        )
    elif plan.desired is None:
        deps.journal.decision(rid, "unmanaged", plan.reason, **details)
        if current.target is not None and writes:
            deps.journal.count(MetricName.RELEASED)
    elif writes == 0:
        deps.journal.decision(rid, "unchanged", "scaling already matches the plan", **details)
        deps.journal.count(MetricName.UNCHANGED)
    else:
        deps.journal.decision(rid, "configured", plan.reason, **details)
        if current.target is None:
            deps.journal.count(MetricName.ACTIVATED)


def settle_fresh(
    resource: ScalableResource,
    deps: Dependencies,
    known_target: dict[str, Any] | None = None,
    listed: bool = False,
) -> tuple[int, Plan]:
    """``settle`` after reading the resource's current scaling (the event path)."""
    current = read_current(
        resource.resource_id, resource.dimension, deps.autoscaling, deps.cloudwatch, known_target, listed
    )
    # The event path has just read the resource and its tags; without a running capacity (no variant
    # summary) it is read again before a write that sets a maximum.
    return settle(resource, current, deps, fresh=resource.running_capacity is not None)


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
    writes = apply_changes(changeset, current, deps.applier(), deps.journal, plan_only=deps.plan_only)
    for note in changeset.notes:
        deps.journal.decision(resource_id, "kept", note)
    target = current.target
    details = {"current": None if target is None else _bounds_of(target.min_capacity, target.max_capacity)}
    if writes and deps.plan_only:
        deps.journal.decision(
            resource_id, "planned", f"release planned, nothing removed: {reason}", **details
        )
    elif writes:
        deps.journal.decision(resource_id, "released", reason, **details)
        deps.journal.count(MetricName.RELEASED)
    return writes


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


# --- isolation -----------------------------------------------------------------------------------------


@dataclass
class Isolated:
    """What running several resources, each on its own, came to."""

    writes: int = 0
    failures: list[str] = field(default_factory=list)
    quota: list[str] = field(default_factory=list)


def run_isolated(items: Iterable[tuple[str, Callable[[], int]]], deps: Dependencies) -> Isolated:
    """Run each (resource id, thunk) on its own so one failure does not stop the others."""
    result = Isolated()
    for resource_id, work in items:
        try:
            result.writes += work()
        except QuotaExceeded as error:
            deps.journal.quota(resource_id, error)
            result.quota.append(f"{resource_id}: {error}")
        except Exception as error:  # noqa: BLE001 - isolate per resource; re-raised below as a summary
            deps.journal.failure(resource_id, error)
            result.failures.append(f"{resource_id}: {type(error).__name__}: {error}")
    return result


def _finish(result: Isolated, detail: str, fingerprint: Any = None) -> Outcome:
    if result.failures:
        raise ReconcileError("; ".join(result.failures))
    if result.quota:
        return Outcome(Status.QUOTA, "; ".join(result.quota), result.writes)
    status = Status.CHANGED if result.writes else Status.UNCHANGED
    return Outcome(status, detail, result.writes, fingerprint)


# --- names read from ARNs ------------------------------------------------------------------------------


def _resolve(
    name: str,
    described: dict[str, Any] | None,
    listing: Callable[[], list[dict[str, Any]]],
    fields: tuple[str, str],
    resource_type: str,
    deps: Dependencies,
) -> str:
    """The real name for a name read from a (lower-case) ARN: from its describe answer if it was found,
    else from the listing matched by ARN (unique), else from the app's own target ids, else as read."""
    name_field, arn_field = fields
    if described is not None:
        return str(described[name_field])
    arn_suffix = f":{resource_type}/{name.lower()}"
    for item in listing():
        if str(item[arn_field]).lower().endswith(arn_suffix):
            return str(item[name_field])
    for target in deps.autoscaling.describe_targets():
        parts = str(target["ResourceId"]).split("/")
        if parts[0] == resource_type and len(parts) > 1 and parts[1].lower() == name.lower():
            return parts[1]
    return name


def resolve_endpoint_name(name: str, deps: Dependencies) -> str:
    """The endpoint's name as created, for a name read from its (lower-case) ARN.

    SageMaker keeps a name's case but writes ARNs in lower case, and Application Auto Scaling's resource
    ids use the real name. Whether DescribeEndpoint finds a name in another case is not documented, so the
    listing is searched too (by ARN, which is unique), and what the app registered last of all."""
    described = deps.sagemaker.describe_endpoint(name)
    fields = ("EndpointName", "EndpointArn")
    return _resolve(name, described, deps.sagemaker.list_endpoints, fields, "endpoint", deps)


def resolve_component_name(name: str, deps: Dependencies) -> str:
    """The inference component's name as created, for a name read from its (lower-case) ARN."""
    described = deps.sagemaker.describe_inference_component(name)
    listing = deps.sagemaker.list_all_inference_components
    fields = ("InferenceComponentName", "InferenceComponentArn")
    return _resolve(name, described, listing, fields, "inference-component", deps)


# --- the event path ------------------------------------------------------------------------------------


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
        resource_id = resource_id_of_alarm(alarm["AlarmName"])
        if resource_id is not None and not any(key[0] == resource_id for key in found):
            found.setdefault((resource_id, Dimension.INSTANCE_COUNT), None)
    return found


def release_endpoint(endpoint_name: str, deps: Dependencies, reason: str) -> Outcome:
    leftovers = _owned_endpoint_leftovers(endpoint_name, deps)
    items = [
        (rid, partial(release_resource, rid, dim, deps, reason, raw))
        for (rid, dim), raw in sorted(leftovers.items(), key=lambda kv: kv[0][0])
    ]
    return _finish(run_isolated(items, deps), f"released: {reason}")


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

    # The config may be gone (it can be deleted while its endpoint serves); DescribeEndpoint then says
    # what the variants are.
    config = deps.sagemaker.describe_endpoint_config(endpoint["EndpointConfigName"])
    components = deps.sagemaker.list_inference_components(endpoint_name)
    tags = deps.sagemaker.list_tags(endpoint["EndpointArn"])
    variants = endpoint_variants(endpoint, config, components, tags)
    expired: dict[str, str] = {}  # the endpoint's expired keep-on-until tags, as its variants' plans say

    leftovers = _owned_endpoint_leftovers(endpoint_name, deps)
    items: list[tuple[str, Callable[[], int]]] = []
    for resource in variants:
        raw = leftovers.pop((resource.resource_id, resource.dimension), None)
        items.append((resource.resource_id, partial(_settle_variant, resource, deps, raw, expired)))
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
    # Last, once the variants have been planned: their expired tags are the endpoint's, removed once.
    holders = [(str(endpoint["EndpointArn"]), tags)]
    items.append((f"endpoint/{endpoint_name}", partial(remove_expired_tags, expired, holders, deps)))
    result = run_isolated(items, deps)
    detail = f"reconciled {len(variants)} variant(s)"
    return _finish(result, detail, _endpoint_fingerprint(endpoint, tags))


def _settle_variant(
    resource: ScalableResource,
    deps: Dependencies,
    known_target: dict[str, Any] | None,
    expired: dict[str, str],
) -> int:
    writes, plan = settle_fresh(resource, deps, known_target, listed=True)
    expired.update(plan.expired_tags)
    return writes


def _converge_component(
    component: dict[str, Any],
    endpoint: dict[str, Any] | None,
    config: dict[str, Any] | None,
    endpoint_tags: dict[str, str],
    deps: Dependencies,
) -> tuple[int, dict[str, str]]:
    """Plan and converge one InService component; returns the writes and the component's own tags.
    Errors propagate: the caller isolates this component from its neighbours."""
    component_tags = deps.sagemaker.list_tags(component["InferenceComponentArn"])
    resource = inference_component(component, config, merge_tags(endpoint_tags, component_tags), endpoint)
    writes, plan = settle_fresh(resource, deps)
    expired = dict(plan.expired_tags)
    if expired:
        holders = [(str(component["InferenceComponentArn"]), component_tags)]
        if endpoint:
            holders.append((str(endpoint["EndpointArn"]), endpoint_tags))
        writes += remove_expired_tags(expired, holders, deps)
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
    own_tags: dict[str, str] = {}

    def work() -> int:
        writes, tags = _converge_component(component, endpoint, config, endpoint_tags, deps)
        own_tags.update(tags)
        return writes

    result = run_isolated([(resource_id, work)], deps)
    fingerprint = _component_fingerprint(component, endpoint_tags, own_tags)
    return _finish(result, "reconciled inference component", fingerprint)


def _release_component(component_name: str, deps: Dependencies, reason: str) -> Outcome:
    resource_id = component_resource_id(component_name)
    release = partial(release_resource, resource_id, Dimension.COPY_COUNT, deps, reason)
    return _finish(run_isolated([(resource_id, release)], deps), f"released: {reason}")
