"""SageMaker endpoint-config fixes for moto.

WHY (1): an endpoint that hosts inference components has variants *without* a
``ModelName`` (the models belong to the components).  moto's
``validate_production_variants`` indexes ``["ModelName"]`` and crashes with HTTP 500; the
model must only be checked when it is given.

WHY (2): moto validates ``ProductionVariants[].InstanceType`` against an old hard-coded list
that lacks current GPU types used to host inference components (``ml.g5.xlarge``,
``ml.g6...``, ``ml.p5...``) and rejects them.  The check now uses botocore's own
``ProductionVariantInstanceType`` enum, with the same error message style.
"""

from __future__ import annotations

from typing import Any

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpointConfig, SageMakerModelBackend

from .model_validation import enum_values


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
            arn = f"arn:aws:sagemaker:{self.region_name}:{self.account_id}:model/{model_name}"
            raise ValidationError(message=f"Could not find model '{arn}'.")


def install() -> None:
    SageMakerModelBackend.validate_production_variants = validate_production_variants  # type: ignore[method-assign]
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
