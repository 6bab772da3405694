"""The event path: an event only names a resource. Read what SageMaker says of it now, settle it (and, for
an endpoint, what it holds), through the same runner and settle step as every other path.

Reads are the fewest a correct reconcile needs: the endpoint config is immutable (read once per
container), components are listed only where the config leaves room for them, the targets of the
resources at hand come in one request, the app's alarms under one name prefix, and all targets under the
endpoint are listed only when a variant has none yet (a new or renamed variant: the old one's may be
left). After writing, only the tags are read again: that is what another event can have moved.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sagemaker_autoscaler.core.domain import (
    Dimension,
    ResourceKind,
    ScalableResource,
    alarm_prefix_for,
    component_resource_id,
    endpoint_alarm_prefix,
)
from sagemaker_autoscaler.core.overrides import merge_tags
from sagemaker_autoscaler.core.sagemaker_resources import (
    endpoint_variants,
    inference_component,
    may_host_components,
)
from sagemaker_autoscaler.core.status import COMPONENT, ENDPOINT, Verdict, classify
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.outcome import Fingerprint, Outcome, Seen, not_configuring, outcome
from sagemaker_autoscaler.engine.runner import Runner, WorkItem
from sagemaker_autoscaler.engine.settle import release_with, remove_expired_tags, settle
from sagemaker_autoscaler.engine.state import Key, LiveState, StateReader

# --- endpoints ------------------------------------------------------------------------------------------


def _may_have_target(resource: ScalableResource) -> bool:
    if resource.kind is ResourceKind.SERVERLESS_VARIANT:
        return bool(resource.provisioned_concurrency)
    return resource.kind in (ResourceKind.REALTIME_VARIANT, ResourceKind.ASYNC_VARIANT)


def _leftovers(
    endpoint_name: str, state: LiveState, current: set[Key], scan: bool, deps: Dependencies
) -> StateReader:
    """What is left under the endpoint that is no longer one of its variants: targets of another
    dimension, the app's alarms, and, when ``scan``, every target listed under the endpoint."""
    prefix = f"endpoint/{endpoint_name}/variant/"
    targets = deps.autoscaling.describe_targets() if scan else list(state.targets.values())
    left = [
        t
        for t in targets
        if t["ResourceId"].startswith(prefix)
        and (t["ResourceId"], Dimension(t["ScalableDimension"])) not in current
    ]
    alarms = [a for rid, found in state.alarms.items() if rid.startswith(prefix) for a in found]
    return StateReader(deps, left, alarms)


def _leftover_keys(reader: StateReader, current: set[Key]) -> list[Key]:
    keys = set(reader.targets)
    for resource_id in reader.alarms:
        if not any(key[0] == resource_id for key in keys | current):
            keys.add((resource_id, Dimension.INSTANCE_COUNT))
    return sorted(keys - current)


def release_endpoint(endpoint_name: str, deps: Dependencies, reason: str) -> Outcome:
    prefix = f"endpoint/{endpoint_name}/variant/"
    targets = [t for t in deps.autoscaling.describe_targets() if t["ResourceId"].startswith(prefix)]
    reader = StateReader(deps, targets, deps.cloudwatch.describe_alarms(endpoint_alarm_prefix(endpoint_name)))
    items = [
        WorkItem(key[0], partial(_release, reader, key, deps, reason))
        for key in _leftover_keys(reader, set())
    ]
    return outcome(Runner(deps).run(items), f"released: {reason}")


def _release(reader: StateReader, key: Key, deps: Dependencies, reason: str) -> int:
    return release_with(reader.current(key), deps, reason)


