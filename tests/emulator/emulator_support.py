"""Small helpers shared by the emulator tests (not fixtures)."""

from __future__ import annotations

from typing import Any

import pytest
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeScalableTarget,
    applicationautoscaling_backends,
)
from moto.sagemaker.models import sagemaker_backends

from local_account import moto_gaps
from local_account.emulated import ACCOUNT_ID, REGION
from local_account.moto_gaps.sagemaker_inference_components import store

NS = "sagemaker"
IC_DIM = "sagemaker:inference-component:DesiredCopyCount"
VARIANT_DIM = "sagemaker:variant:DesiredInstanceCount"
PC_DIM = "sagemaker:variant:DesiredProvisionedConcurrency"


def error_code(exc: pytest.ExceptionInfo[Any]) -> str:
    return str(exc.value.response["Error"]["Code"])


def error_message(exc: pytest.ExceptionInfo[Any]) -> str:
    return str(exc.value.response["Error"]["Message"])


def http_status(exc: pytest.ExceptionInfo[Any]) -> int:
    return int(exc.value.response["ResponseMetadata"]["HTTPStatusCode"])


def aas_backend() -> ApplicationAutoscalingBackend:
    return applicationautoscaling_backends[ACCOUNT_ID][REGION]


def fill_targets(count: int, dimension: str = IC_DIM, prefix: str = "filler") -> list[str]:
    """Put ``count`` scalable targets straight into moto's backend (no API calls); return their ids."""
    backend = aas_backend()
    resource_ids: list[str] = []
    for index in range(count):
        if dimension == IC_DIM:
            resource_id = f"inference-component/{prefix}-{index}"
        else:
            resource_id = f"endpoint/{prefix}-{index}/variant/AllTraffic"
        target = FakeScalableTarget(backend, NS, resource_id, dimension, 0, 1, None, None)  # type: ignore[arg-type]
        backend._add_scalable_target(target)
        resource_ids.append(resource_id)
    return resource_ids


def serverless_endpoint(sagemaker: Any, name: str = "serverless", provisioned_concurrency: int = 1) -> str:
    """An endpoint with one serverless variant ``AllTraffic`` with provisioned concurrency."""
    sagemaker.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ServerlessConfig": {
                    "MemorySizeInMB": 2048,
                    "MaxConcurrency": 20,
                    "ProvisionedConcurrency": provisioned_concurrency,
                },
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")
    return f"endpoint/{name}/variant/AllTraffic"


SERVERLESS_CONFIG = {"MemorySizeInMB": 2048, "MaxConcurrency": 20, "ProvisionedConcurrency": 1}
IC_HOST = "ic-host"


def ensure_resource(resource_id: str, dimension: str) -> None:
    """Make the SageMaker resource behind a target exist (AAS refuses targets on missing resources).

    A component goes on endpoint ``ic-host``; a variant gets its own endpoint (serverless with
    provisioned concurrency for the PC dimension).  Ids that do not fit the dimension are left alone.
    """
    backend = sagemaker_backends[ACCOUNT_ID][REGION]
    parts = resource_id.split("/")
    is_component = dimension == IC_DIM and len(parts) == 2 and parts[0] == "inference-component"
    is_variant = dimension in (VARIANT_DIM, PC_DIM) and len(parts) == 4 and parts[0] == "endpoint"
    if is_component and parts[1] not in store(backend):
        if IC_HOST not in backend.endpoints:
            moto_gaps.make_endpoint(IC_HOST, region=REGION)
        moto_gaps.make_inference_component(parts[1], IC_HOST, region=REGION)
    if is_variant and parts[1] not in backend.endpoints:
        serverless = SERVERLESS_CONFIG if dimension == PC_DIM else None
        moto_gaps.make_endpoint(parts[1], (parts[3],), serverless_config=serverless, region=REGION)
