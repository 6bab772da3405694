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
"""

from __future__ import annotations

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
    old_types = {
        v["VariantName"]: v.get("InstanceType")
        for v in backend.describe_endpoint_config(endpoint.endpoint_config_name)["ProductionVariants"]
    }
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
    endpoint.production_variants = endpoint._process_production_variants(new_config["ProductionVariants"])
    endpoint.last_modified_time = utcnow()
    return ActionResult({"EndpointArn": endpoint.arn})


def install() -> None:
    SageMakerResponse.update_endpoint = validated("sagemaker", "UpdateEndpoint", update_endpoint)  # type: ignore[attr-defined]
    SageMakerModelBackend.validate_production_variants = validate_production_variants  # type: ignore[method-assign]
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
