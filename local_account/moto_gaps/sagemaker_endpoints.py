"""SageMaker endpoint-config fix for moto.

WHY: moto validates ``ProductionVariants[].InstanceType`` against an old hard-coded list
that lacks current GPU types used to host inference components (``ml.g5.xlarge``,
``ml.g6...``, ``ml.p5...``) and rejects them.  The check now uses botocore's own
``ProductionVariantInstanceType`` enum, with the same error message style.
"""

from __future__ import annotations

from typing import Any

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpointConfig

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


def install() -> None:
    FakeEndpointConfig.validate_instance_type = validate_instance_type  # type: ignore[method-assign]