def reconcile_endpoint(endpoint_name: str, deps: Dependencies) -> Outcome:
    endpoint = deps.sagemaker.describe_endpoint(endpoint_name)
    status = endpoint["EndpointStatus"] if endpoint else None
    verdict = classify(ENDPOINT, status)
    if verdict is not Verdict.CONFIGURE:
        seen = Seen("endpoint", f"endpoint/{endpoint_name}", status)
        return not_configuring(verdict, seen, partial(release_endpoint, endpoint_name, deps), deps)
    assert endpoint is not None
    config = deps.sagemaker.describe_endpoint_config_cached(endpoint["EndpointConfigName"])
    hosted = deps.sagemaker.list_inference_components(endpoint_name) if may_host_components(config) else []
    arn = str(endpoint["EndpointArn"])
    tags = deps.sagemaker.list_tags(arn)
    variants = endpoint_variants(endpoint, config, hosted, tags)
    components = [c for c in hosted if c.get("InferenceComponentStatus") == "InService"]
    keys = {(v.resource_id, v.dimension) for v in variants}
    component_keys = {
        (component_resource_id(c["InferenceComponentName"]), Dimension.COPY_COUNT) for c in components
    }
    prefixes = [endpoint_alarm_prefix(endpoint_name)] + [alarm_prefix_for(rid) for rid, _ in component_keys]
    state = LiveState(deps, keys | component_keys, prefixes)
    expired: dict[str, str] = {}  # the endpoint's expired keep-on-until tags, as its variants' plans say
    items = [WorkItem(v.resource_id, partial(_settle_variant, v, state, deps, expired)) for v in variants]
    scan = any(_may_have_target(v) and (v.resource_id, v.dimension) not in state.targets for v in variants)
    left = _leftovers(endpoint_name, state, keys, scan, deps)
    reason = "variant no longer exists"
    items += [
        WorkItem(key[0], partial(_release, left, key, deps, reason)) for key in _leftover_keys(left, keys)
    ]
    # Components inherit the endpoint's tags: a tag change on the endpoint is theirs too.
    items += [
        WorkItem(
            component_resource_id(c["InferenceComponentName"]),
            partial(_settle_hosted, c, endpoint, config, tags, state, deps),
        )
        for c in components
    ]
    # Last, once the variants have been planned: their expired tags are the endpoint's, removed once.
    items.append(
        WorkItem(f"endpoint/{endpoint_name}", partial(remove_expired_tags, expired, [(arn, tags)], deps))
    )
    summary = Runner(deps).run(items)
    return outcome(summary, f"reconciled {len(variants)} variant(s)", Fingerprint(((arn, tags),)))


def _settle_variant(
    resource: ScalableResource, state: LiveState, deps: Dependencies, expired: dict[str, str]
) -> int:
    current = state.current((resource.resource_id, resource.dimension))
    # Just read, with its running capacity: no second look at SageMaker before a write.
    writes, plan = settle(resource, current, deps, fresh=resource.running_capacity is not None)
    expired.update(plan.expired_tags)
    return writes


def _settle_hosted(
    component: dict[str, Any],
    endpoint: dict[str, Any],
    config: dict[str, Any] | None,
    endpoint_tags: dict[str, str],
    state: StateReader,
    deps: Dependencies,
) -> int:
    """A hosted component, from the listing's summary (no copy count: read again before a write that
    sets a maximum). The endpoint's own expired tags are removed once, by the endpoint's last item."""
    own = deps.sagemaker.list_tags(str(component["InferenceComponentArn"]))
    resource = inference_component(component, config, merge_tags(endpoint_tags, own), endpoint)
    writes, plan = settle(resource, state.current((resource.resource_id, resource.dimension)), deps)
    holders = [(str(component["InferenceComponentArn"]), own)]
    return writes + remove_expired_tags(dict(plan.expired_tags), holders, deps)


# --- inference components --------------------------------------------------------------------------------


def _release_component(component_name: str, deps: Dependencies, reason: str) -> Outcome:
    key = (component_resource_id(component_name), Dimension.COPY_COUNT)
    state = LiveState(deps, [key], [alarm_prefix_for(key[0])])
    items = [WorkItem(key[0], partial(_release, state, key, deps, reason))]
    return outcome(Runner(deps).run(items), f"released: {reason}")


def reconcile_inference_component(component_name: str, deps: Dependencies) -> Outcome:
    component = deps.sagemaker.describe_inference_component(component_name)
    status = component["InferenceComponentStatus"] if component else None
    verdict = classify(COMPONENT, status)
    if verdict is not Verdict.CONFIGURE:
        seen = Seen("inference component", component_resource_id(component_name), status)
        return not_configuring(verdict, seen, partial(_release_component, component_name, deps), deps)
    assert component is not None
    # The endpoint's summary says how the host variant's instances follow the copies.
    endpoint = deps.sagemaker.describe_endpoint(component["EndpointName"])
    endpoint_arn, own_arn = str(component["EndpointArn"]), str(component["InferenceComponentArn"])
    endpoint_tags = deps.sagemaker.list_tags(endpoint_arn)
    own = deps.sagemaker.list_tags(own_arn)
    resource = inference_component(component, None, merge_tags(endpoint_tags, own), endpoint)
    key = (resource.resource_id, resource.dimension)
    state = LiveState(deps, [key], [alarm_prefix_for(resource.resource_id)])
    holders = [(own_arn, own), (endpoint_arn, endpoint_tags)]
    items = [WorkItem(resource.resource_id, partial(_settle_component, resource, state, holders, deps))]
    fingerprint = Fingerprint(((own_arn, own), (endpoint_arn, endpoint_tags)))
    return outcome(Runner(deps).run(items), "reconciled inference component", fingerprint)


def _settle_component(
    resource: ScalableResource,
    state: LiveState,
    holders: list[tuple[str, dict[str, str]]],
    deps: Dependencies,
) -> int:
    # DescribeInferenceComponent and its tags were read just now, copy count included.
    writes, plan = settle(
        resource, state.current((resource.resource_id, resource.dimension)), deps, fresh=True
    )
    return writes + remove_expired_tags(dict(plan.expired_tags), holders, deps)
