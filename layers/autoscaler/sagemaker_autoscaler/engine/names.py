"""Names read from ARNs. SageMaker keeps a name's case (`LLM-Chat`) but writes its ARN in lower case, and
SageMaker's reads and Application Auto Scaling's resource ids use the real name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sagemaker_autoscaler.engine.dependencies import Dependencies


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
