"""Pure translation of SageMaker's describe responses into the scalable resources they contain."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sagemaker_autoscaler.core.domain import ManagedInstanceScaling, ResourceKind, ScalableResource


def managed_instance_scaling(variant: Mapping[str, Any] | None) -> ManagedInstanceScaling:
    scaling = (variant or {}).get("ManagedInstanceScaling") or {}
    return ManagedInstanceScaling(
        enabled=scaling.get("Status") == "ENABLED",
        min_instance_count=scaling.get("MinInstanceCount"),
        max_instance_count=scaling.get("MaxInstanceCount"),
    )


def _largest(*values: object) -> int | None:
    """The largest of the counts SageMaker reported (current and desired), None when it gave none."""
    counts = [
        int(value) for value in values if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    return max(counts) if counts else None


def variant_running_capacity(summary: Mapping[str, Any], kind: ResourceKind) -> int | None:
    """What a variant runs at now, from DescribeEndpoint: instances, or provisioned concurrency.

    Current and desired can differ while a scaling activity is under way; the larger one is what a
    lower maximum would take away."""
    if kind is ResourceKind.SERVERLESS_VARIANT:
        current = summary.get("CurrentServerlessConfig") or {}
        desired = summary.get("DesiredServerlessConfig") or {}
        return _largest(current.get("ProvisionedConcurrency"), desired.get("ProvisionedConcurrency"))
    return _largest(summary.get("CurrentInstanceCount"), summary.get("DesiredInstanceCount"))


def component_running_copies(component: Mapping[str, Any]) -> int | None:
    """Copies an inference component runs now, from DescribeInferenceComponent (list summaries lack it)."""
    runtime = component.get("RuntimeConfig") or {}
    return _largest(runtime.get("CurrentCopyCount"), runtime.get("DesiredCopyCount"))


def is_async_endpoint(endpoint: Mapping[str, Any], config: Mapping[str, Any] | None) -> bool:
    """DescribeEndpoint says so for async endpoints; the config is read only as a fallback, since it
    may have been deleted while its endpoint stays in service."""
    return bool(endpoint.get("AsyncInferenceConfig") or (config or {}).get("AsyncInferenceConfig"))


def may_host_components(config: Mapping[str, Any] | None) -> bool:
    """Whether the endpoint can host inference components: a variant that hosts them has no model of its
    own. Without the config (it may be deleted) that cannot be told, so the answer is yes."""
    if config is None:
        return True
    return any(
        not variant.get("ModelName") and not variant.get("ServerlessConfig")
        for variant in config.get("ProductionVariants", [])
    )


def _variant_kind(
    summary: Mapping[str, Any], variant: Mapping[str, Any], hosting: set[str], is_async: bool
) -> ResourceKind:
    if variant.get("ServerlessConfig") or summary.get("CurrentServerlessConfig"):
        return ResourceKind.SERVERLESS_VARIANT
    # A variant that hosts inference components has no model of its own (its config says so, when it
    # still exists), and the components listed on the endpoint name it.
    if summary["VariantName"] in hosting or (variant and not variant.get("ModelName")):
        return ResourceKind.COMPONENT_HOST_VARIANT
    return ResourceKind.ASYNC_VARIANT if is_async else ResourceKind.REALTIME_VARIANT


def endpoint_variants(
    endpoint: Mapping[str, Any],
    config: Mapping[str, Any] | None,
    components: Iterable[Mapping[str, Any]],
    tags: Mapping[str, str],
) -> list[ScalableResource]:
    """The endpoint's variants, each classified by what kind of scaling it can have, with the capacity
    it runs at now."""
    configured = {v["VariantName"]: v for v in (config or {}).get("ProductionVariants", [])}
    is_async = is_async_endpoint(endpoint, config)
    hosting = {str(c.get("VariantName")) for c in components}
    resources = []
    for summary in endpoint.get("ProductionVariants", []):
        name = summary["VariantName"]
        variant = configured.get(name, {})
        kind = _variant_kind(summary, variant, hosting, is_async)
        serverless = variant.get("ServerlessConfig") or summary.get("CurrentServerlessConfig") or {}
        resources.append(
            ScalableResource(
                kind,
                endpoint["EndpointName"],
                name,
                tags,
                serverless_max_concurrency=serverless.get("MaxConcurrency"),
                provisioned_concurrency=serverless.get("ProvisionedConcurrency"),
                running_capacity=variant_running_capacity(summary, kind),
            )
        )
    return resources


def inference_component(
    component: Mapping[str, Any],
    endpoint_config: Mapping[str, Any] | None,
    tags: Mapping[str, str],
    endpoint: Mapping[str, Any] | None = None,
) -> ScalableResource:
    """The component as a scalable resource; its host variant's managed instance scaling (from the
    endpoint config, else from DescribeEndpoint's summary of the variant) decides whether zero copies
    also means zero instances."""
    variant_name = component.get("VariantName")
    host_variant = None
    for source in (
        (endpoint_config or {}).get("ProductionVariants", []),
        (endpoint or {}).get("ProductionVariants", []),
    ):
        host_variant = host_variant or next((v for v in source if v.get("VariantName") == variant_name), None)
    return ScalableResource(
        ResourceKind.INFERENCE_COMPONENT,
        component["EndpointName"],
        component.get("VariantName", ""),
        tags,
        component_name=component["InferenceComponentName"],
        host_instance_scaling=managed_instance_scaling(host_variant),
        running_capacity=component_running_copies(component),
    )
