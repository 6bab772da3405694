"""Builders for the resource kinds, through the real delivery path: a SageMaker resource created as a team
would create it (``local_account/resources.py``), the event SageMaker or CloudTrail would put on the bus
(``local_account/aws_events.py``), and the queue drained through the real handler (``EmulatedStack``).

``configured_endpoint`` and ``configured_component`` create a resource, deliver its event and return the
resource id the app scales; the ``*_and_deliver`` steps change a resource and deliver what SageMaker or
CloudTrail reports. ``create_endpoint`` and ``build_account`` only create (for tests that deliver several
events in one batch, or none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from local_account import aws_events, moto_gaps, resources
from local_account.stack import EmulatedStack

ENDPOINT_KINDS = ("realtime", "async", "serverless", "component-host")


def variant_id(endpoint: str, variant: str = "AllTraffic") -> str:
    return f"endpoint/{endpoint}/variant/{variant}"


def component_id(name: str) -> str:
    return f"inference-component/{name}"


def create_endpoint(
    sagemaker: Any,
    name: str,
    *,
    kind: str = "realtime",
    tags: Mapping[str, str] | None = None,
    variants: tuple[str, ...] = ("AllTraffic",),
    provisioned_concurrency: int | None = 2,
) -> str:
    """An endpoint of one of the ``ENDPOINT_KINDS`` (no event delivered); returns its ARN.

    ``variants`` names a real-time endpoint's variants; ``provisioned_concurrency`` is a serverless one's
    (``None``: on demand only). A component host has managed instance scaling down to zero instances."""
    tag_values = dict(tags) if tags is not None else None
    if kind == "realtime":
        return resources.create_realtime_endpoint(sagemaker, name, tags=tag_values, variants=variants)
    if kind == "async":
        return resources.create_async_endpoint(sagemaker, name, tags=tag_values)
    if kind == "serverless":
        return resources.create_serverless_endpoint(
            sagemaker, name, provisioned_concurrency=provisioned_concurrency, tags=tag_values
        )
    if kind == "component-host":
        return resources.create_component_endpoint(sagemaker, name, tags=tag_values)
    raise ValueError(f"unknown endpoint kind {kind!r}: one of {ENDPOINT_KINDS}")


def configured_endpoint(
    stack: EmulatedStack,
    sagemaker: Any,
    name: str,
    *,
    kind: str = "realtime",
    tags: Mapping[str, str] | None = None,
    variants: tuple[str, ...] = ("AllTraffic",),
) -> str:
    """An endpoint (``create_endpoint``) whose IN_SERVICE event SageMaker reported and the app handled;
    returns the resource id of its first variant."""
    create_endpoint(sagemaker, name, kind=kind, tags=tags, variants=variants)
    stack.publish(aws_events.endpoint_state_change(name, "IN_SERVICE"))
    stack.drain()
    return variant_id(name, variants[0])


def configured_component(
    stack: EmulatedStack,
    sagemaker: Any,
    name: str,
    *,
    tags: Mapping[str, str] | None = None,
    endpoint: str = "llm-shared",
    endpoint_tags: Mapping[str, str] | None = None,
) -> str:
    """An inference component whose CreateInferenceComponent call CloudTrail reported and the app handled;
    returns its resource id. Its host ``endpoint`` (a component host, with ``endpoint_tags``) is created
    first unless it exists."""
    if endpoint not in {e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]}:
        create_endpoint(sagemaker, endpoint, kind="component-host", tags=endpoint_tags)
    elif endpoint_tags is not None:
        raise ValueError(f"endpoint {endpoint} exists already: its tags are not set here")
    resources.create_inference_component(sagemaker, name, endpoint, tags=dict(tags) if tags else None)
    stack.publish(aws_events.component_call("CreateInferenceComponent", name, endpoint))
    stack.drain()
    return component_id(name)


def tag_and_deliver(stack: EmulatedStack, sagemaker: Any, arn: str, tags: Mapping[str, str]) -> None:
    """Tag a SageMaker resource, and deliver CloudTrail's AddTags call for it."""
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    stack.publish(aws_events.tags_call("AddTags", arn, dict(tags)))
    stack.drain()


def untag_and_deliver(stack: EmulatedStack, sagemaker: Any, arn: str, keys: Iterable[str]) -> None:
    """Remove tags from a SageMaker resource, and deliver CloudTrail's DeleteTags call for it."""
    keys = list(keys)
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=keys)
    stack.publish(aws_events.tags_call("DeleteTags", arn, dict.fromkeys(keys, "")))
    stack.drain()


def delete_endpoint_and_deliver(stack: EmulatedStack, sagemaker: Any, name: str) -> None:
    """Delete an endpoint, and deliver SageMaker's DELETING event for it."""
    sagemaker.delete_endpoint(EndpointName=name)
    stack.publish(aws_events.endpoint_state_change(name, "DELETING"))
    stack.drain()


def delete_component_and_deliver(
    stack: EmulatedStack, sagemaker: Any, name: str, endpoint: str | None = None
) -> None:
    """Delete an inference component, and deliver CloudTrail's DeleteInferenceComponent call for it
    (naming its ``endpoint`` if given, as the call's request may)."""
    sagemaker.delete_inference_component(InferenceComponentName=name)
    stack.publish(aws_events.component_call("DeleteInferenceComponent", name, endpoint))
    stack.drain()


def build_account(sagemaker: Any, endpoints: int, components: int) -> dict[str, list[str]]:
    """A mix with no event delivered: real-time, async and serverless endpoints, and endpoints hosting two
    components each, some opted out. Returns the resource ids that should end up configured."""
    expected: list[str] = []
    plain = endpoints - components // 2
    for index in range(plain):
        name = f"model-{index:03d}"
        create_endpoint(sagemaker, name, kind=("realtime", "async", "serverless")[index % 3])
        expected.append(variant_id(name))
    moto_gaps.set_inference_component_ready_after(0)
    for index in range(components // 2):
        host = f"llm-host-{index:03d}"
        create_endpoint(sagemaker, host, kind="component-host")
        for copy in range(2):
            name = f"{host}-c{copy}"
            opted_out = index % 10 == 0 and copy == 1
            tags = {"autoscaler:enabled": "false"} if opted_out else None
            resources.create_inference_component(sagemaker, name, host, tags=tags)
            if not opted_out:
                expected.append(component_id(name))
    return {"configured": expected}
