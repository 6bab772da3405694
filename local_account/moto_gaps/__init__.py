"""The one place where this project closes moto's gaps.

Call :func:`install` once per process (it is idempotent, and may run before or after
``moto.mock_aws()`` starts).  It patches moto's classes, so in-process ``mock_aws`` and a
``moto.server.ThreadedMotoServer`` started in the same process both get:

* SageMaker inference components (Create/Describe/List/Update/Delete,
  UpdateInferenceComponentRuntimeConfig, tags on their ARNs) with a clock-driven
  ``Creating`` -> ``InService`` transition (:mod:`.sagemaker_inference_components`);
* lower-case SageMaker ARNs with case-preserved names, unique case-insensitively, looked up by
  exact case (:mod:`.sagemaker_names`);
* current instance types in endpoint configs, UpdateEndpoint, ``AsyncInferenceConfig`` in
  DescribeEndpoint (kept when the endpoint config is deleted), variant capacities
  (:mod:`.sagemaker_endpoints`);
* Application Auto Scaling fixes: deregister cascade, exact filters, tags (only on creation through
  RegisterScalableTarget), scheduled-action updates that clear omitted start/end times
  (:mod:`.application_autoscaling`);
* Application Auto Scaling limits AWS documents only in prose: page sizes, the provisioned-concurrency
  floor of 1, quotas of 500 scalable targets per resource type, 50 policies and 200 scheduled actions
  per target (:mod:`.application_autoscaling_limits`; :func:`set_scalable_target_quota` lowers the
  first);
* Application Auto Scaling that needs the SageMaker resource to exist and moves a capacity outside
  a newly registered min..max into it at once (:mod:`.sagemaker_capacity`);
* CloudWatch alarm fixes (:mod:`.cloudwatch`);
* inference components in the Resource Groups Tagging API's GetResources (:mod:`.resource_tagging`);
* disabled EventBridge rules deliver nothing, and PutEvents refuses requests of 256 KB or more
  (:mod:`.eventbridge`);
* request validation against botocore's service models for every SageMaker
  inference-component operation and every Application Auto Scaling operation
  (:mod:`.model_validation`).

Where AWS's behaviour is not documented, the emulator takes the stricter, less helpful reading, and
the module docstring says so.

Test helpers below create or change state directly in moto's backends, without API calls:
:func:`make_endpoint`, :func:`make_inference_component`, :func:`set_inference_component_status`,
:func:`set_variant_capacity` / :func:`get_variant_capacity` (instances, or provisioned concurrency of
a serverless variant) and :func:`set_inference_component_copies` /
:func:`get_inference_component_copies`.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend, sagemaker_backends

from ..emulated import ACCOUNT_ID, REGION
from . import (
    application_autoscaling,
    application_autoscaling_limits,
    cloudwatch,
    eventbridge,
    resource_tagging,
    sagemaker_capacity,
    sagemaker_endpoints,
    sagemaker_inference_components,
    sagemaker_names,
)
from .application_autoscaling_limits import (
    DEFAULT_SCALABLE_TARGET_QUOTA,
    get_scalable_target_quota,
    set_scalable_target_quota,
)
from .sagemaker_inference_components import (
    DEFAULT_READY_AFTER_SECONDS,
    get_inference_component_ready_after,
    set_inference_component_ready_after,
)

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_READY_AFTER_SECONDS",
    "DEFAULT_REGION",
    "DEFAULT_SCALABLE_TARGET_QUOTA",
    "get_inference_component_copies",
    "get_inference_component_ready_after",
    "get_scalable_target_quota",
    "get_variant_capacity",
    "install",
    "is_installed",
    "make_endpoint",
    "make_inference_component",
    "reset",
    "set_inference_component_copies",
    "set_inference_component_ready_after",
    "set_inference_component_status",
    "set_scalable_target_quota",
    "set_variant_capacity",
]

# The emulated account (``local_account/emulated.py``), under the names these helpers have always used.
DEFAULT_ACCOUNT_ID = ACCOUNT_ID
DEFAULT_REGION = REGION

_lock = threading.Lock()
_state = {"installed": False}


def install() -> None:
    """Patch moto in this process (idempotent)."""
    with _lock:
        sagemaker_names.install()
        sagemaker_inference_components.install()
        sagemaker_endpoints.install()
        application_autoscaling.install()
        cloudwatch.install()
        resource_tagging.install()
        eventbridge.install()
        _state["installed"] = True


def is_installed() -> bool:
    return _state["installed"]


def reset() -> None:
    """Restore the gap layer's settings (moto's own reset clears the stored resources)."""
    sagemaker_inference_components.reset_settings()
    application_autoscaling_limits.reset_settings()


def _sagemaker(account_id: str, region: str) -> SageMakerModelBackend:
    return sagemaker_backends[account_id][region]


def set_inference_component_status(
    name: str,
    status: str,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
    failure_reason: str | None = None,
) -> None:
    """Force the status of an existing component (stops its automatic transition).

    ``InService`` also sets CurrentCopyCount to DesiredCopyCount; ``Failed`` records
    ``failure_reason``.  Raises ``KeyError`` if the component does not exist.
    """
    components = sagemaker_inference_components.store(_sagemaker(account_id, region))
    if name not in components:
        raise KeyError(f"no inference component {name!r} in {account_id}/{region}")
    sagemaker_inference_components.force_status(components[name], status, failure_reason)


def _variant_spec(
    name: str,
    instance_type: str,
    instance_count: int,
    managed_instance_scaling: dict[str, Any] | None,
    serverless_config: dict[str, Any] | None,
) -> dict[str, Any]:
    if serverless_config is not None:
        return {"VariantName": name, "ServerlessConfig": dict(serverless_config)}
    spec: dict[str, Any] = {
        "VariantName": name,
        "InstanceType": instance_type,
        "InitialInstanceCount": instance_count,
    }
    if managed_instance_scaling is not None:
        spec["ManagedInstanceScaling"] = managed_instance_scaling
    return spec


def make_endpoint(
    endpoint_name: str,
    variant_names: tuple[str, ...] = ("AllTraffic",),
    *,
    instance_type: str = "ml.g5.xlarge",
    instance_count: int = 1,
    managed_instance_scaling: dict[str, Any] | None = None,
    serverless_config: dict[str, Any] | None = None,
    async_inference_config: dict[str, Any] | None = None,
    tags: list[dict[str, str]] | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> str:
    """Make an ``InService`` endpoint (and its config ``<endpoint_name>-config``) appear; return its ARN.

    The variants are instance-based (``instance_count`` instances each) and need no model, as for
    inference-component hosting; with ``serverless_config`` (e.g. ``{"MemorySizeInMB": 2048,
    "MaxConcurrency": 20, "ProvisionedConcurrency": 1}``) they are serverless instead.
    ``async_inference_config`` makes it an asynchronous endpoint.
    """
    backend = _sagemaker(account_id, region)
    variants = [
        _variant_spec(variant, instance_type, instance_count, managed_instance_scaling, serverless_config)
        for variant in variant_names
    ]
    config_name = f"{endpoint_name}-config"
    backend.create_endpoint_config(
        endpoint_config_name=config_name,
        production_variants=variants,
        data_capture_config={},
        tags=[],
        kms_key_id=None,  # type: ignore[arg-type]
        async_inference_config=async_inference_config or {},
    )
    endpoint: FakeEndpoint = backend.create_endpoint(endpoint_name, config_name, tags or [])
    return str(endpoint.arn)


def make_inference_component(
    name: str,
    endpoint_name: str,
    variant_name: str | None = "AllTraffic",
    *,
    copy_count: int = 1,
    status: str = "InService",
    specification: dict[str, Any] | None = None,
    tags: list[dict[str, str]] | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> str:
    """Make a component appear on an existing endpoint with a fixed ``status``; return its ARN."""
    component = sagemaker_inference_components.create_component(
        _sagemaker(account_id, region),
        name=name,
        endpoint_name=endpoint_name,
        variant_name=variant_name,
        specification=specification or {"ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
        copy_count=copy_count,
        tags=tags or [],
        status=status,
    )
    return component.arn


def set_variant_capacity(
    endpoint_name: str,
    variant_name: str,
    count: int,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> None:
    """Make a variant run ``count`` instances (or, if serverless, have ``count`` provisioned concurrency).

    Current and desired capacity both become ``count`` at once; ``LastModifiedTime`` does not move
    (this sets up a situation, it is not a scaling activity).  ``KeyError`` if the endpoint or variant
    does not exist, ``ValueError`` if the variant has neither capacity (on-demand serverless).
    """
    sagemaker_capacity.set_variant_capacity(account_id, region, endpoint_name, variant_name, count)


def get_variant_capacity(
    endpoint_name: str,
    variant_name: str,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
) -> int:
    """The desired instance count (or provisioned concurrency) of a variant."""
    return sagemaker_capacity.variant_capacity(account_id, region, endpoint_name, variant_name)


def set_inference_component_copies(
    name: str, count: int, *, account_id: str = DEFAULT_ACCOUNT_ID, region: str = DEFAULT_REGION
) -> None:
    """Make a component's desired and current copy count ``count`` (``KeyError`` if it does not exist)."""
    sagemaker_capacity.set_component_copies(account_id, region, name, count)


def get_inference_component_copies(
    name: str, *, account_id: str = DEFAULT_ACCOUNT_ID, region: str = DEFAULT_REGION
) -> int:
    """A component's desired copy count."""
    return sagemaker_capacity.component_copies(account_id, region, name)
