"""The periodic, account-wide reconcile: level-triggered, so missed events do not matter.

One run reads the whole account in as few requests as the APIs allow (paginated listings; all scaling
policies, scheduled actions and the app's alarms at once; tags through the Tagging API), plans every
endpoint variant and inference component with the same planner as the event path, and then applies only
the differences, resource by resource, each on its own so one failure cannot stop the rest. It adopts
resources that never had an event, repairs drift in what the app owns, and releases what the app owns for
resources that no longer exist. It stops before the Lambda deadline; what it did not reach waits for the
next run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from .current import to_current_alarm, to_current_policy, to_current_scheduled_action, to_current_target
from .model import NAME_PREFIX, OWNER_TAG_KEY, OWNER_TAG_VALUE, Dimension, Plan, component_resource_id
from .observe import endpoint_variants, inference_component
from .overrides import merge_tags
from .planner import plan_resource
from .reconcile import (
    RELEASE_COMPONENT,
    RELEASE_ENDPOINT,
    Dependencies,
    converge_with,
    release_with,
    remove_expired_tags,
)
from .state import CurrentScaling

Key = tuple[str, Dimension]
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
            # "<prefix><resource id>/<purpose>": the resource id is everything between.
            resource_id = alarm["AlarmName"][len(NAME_PREFIX) :].rsplit("/", 1)[0]
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
        owned = self.owned(key)
        target = to_current_target(raw, {OWNER_TAG_KEY: OWNER_TAG_VALUE} if owned else {})
        if not owned:
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
        """Keys the app may have to clean up: its own targets, and resources with its alarms."""
        keys = {key for key in self.targets if self.owned(key)}
        for resource_id in self.alarms:
            if not any(key[0] == resource_id for key in self.targets):
                dimension = (
                    Dimension.COPY_COUNT
                    if resource_id.startswith("inference-component/")
                    else Dimension.INSTANCE_COUNT
                )
                keys.add((resource_id, dimension))
        return keys


@dataclass
class _Inventory:
    plans: list[tuple[Plan, list[tuple[str, dict[str, str]]]]]  # with the ARNs whose tags were merged
    # Resources in transition: their configuration is left as it is until they settle.
    protected_endpoints: set[str]
    protected_components: set[str]

    def is_protected(self, resource_id: str) -> bool:
        if resource_id in self.protected_components:
            return True
        parts = resource_id.split("/")
        return parts[0] == "endpoint" and len(parts) > 1 and parts[1] in self.protected_endpoints


def _inventory(deps: Dependencies) -> _Inventory:
    now = deps.clock()
    sagemaker = deps.sagemaker
    endpoints = sagemaker.list_endpoints()
    components = sagemaker.list_all_inference_components()
    tags = deps.tagging.sagemaker_tags()
    if components and not any(":inference-component/" in arn for arn in tags):
        # Either no component is tagged, or the Tagging API does not cover components: an opt-out
        # tag must never be missed, so ask SageMaker itself, one component at a time.
        for component in components:
            arn = component["InferenceComponentArn"]
            tags[arn] = sagemaker.list_tags(arn)
    by_endpoint: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for component in components:
        by_endpoint[component["EndpointName"]].append(component)

    plans: list[tuple[Plan, list[tuple[str, dict[str, str]]]]] = []
    protected_endpoints: set[str] = set()
    protected_components: set[str] = set()
    configs: dict[str, dict[str, Any] | None] = {}
    for summary in endpoints:
        name, status, arn = summary["EndpointName"], summary["EndpointStatus"], summary["EndpointArn"]
        if status in RELEASE_ENDPOINT:
            continue
        described = None
        if status == "InService":
            described = sagemaker.describe_endpoint_cached(name, summary.get("LastModifiedTime"))
        if described is None or described.get("EndpointStatus") != "InService":
            protected_endpoints.add(name)
            continue
        config = sagemaker.describe_endpoint_config_cached(described["EndpointConfigName"])
        configs[name] = config
        endpoint_tags = tags.get(arn, {})
        for resource in endpoint_variants(described, config, by_endpoint.get(name, []), endpoint_tags):
            plans.append((plan_resource(resource, deps.settings, now), [(arn, endpoint_tags)]))

    for component in components:
        name, status = component["InferenceComponentName"], component["InferenceComponentStatus"]
        if status in RELEASE_COMPONENT:
            continue
        if status != "InService" or component["EndpointName"] not in configs:
            protected_components.add(component_resource_id(name))
            continue
        endpoint_tags = tags.get(component["EndpointArn"], {})
        own_tags = tags.get(component["InferenceComponentArn"], {})
        resource = inference_component(
            component, configs[component["EndpointName"]], merge_tags(endpoint_tags, own_tags)
        )
        holders = [(component["InferenceComponentArn"], own_tags), (component["EndpointArn"], endpoint_tags)]
        plans.append((plan_resource(resource, deps.settings, now), holders))
    return _Inventory(plans, protected_endpoints, protected_components)


def reconcile_account(
    deps: Dependencies,
    remaining_ms: Callable[[], int] | None = None,
    reserve_ms: int = DEFAULT_RESERVE_MS,
) -> RunSummary:
    inventory = _inventory(deps)
    snapshot = ScalingSnapshot(deps)
    summary = RunSummary(resources_seen=len(inventory.plans))

    work: list[tuple[str, bool, Callable[[], int]]] = []  # (resource id, is orphan, thunk)
    live: set[Key] = set()
    for plan, holders in inventory.plans:
        key = (plan.resource.resource_id, plan.resource.dimension)
        live.add(key)
        work.append((key[0], False, partial(converge_with, plan, snapshot.current(key), deps)))
        if plan.expired_tags:
            work.append((key[0], False, partial(remove_expired_tags, dict(plan.expired_tags), holders, deps)))
    for key in sorted(snapshot.candidate_orphans() - live):
        if inventory.is_protected(key[0]):
            continue
        leftover = snapshot.current(key)
        work.append((key[0], True, partial(release_with, leftover, deps, "resource no longer exists")))

    for index, (resource_id, orphan, thunk) in enumerate(work):
        if remaining_ms is not None and remaining_ms() < reserve_ms:
            summary.deferred = len(work) - index
            break
        try:
            writes = thunk()
        except Exception as error:  # noqa: BLE001 - isolate per resource; the run goes on
            summary.resources_failed += 1
            deps.journal.failure(resource_id, error)
            continue
        summary.writes += writes
        if orphan and writes:
            summary.orphans_released += 1
        elif writes:
            summary.resources_changed += 1
        elif not orphan:
            summary.resources_unchanged += 1
    return summary
