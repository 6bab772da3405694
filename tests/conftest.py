"""The fixtures of every test folder: an emulated account (in-process moto + the gap layer), clients on it,
the stack wired in, and the app's log lines."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import tzdata

from local_account import moto_gaps
from local_account.emulated import REGION
from local_account.stack import EmulatedStack
from sagemaker_autoscaler.telemetry.powertools import metrics
from tests.support.account import emulated_account
from tests.support.functions import ResponseCatcher
from tests.support.recording import CallRecorder, LogCapture

# Zones come from the tzdata release the layer ships, as the functions' PYTHONTZPATH makes them do in
# Lambda (template.yaml), not from this machine's /usr/share/zoneinfo.
zoneinfo.reset_tzpath(to=[str(Path(tzdata.__file__).parent / "zoneinfo")])


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
    """A fresh emulated account (``tests/support/account.py``); the recorder sees every AWS call made
    through the default boto3 session, the app's and the test's own."""
    with emulated_account() as recorder:
        yield recorder


@pytest.fixture
def cloudformation() -> Iterator[ResponseCatcher]:
    """Where the lifecycle function's answers to CloudFormation go (``tests/support/functions.py``)."""
    catcher = ResponseCatcher()
    yield catcher
    catcher.close()


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


@pytest.fixture
def events(aws: CallRecorder) -> Any:
    return boto3.client("events", region_name=REGION)
