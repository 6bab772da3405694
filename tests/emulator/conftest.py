"""Fixtures for the emulator gap-layer tests: a fresh moto account with the gap layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from local_account import moto_gaps
from tests.emulator.emulator_support import REGION


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


# One boto3 session for all tests: clients share its loaded service models (much faster).
_SESSION = boto3.session.Session()


def make_client(service: str, **kwargs: Any) -> Any:
    return _SESSION.client(service, region_name=REGION, **kwargs)  # type: ignore[call-overload]


@pytest.fixture
def aws() -> Iterator[None]:
    moto_gaps.install()
    with mock_aws():
        yield
    moto_gaps.reset()


@pytest.fixture
def sagemaker(aws: None) -> Any:
    return make_client("sagemaker")


@pytest.fixture
def aas(aws: None) -> Any:
    return make_client("application-autoscaling")


@pytest.fixture
def cloudwatch(aws: None) -> Any:
    return make_client("cloudwatch")


@pytest.fixture
def raw_aas(aws: None) -> Any:
    """A client that skips botocore's client-side checks, so the server-side ones are hit."""
    return make_client("application-autoscaling", config=Config(parameter_validation=False))


@pytest.fixture
def raw_sagemaker(aws: None) -> Any:
    return make_client("sagemaker", config=Config(parameter_validation=False))


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
