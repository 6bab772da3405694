"""The periodic, account-wide reconcile: level-triggered, so missed events do not matter.

One run reads the whole account in as few requests as the APIs allow (paginated listings; all scaling
policies, scheduled actions and the app's alarms at once; tags through the Tagging API), then settles
every endpoint variant and inference component with the same ``settle`` as the event path. It adopts
resources that never had an event, repairs drift in what the app owns, and releases what the app owns for
resources that no longer exist. Every step for one resource (its reads, its plan, its writes) runs on
its own: a failure is an ERROR line and a metric for that resource, and the run goes on. It stops before
the Lambda deadline; what it did not reach waits for the next run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from msgspec import Struct, field

from sagemaker_autoscaler.core.domain import ScalableResource, component_resource_id
from sagemaker_autoscaler.core.overrides import merge_tags
from sagemaker_autoscaler.core.sagemaker_resources import endpoint_variants, inference_component
from sagemaker_autoscaler.core.status import COMPONENT, ENDPOINT, Verdict, classify
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.runner import DEFAULT_RESERVE_MS, Runner, RunSummary, WorkItem
from sagemaker_autoscaler.engine.settle import release_with, remove_expired_tags, settle
from sagemaker_autoscaler.engine.state import Key, ScalingSnapshot

Holders = list[tuple[str, dict[str, str]]]


class _Candidate(Struct):
    """A resource to settle, with the ARNs (and their tags) whose keep-on-until tags it may remove."""

    resource: ScalableResource
    holders: Holders


class Inventory(Struct):
    candidates: list[_Candidate] = field(default_factory=list)
    # Endpoints and components in transition, or whose reads failed: whatever the app holds for them is
    # left as it is until a later run sees them clearly.
    protected_endpoints: set[str] = field(default_factory=set)
    protected_components: set[str] = field(default_factory=set)
    configs: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=dict)
    # Every listed component's host (endpoint, variant), protected ones included: a host's saving must
    # know the components it could not see.
    component_hosts: dict[str, tuple[str, str]] = field(default_factory=dict)

    def is_protected(self, resource_id: str) -> bool:
        if resource_id in self.protected_components:
            return True
        parts = resource_id.split("/")
        return parts[0] == "endpoint" and len(parts) > 1 and parts[1] in self.protected_endpoints


class _AccountTags(Struct):
    """ARN (lower case) -> tags, from the Tagging API. When its answer holds no component at all, either
    none is tagged or the API does not cover components: an opt-out tag must never be missed, so each
    component's own tags are then asked of SageMaker, in that component's own step."""

    by_arn: dict[str, dict[str, str]]
    ask_components: bool

    def of(self, arn: str) -> dict[str, str]:
        return self.by_arn.get(arn.lower(), {})

    def of_component(self, arn: str, deps: Dependencies) -> dict[str, str]:
        return deps.sagemaker.list_tags(arn) if self.ask_components else self.of(arn)


def _tags_of_every_resource(deps: Dependencies, components: list[dict[str, Any]]) -> _AccountTags:
    tags = {arn.lower(): value for arn, value in deps.tagging.sagemaker_tags().items()}
    covers_components = any(":inference-component/" in arn for arn in tags)
    return _AccountTags(tags, ask_components=bool(components) and not covers_components)


def _endpoint_candidates(
    summary: dict[str, Any], hosted: list[dict[str, Any]], tags: _AccountTags, deps: Dependencies
) -> tuple[dict[str, Any], dict[str, Any] | None, list[_Candidate]] | None:
    """The variants of one endpoint to settle; None when it is not InService (left alone for now)."""
    name, arn = summary["EndpointName"], str(summary["EndpointArn"])
    if classify(ENDPOINT, summary["EndpointStatus"]) is not Verdict.CONFIGURE:
        return None
    described = deps.sagemaker.describe_endpoint_cached(name, summary.get("LastModifiedTime"))
    if described is None or classify(ENDPOINT, described.get("EndpointStatus")) is not Verdict.CONFIGURE:
        return None
    config = deps.sagemaker.describe_endpoint_config_cached(described["EndpointConfigName"])
    endpoint_tags = tags.of(arn)
    variants = endpoint_variants(described, config, hosted, endpoint_tags)
    return described, config, [_Candidate(variant, [(arn, endpoint_tags)]) for variant in variants]


def _component_candidate(
    component: dict[str, Any], inventory: Inventory, tags: _AccountTags, deps: Dependencies
) -> _Candidate | None:
    """The component to settle; None when it or its endpoint is in transition (left alone for now)."""
    verdict = classify(COMPONENT, component["InferenceComponentStatus"])
    if verdict is not Verdict.CONFIGURE or component["EndpointName"] not in inventory.configs:
        return None
    endpoint, config = inventory.configs[component["EndpointName"]]
    endpoint_arn, own_arn = str(component["EndpointArn"]), str(component["InferenceComponentArn"])
    endpoint_tags, own_tags = tags.of(endpoint_arn), tags.of_component(own_arn, deps)
    resource = inference_component(component, config, merge_tags(endpoint_tags, own_tags), endpoint)
    return _Candidate(resource, [(own_arn, own_tags), (endpoint_arn, endpoint_tags)])


def read_inventory(deps: Dependencies, runner: Runner) -> Inventory:
    """What to settle. Account-wide listings fail the run; one resource's reads fail only that resource."""
    endpoints = deps.sagemaker.list_endpoints()
    components = deps.sagemaker.list_all_inference_components()
    tags = _tags_of_every_resource(deps, components)
    by_endpoint: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for component in components:
        by_endpoint[component["EndpointName"]].append(component)

    inventory = Inventory()
    for summary in endpoints:
        name = summary["EndpointName"]
        if classify(ENDPOINT, summary["EndpointStatus"]) is Verdict.RELEASE:
            continue  # gone or going: what the app holds for it is released as an orphan
        step = partial(_endpoint_candidates, summary, by_endpoint.get(name, []), tags, deps)
        ok, found = runner.attempt(f"endpoint/{name}", step)
        if not ok or found is None:
            inventory.protected_endpoints.add(name)
            continue
        described, config, candidates = found
        inventory.configs[name] = (described, config)
        inventory.candidates.extend(candidates)

    for component in components:
        if classify(COMPONENT, component["InferenceComponentStatus"]) is Verdict.RELEASE:
            continue
        rid = component_resource_id(component["InferenceComponentName"])
        inventory.component_hosts[rid] = (component["EndpointName"], str(component.get("VariantName", "")))
        ok, candidate = runner.attempt(rid, partial(_component_candidate, component, inventory, tags, deps))
        if not ok or candidate is None:
            inventory.protected_components.add(rid)
            continue
        inventory.candidates.append(candidate)
    return inventory


