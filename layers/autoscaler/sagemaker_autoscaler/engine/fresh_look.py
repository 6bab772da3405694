"""The fresh look before a write that sets a maximum: the resource's running capacity, its own tags and
its target's tags, read again. A periodic run's tags come from the Tagging API at the start of the run
and may be older than a change of max-capacity; another container may have recorded a floor since this
one read the target: the capacity guard must never act on a stale answer."""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from sagemaker_autoscaler.aws.payloads import to_current_target
from sagemaker_autoscaler.core.current_state import CurrentScaling
from sagemaker_autoscaler.core.domain import ResourceKind, ScalableResource
from sagemaker_autoscaler.core.overrides import merge_tags
from sagemaker_autoscaler.core.sagemaker_resources import component_running_copies, variant_running_capacity
from sagemaker_autoscaler.core.status import COMPONENT, ENDPOINT, Verdict, classify
from sagemaker_autoscaler.engine.dependencies import Dependencies


class Gone(Exception):
    """The resource was deleted (or is being deleted) since it was read."""


def what_sagemaker_says(resource: ScalableResource, deps: Dependencies) -> dict[str, Any] | None:
    """What SageMaker says of the resource now (the component, or the variant's summary with its
    endpoint's ARN); None when it is gone or going."""
    if resource.kind is ResourceKind.INFERENCE_COMPONENT:
        assert resource.component_name is not None
        component = deps.sagemaker.describe_inference_component(resource.component_name)
        status = component["InferenceComponentStatus"] if component else None
        return component if classify(COMPONENT, status) is not Verdict.RELEASE else None
    endpoint = deps.sagemaker.describe_endpoint(resource.endpoint_name)
    if classify(ENDPOINT, endpoint["EndpointStatus"] if endpoint else None) is Verdict.RELEASE:
        return None
    assert endpoint is not None
    for summary in endpoint.get("ProductionVariants", []):
        if summary.get("VariantName") == resource.variant_name:
            return {**summary, "EndpointArn": endpoint["EndpointArn"]}
    return None


def read_resource_again(resource: ScalableResource, deps: Dependencies) -> ScalableResource | None:
    """The resource as SageMaker has it now: its running capacity and its tags (the IC's merged with its
    endpoint's), read afresh; None when it is gone or going."""
    now = what_sagemaker_says(resource, deps)
    if now is None:
        return None
    endpoint_tags = deps.sagemaker.list_tags(str(now["EndpointArn"]))
    if resource.kind is ResourceKind.INFERENCE_COMPONENT:
        own = deps.sagemaker.list_tags(str(now["InferenceComponentArn"]))
        tags = merge_tags(endpoint_tags, own)
        return replace(resource, tags=tags, running_capacity=component_running_copies(now))
    running = variant_running_capacity(now, resource.kind)
    return replace(resource, tags=endpoint_tags, running_capacity=running)


def look_again(
    resource: ScalableResource, current: CurrentScaling, deps: Dependencies, fresh: bool
) -> tuple[ScalableResource, CurrentScaling]:
    """Before a write that sets a maximum: what the resource runs at and its own tags (unless they were
    read just now), and its target's tags (another container may have recorded a floor), all afresh.
    A periodic run's tags come from the Tagging API at the start of the run, and may be older than a
    change of max-capacity: the guard must never honour a stale request to scale in."""
    if not fresh:
        again = read_resource_again(resource, deps)
        if again is None:
            raise Gone(resource.resource_id)
        resource = again
    target = current.target
    if target is not None and target.arn and target.owned:
        raw = {
            "ResourceId": target.resource_id,
            "ScalableDimension": target.dimension,
            "MinCapacity": target.min_capacity,
            "MaxCapacity": target.max_capacity,
            "ScalableTargetARN": target.arn,
            "SuspendedState": dict(target.suspended),
        }
        tags = deps.autoscaling.target_tags(target.arn, fresh=True)
        current = replace(current, target=to_current_target(raw, tags))
    return resource, current
