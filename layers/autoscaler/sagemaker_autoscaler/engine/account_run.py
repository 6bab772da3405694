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
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from sagemaker_autoscaler.core.current_state import CurrentScaling
from sagemaker_autoscaler.core.domain import (
    NAME_PREFIX,
    Dimension,
    ScalableResource,
    component_resource_id,
    resource_id_of_alarm,
)
from sagemaker_autoscaler.core.overrides import merge_tags
from sagemaker_autoscaler.core.sagemaker_resources import endpoint_variants, inference_component
from sagemaker_autoscaler.engine.apply import QuotaExceeded
from sagemaker_autoscaler.engine.read_state import (
    to_current_alarm,
    to_current_policy,
    to_current_scheduled_action,
    to_current_target,
)
from sagemaker_autoscaler.engine.settle import (
    RELEASE_COMPONENT,
    RELEASE_ENDPOINT,
    Dependencies,
    release_with,
    remove_expired_tags,
    settle,
)

Key = tuple[str, Dimension]
Holders = list[tuple[str, dict[str, str]]]
# Stop this long before the Lambda deadline: enough for the slowest single resource to finish.
DEFAULT_RESERVE_MS = 15_000


@dataclass
class RunSummary:
    resources_seen: int = 0
    resources_changed: int = 0
    resources_unchanged: int = 0
    resources_failed: int = 0
    orphans_released: int = 0
    writes: int = 0
    deferred: int = 0  # not reached before the deadline: the next run takes them
    planned: int = 0  # changes logged but not made (WriteMode plan)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class ScalingSnapshot:
    """Everything SageMaker-related that Application Auto Scaling and CloudWatch hold, read at once."""

    def __init__(self, deps: Dependencies) -> None:
        self.deps = deps
        self.targets: dict[Key, dict[str, Any]] = {}
        for target in deps.autoscaling.describe_targets():
            if target["ScalableDimension"] in set(Dimension):
                self.targets[(target["ResourceId"], Dimension(target["ScalableDimension"]))] = target
        self.policies: dict[Key, list[dict[str, Any]]] = defaultdict(list)
        for policy in deps.autoscaling.describe_all_policies():
            if policy["ScalableDimension"] in set(Dimension):
                self.policies[(policy["ResourceId"], Dimension(policy["ScalableDimension"]))].append(policy)
        self.actions: dict[Key, list[dict[str, Any]]] = defaultdict(list)
        for action in deps.autoscaling.describe_all_scheduled_actions():
            if action.get("ScalableDimension") in set(Dimension):
                self.actions[(action["ResourceId"], Dimension(action["ScalableDimension"]))].append(action)
        self.alarms: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for alarm in deps.cloudwatch.describe_alarms(NAME_PREFIX):
            resource_id = resource_id_of_alarm(alarm["AlarmName"])
            if resource_id is not None:
                self.alarms[resource_id].append(alarm)

    def owned(self, key: Key) -> bool:
        target = self.targets.get(key)
        return target is not None and self.deps.autoscaling.is_owned(target["ScalableTargetARN"])

    def current(self, key: Key) -> CurrentScaling:
        resource_id, dimension = key
        alarms = tuple(to_current_alarm(a) for a in self.alarms.get(resource_id, []))
        raw = self.targets.get(key)
        if raw is None:
            return CurrentScaling(resource_id, dimension, None, alarms=alarms)
        target = to_current_target(raw, self.deps.autoscaling.target_tags(raw["ScalableTargetARN"]))
        if not target.owned:
            return CurrentScaling(resource_id, dimension, target, alarms=alarms)
        return CurrentScaling(
            resource_id,
            dimension,
            target,
            tuple(to_current_policy(p) for p in self.policies.get(key, [])),
            alarms,
            tuple(to_current_scheduled_action(a) for a in self.actions.get(key, [])),
        )

    def candidate_orphans(self) -> set[Key]:
        """Keys the app may have to clean up: every target (whose owner is checked when its turn comes,
        so that one unreadable tag fails only that target), and resources with the app's alarms."""
        keys = set(self.targets)
        with_target = {resource_id for resource_id, _ in self.targets}
        for resource_id in self.alarms:
            if resource_id not in with_target:
                dimension = (
                    Dimension.COPY_COUNT
                    if resource_id.startswith("inference-component/")
                    else Dimension.INSTANCE_COUNT
                )
                keys.add((resource_id, dimension))
        return keys


@dataclass
class _Candidate:
    """A resource to settle, with the ARNs (and their tags) whose keep-on-until tags it may remove."""

    resource: ScalableResource
    holders: Holders


@dataclass
class _Inventory:
    candidates: list[_Candidate] = field(default_factory=list)
    # Endpoints and components in transition, or whose reads failed: whatever the app holds for them is
    # left as it is until a later run sees them clearly.
    protected_endpoints: set[str] = field(default_factory=set)
    protected_components: set[str] = field(default_factory=set)
    configs: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=dict)

    def is_protected(self, resource_id: str) -> bool:
        if resource_id in self.protected_components:
            return True
        parts = resource_id.split("/")
        return parts[0] == "endpoint" and len(parts) > 1 and parts[1] in self.protected_endpoints