def _settle_candidate(candidate: _Candidate, snapshot: ScalingSnapshot, deps: Dependencies) -> int:
    resource = candidate.resource
    writes, plan = settle(resource, snapshot.current((resource.resource_id, resource.dimension)), deps)
    if plan.expired_tags:
        writes += remove_expired_tags(dict(plan.expired_tags), candidate.holders, deps)
    return writes


def reconcile_account(
    deps: Dependencies,
    remaining_ms: Callable[[], int] | None = None,
    reserve_ms: int = DEFAULT_RESERVE_MS,
    inventory_sink: Callable[[Inventory], None] | None = None,
) -> RunSummary:
    """``inventory_sink`` receives what the run read, for the savings metrics to count without reading
    the account again."""
    runner = Runner(deps, remaining_ms=remaining_ms, reserve_ms=reserve_ms)
    inventory = read_inventory(deps, runner)
    if inventory_sink is not None:
        inventory_sink(inventory)
    snapshot = ScalingSnapshot(deps)
    runner.summary.resources_seen = len(inventory.candidates) + runner.summary.resources_failed
    items: list[WorkItem] = []
    live: set[Key] = set()
    for candidate in inventory.candidates:
        key = (candidate.resource.resource_id, candidate.resource.dimension)
        live.add(key)
        items.append(WorkItem(key[0], partial(_settle_candidate, candidate, snapshot, deps)))
    for key in sorted(snapshot.candidate_orphans() - live):
        if not inventory.is_protected(key[0]):
            release = partial(release_orphan, key, snapshot, deps, "resource no longer exists")
            items.append(WorkItem(key[0], release, orphan=True))
    return runner.run(items)


def release_orphan(key: Key, snapshot: ScalingSnapshot, deps: Dependencies, reason: str) -> int:
    """Release what the app holds for a resource that is gone; someone else's target is not a concern."""
    current = snapshot.current(key)
    if current.target is not None and not current.target.owned and not current.alarms:
        return 0
    return release_with(current, deps, reason)
