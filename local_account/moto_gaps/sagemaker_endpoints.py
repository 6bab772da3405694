"""SageMaker endpoint and endpoint-config fixes for moto.

WHY (1): an endpoint that hosts inference components has variants *without* a
``ModelName`` (the models belong to the components).  moto's
``validate_production_variants`` indexes ``["ModelName"]`` and crashes with HTTP 500; the
model must only be checked when it is given.

WHY (2): moto validates ``ProductionVariants[].InstanceType`` against an old hard-coded list
that lacks current GPU types used to host inference components (``ml.g5.xlarge``,
``ml.g6...``, ``ml.p5...``) and rejects them.  The check now uses botocore's own
``ProductionVariantInstanceType`` enum, with the same error message style.

WHY (3): moto does not implement ``UpdateEndpoint`` at all, and an endpoint moving to a new config
(renamed variants, blue/green) is exactly what the app must follow. Here the update completes at once
(as moto's CreateEndpoint does) and, like SageMaker, refuses to change the instance type of a variant
that is registered with Application Auto Scaling.

WHY (4): ``DescribeEndpoint`` answers ``AsyncInferenceConfig`` for an asynchronous endpoint; moto
omits it.  An endpoint config may be deleted while its endpoint is in service (``DeleteEndpointConfig``
does not check), and the endpoint goes on answering as before, so everything ``DescribeEndpoint`` and
``UpdateEndpoint`` need from the config (the async config, each variant's instance type) is copied
onto the endpoint when it is created or updated; nothing reads the config afterwards.

WHY (5): ``ProductionVariants[]`` of ``DescribeEndpoint`` carry the variant's capacity, which
Application Auto Scaling moves (:mod:`.sagemaker_capacity`): ``CurrentInstanceCount`` and
``DesiredInstanceCount`` for an instance-based variant (moto drops them when the initial count is 0),
``CurrentServerlessConfig``/``DesiredServerlessConfig`` for a serverless one (moto shared one dict
between them and the endpoint config, so changing one changed all three), and ``ManagedInstanceScaling``
as configured.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, FakeEndpointConfig, SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from .model_validation import enum_values
from .request_validation import request_params, validated
from .sagemaker_names import sagemaker_arn


def _valid_instance_types() -> list[str]:
    return enum_values("sagemaker", "ProductionVariantInstanceType")


def validate_instance_type(self: Any, instance_type: str) -> None:
    valid = _valid_instance_types()
    if instance_type not in valid:
        raise ValidationError(
            message=f"Value '{instance_type}' at 'instanceType' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(valid)}]"
        )


def validate_production_variants(
    self: SageMakerModelBackend, production_variants: list[dict[str, Any]]
) -> None:
    for variant in production_variants:
        model_name = variant.get("ModelName")
        if model_name is not None and model_name not in self._models:
            arn = sagemaker_arn("model", model_name, self.account_id, self.region_name)
            raise ValidationError(message=f"Could not find model '{arn}'.")


def variant_summaries(production_variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``ProductionVariantSummary`` of each configured variant, as SageMaker starts them."""
    return [_variant_summary(variant) for variant in production_variants]