@dataclass
class Runner:
    """Runs one resource's step at a time, each on its own, and keeps the run's summary."""

    deps: Dependencies
    summary: RunSummary

    def attempt(self, resource_id: str, step: Callable[[], Any]) -> tuple[bool, Any]:
        try:
            return True, step()
        except QuotaExceeded as error:
            self.deps.journal.quota(resource_id, error)
        except Exception as error:  # noqa: BLE001 - isolate per resource; the run goes on
            self.deps.journal.failure(resource_id, error)
        self.summary.resources_failed += 1
        return False, None

    def count(self, writes: int, orphan: bool) -> None:
        if self.deps.plan_only:
            self.summary.planned += writes
        else:
            self.summary.writes += writes
        if writes and self.deps.plan_only:
            return  # planned, not changed: the summary's `planned` says how much
        if orphan and writes:
            self.summary.orphans_released += 1
        elif writes:
            self.summary.resources_changed += 1
        elif not orphan:
            self.summary.resources_unchanged += 1


@dataclass
class _AccountTags:
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
    described = None
    if summary["EndpointStatus"] == "InService":
        described = deps.sagemaker.describe_endpoint_cached(name, summary.get("LastModifiedTime"))
    if described is None or described.get("EndpointStatus") != "InService":
        return None
    config = deps.sagemaker.describe_endpoint_config_cached(described["EndpointConfigName"])
    endpoint_tags = tags.of(arn)
    variants = endpoint_variants(described, config, hosted, endpoint_tags)
    return described, config, [_Candidate(variant, [(arn, endpoint_tags)]) for variant in variants]


def _component_candidate(
    component: dict[str, Any], inventory: _Inventory, tags: _AccountTags, deps: Dependencies
) -> _Candidate | None:
    """The component to settle; None when it or its endpoint is in transition (left alone for now)."""
    if (
        component["InferenceComponentStatus"] != "InService"
        or component["EndpointName"] not in inventory.configs
    ):
        return None
    endpoint, config = inventory.configs[component["EndpointName"]]
    endpoint_arn, own_arn = str(component["EndpointArn"]), str(component["InferenceComponentArn"])
    endpoint_tags, own_tags = tags.of(endpoint_arn), tags.of_component(own_arn, deps)
    resource = inference_component(component, config, merge_tags(endpoint_tags, own_tags), endpoint)
    return _Candidate(resource, [(own_arn, own_tags), (endpoint_arn, endpoint_tags)])


def _inventory(deps: Dependencies, runner: Runner) -> _Inventory:
    """What to settle. Account-wide listings fail the run; one resource's reads fail only that resource."""
    endpoints = deps.sagemaker.list_endpoints()
    components = deps.sagemaker.list_all_inference_components()
    tags = _tags_of_every_resource(deps, components)
    by_endpoint: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for component in components:
        by_endpoint[component["EndpointName"]].append(component)

    inventory = _Inventory()
    for summary in endpoints:
        name = summary["EndpointName"]
        if summary["EndpointStatus"] in RELEASE_ENDPOINT:
            continue
        step = partial(_endpoint_candidates, summary, by_endpoint.get(name, []), tags, deps)
        ok, found = runner.attempt(f"endpoint/{name}", step)
        if not ok or found is None:
            inventory.protected_endpoints.add(name)
            continue
        described, config, candidates = found
        inventory.configs[name] = (described, config)
        inventory.candidates.extend(candidates)

    for component in components:
        if component["InferenceComponentStatus"] in RELEASE_COMPONENT:
            continue
        rid = component_resource_id(component["InferenceComponentName"])
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
) -> RunSummary:
    summary = RunSummary()
    runner = Runner(deps, summary)
    inventory = _inventory(deps, runner)
    snapshot = ScalingSnapshot(deps)
    summary.resources_seen = len(inventory.candidates) + summary.resources_failed

    work: list[tuple[str, bool, Callable[[], int]]] = []  # (resource id, is orphan, step)
    live: set[Key] = set()
    for candidate in inventory.candidates:
        key = (candidate.resource.resource_id, candidate.resource.dimension)
        live.add(key)
        work.append((key[0], False, partial(_settle_candidate, candidate, snapshot, deps)))
    for key in sorted(snapshot.candidate_orphans() - live):
        if not inventory.is_protected(key[0]):
            release = partial(release_orphan, key, snapshot, deps, "resource no longer exists")
            work.append((key[0], True, release))

    for index, (resource_id, orphan, step) in enumerate(work):
        if remaining_ms is not None and remaining_ms() < reserve_ms:
            summary.deferred = len(work) - index
            break
        ok, writes = runner.attempt(resource_id, step)
        if ok:
            runner.count(writes, orphan)
    return summary


def release_orphan(key: Key, snapshot: ScalingSnapshot, deps: Dependencies, reason: str) -> int:
    """Release what the app holds for a resource that is gone; someone else's target is not a concern."""
    current = snapshot.current(key)
    if current.target is not None and not current.target.owned and not current.alarms:
        return 0
    return release_with(current, deps, reason)
