"""Fixtures for the emulator gap-layer tests, on the shared emulated account (``tests/conftest.py``:
``aws``, ``sagemaker``, ``cloudwatch``)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

from local_account.emulated import REGION
from tests.support.recording import CallRecorder


@pytest.fixture
def aas(autoscaling: Any) -> Any:
    """The Application Auto Scaling client (``autoscaling``), under the short name these tests use."""
    return autoscaling


def _unvalidated(service: str) -> Any:
    return boto3.client(service, region_name=REGION, config=Config(parameter_validation=False))  # type: ignore[call-overload]


@pytest.fixture
def raw_aas(aws: CallRecorder) -> Any:
    """A client that skips botocore's client-side checks, so the server-side ones are hit."""
    return _unvalidated("application-autoscaling")


@pytest.fixture
def raw_sagemaker(aws: CallRecorder) -> Any:
    return _unvalidated("sagemaker")


@pytest.fixture
def endpoint(sagemaker: Any) -> str:
    """An InService endpoint ``llm`` with one GPU variant ``AllTraffic`` created through the API."""
    sagemaker.create_endpoint_config(
        EndpointConfigName="llm-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "InstanceType": "ml.g5.xlarge",
                "InitialInstanceCount": 1,
                "ManagedInstanceScaling": {"Status": "ENABLED", "MinInstanceCount": 0, "MaxInstanceCount": 2},
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName="llm", EndpointConfigName="llm-config")
    return "llm"
