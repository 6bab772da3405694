"""Pure translation of SageMaker's describe responses into the scalable resources they contain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .model import ManagedInstanceScaling, ResourceKind, ScalableResource


def managed_instance_scaling(variant: Mapping[str, Any] | None) -> ManagedInstanceScaling:
    scaling = (variant or {}).get("ManagedInstanceScaling") or {}
    return ManagedInstanceScaling(
        enabled=scaling.get("Status") == "ENABLED",
        min_instance_count=scaling.get("MinInstanceCount"),
        max_instance_count=scaling.get("MaxInstanceCount"),
    )


def endpoint_variants(
    endpoint: Mapping[str, Any],
    config: Mapping[str, Any] | None,
    components: Iterable[Mapping[str, Any]],
    tags: Mapping[str, str],
) -> list[ScalableResource]:
    """The endpoint's variants, each classified by what kind of scaling it can have.

    The endpoint config is where the variant's nature is written down (DescribeEndpoint does not say
    whether an endpoint is asynchronous), so it is read for every variant.
    """
    configured = {v["VariantName"]: v for v in (config or {}).get("ProductionVariants", [])}
    is_async = bool((config or {}).get("AsyncInferenceConfig"))
    hosting = {c.get("VariantName") for c in components}
    resources = []
    for summary in endpoint.get("ProductionVariants", []):
        name = summary["VariantName"]
        variant = configured.get(name, {})
        serverless = variant.get("ServerlessConfig") or summary.get("CurrentServerlessConfig")
        if serverless:
            resources.append(
                ScalableResource(
                    ResourceKind.SERVERLESS_VARIANT,
                    endpoint["EndpointName"],
                    name,
                    tags,
                    serverless_max_concurrency=serverless.get("MaxConcurrency"),
                    provisioned_concurrency=serverless.get("ProvisionedConcurrency"),
                )
            )
            continue
        # A variant that hosts inference components has no model of its own.
        hosts_components = name in hosting or (variant and not variant.get("ModelName"))
        if hosts_components:
            kind = ResourceKind.COMPONENT_HOST_VARIANT
        elif is_async:
            kind = ResourceKind.ASYNC_VARIANT
        else:
            kind = ResourceKind.REALTIME_VARIANT
        resources.append(ScalableResource(kind, endpoint["EndpointName"], name, tags))
    return resources


def inference_component(
    component: Mapping[str, Any],
    endpoint_config: Mapping[str, Any] | None,
    tags: Mapping[str, str],
) -> ScalableResource:
    """The component as a scalable resource; its host variant's managed instance scaling (from the
    endpoint config, where it is declared) decides whether zero copies also means zero instances."""
    host_variant = None
    for variant in (endpoint_config or {}).get("ProductionVariants", []):
        if variant.get("VariantName") == component.get("VariantName"):
            host_variant = variant
    return ScalableResource(
        ResourceKind.INFERENCE_COMPONENT,
        component["EndpointName"],
        component.get("VariantName", ""),
        tags,
        component_name=component["InferenceComponentName"],
        host_instance_scaling=managed_instance_scaling(host_variant),
    )