def _variant_summary(variant: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {"VariantName": variant["VariantName"]}
    if variant.get("InitialInstanceCount") is not None:
        summary["CurrentInstanceCount"] = summary["DesiredInstanceCount"] = variant["InitialInstanceCount"]
    if variant.get("InitialVariantWeight") is not None:
        summary["CurrentWeight"] = summary["DesiredWeight"] = variant["InitialVariantWeight"]
    if variant.get("ServerlessConfig"):
        summary["CurrentServerlessConfig"] = dict(variant["ServerlessConfig"])
        summary["DesiredServerlessConfig"] = dict(variant["ServerlessConfig"])
    if variant.get("ManagedInstanceScaling"):
        summary["ManagedInstanceScaling"] = dict(variant["ManagedInstanceScaling"])
    return summary


def _process_production_variants(
    self: FakeEndpoint, production_variants: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    return variant_summaries(production_variants)


def _take_from_config(endpoint: FakeEndpoint, config: dict[str, Any]) -> None:
    """Copy onto the endpoint what it answers from its config (the config may be deleted later)."""
    endpoint.async_inference_config = copy.deepcopy(config.get("AsyncInferenceConfig")) or None  # type: ignore[attr-defined]
    endpoint.__dict__["_gap_instance_types"] = {
        v["VariantName"]: v.get("InstanceType") for v in config["ProductionVariants"]
    }


def instance_types(endpoint: FakeEndpoint) -> dict[str, str | None]:
    found: dict[str, str | None] = endpoint.__dict__.get("_gap_instance_types", {})
    return found


def _keeping_config(original: Callable[..., FakeEndpoint]) -> Callable[..., FakeEndpoint]:
    """Wrap ``SageMakerModelBackend.create_endpoint``: the endpoint keeps what it needs of its config."""

    @functools.wraps(original)
    def create_endpoint(self: SageMakerModelBackend, *args: Any, **kwargs: Any) -> FakeEndpoint:
        endpoint = original(self, *args, **kwargs)
        _take_from_config(endpoint, self.describe_endpoint_config(endpoint.endpoint_config_name))
        return endpoint

    create_endpoint.__gap_keeps_config__ = True  # type: ignore[attr-defined]
    return create_endpoint


def _registered_variants(account_id: str, region: str, endpoint_name: str) -> set[str]:
    backend = applicationautoscaling_backends[account_id][region]
    prefix = f"endpoint/{endpoint_name}/variant/"
    return {
        resource_id.removeprefix(prefix)
        for targets in backend.targets.values()
        for resource_id in targets
        if resource_id.startswith(prefix)
    }


def update_endpoint(self: Any) -> ActionResult:
    params = request_params(self)
    backend: SageMakerModelBackend = sagemaker_backends[self.current_account][self.region]
    name, config_name = params["EndpointName"], params["EndpointConfigName"]
    endpoint: FakeEndpoint | None = backend.endpoints.get(name)
    if endpoint is None:
        arn = FakeEndpoint.arn_formatter(name, self.current_account, self.region)
        raise ValidationError(message=f"Could not find endpoint '{arn}'.")
    if endpoint.endpoint_status != "InService":
        raise ValidationError(message=f"Cannot update in-progress endpoint '{endpoint.arn}'.")
    try:
        new_config = backend.describe_endpoint_config(config_name)
    except KeyError:
        arn = FakeEndpointConfig.arn_formatter(config_name, self.current_account, self.region)
        raise ValidationError(message=f"Could not find endpoint configuration '{arn}'.") from None
    old_types = instance_types(endpoint)  # the old config may have been deleted
    changed = {
        v["VariantName"]
        for v in new_config["ProductionVariants"]
        if v["VariantName"] in old_types and old_types[v["VariantName"]] != v.get("InstanceType")
    }
    blocked = sorted(changed & _registered_variants(self.current_account, self.region, name))
    if blocked:
        raise ValidationError(
            message=f'The variant(s) "{blocked}" must be deregistered as scalable targets with AWS '
            "Application Auto Scaling before their instance type can be updated."
        )
    endpoint.endpoint_config_name = config_name
    endpoint.production_variants = variant_summaries(new_config["ProductionVariants"])
    _take_from_config(endpoint, new_config)
    endpoint.last_modified_time = utcnow()
    return ActionResult({"EndpointArn": endpoint.arn})


def install() -> None:
    SageMakerResponse.update_endpoint = validated("sagemaker", "UpdateEndpoint", update_endpoint)  # type: ignore[attr-defined]
    SageMakerModelBackend.validate_production_variants = validate_production_variants  # type: ignore[method-assign]
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
    FakeEndpoint._process_production_variants = _process_production_variants  # type: ignore[method-assign]
    if not getattr(SageMakerModelBackend.create_endpoint, "__gap_keeps_config__", False):
        SageMakerModelBackend.create_endpoint = _keeping_config(SageMakerModelBackend.create_endpoint)  # type: ignore[method-assign]
