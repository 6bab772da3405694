"""Shared fixtures: an emulated account (in-process moto + the gap layer) with the stack wired in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local_account import moto_gaps
from local_account.stack import EmulatedStack
from sagemaker_autoscaler.telemetry.powertools import metrics
from tests.support.recording import CallRecorder, LogCapture

REGION = "eu-west-1"


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "SageMakerAutoscaler")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    # Metrics a test added outside a handler stay in Powertools' shared buffer until some handler
    # flushes them: start every test with none, so a test's EMF output is its own.
    metrics.clear_metrics()


@pytest.fixture
def aws() -> Iterator[CallRecorder]:
    moto_gaps.install()
    with mock_aws():
        boto3.setup_default_session()
        recorder = CallRecorder()
        boto3.DEFAULT_SESSION.events.register("before-call.*.*", recorder)  # type: ignore[union-attr]
        yield recorder
    moto_gaps.reset()


@pytest.fixture
def logs() -> Iterator[LogCapture]:
    capture = LogCapture()
    capture.powertools.addHandler(capture)
    yield capture
    capture.powertools.removeHandler(capture)


@pytest.fixture
def stack(aws: CallRecorder, monkeypatch: pytest.MonkeyPatch) -> EmulatedStack:
    # Components load instantly unless a test says otherwise.
    moto_gaps.set_inference_component_ready_after(0)
    for name in ("AUTOSCALER_QUEUE_URL",):
        monkeypatch.delenv(name, raising=False)
    built = EmulatedStack(REGION)
    for name, value in built.environment.items():
        monkeypatch.setenv(name, value)  # restored after the test
    built.reset_dependencies()
    aws.clear()
    return built


@pytest.fixture
def sagemaker(aws: CallRecorder) -> Any:
    return boto3.client("sagemaker", region_name=REGION)


@pytest.fixture
def autoscaling(aws: CallRecorder) -> Any:
    return boto3.client("application-autoscaling", region_name=REGION)


@pytest.fixture
def cloudwatch(aws: CallRecorder) -> Any:
    return boto3.client("cloudwatch", region_name=REGION)
