"""Fault injection runs in the same emulated account as the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.conftest import (  # noqa: F401 - fixtures re-used by name
    _environment,
    autoscaling,
    aws,
    cloudwatch,
    logs,
    sagemaker,
    stack,
)
from tests.support.faults import FaultInjector
from tests.support.recording import CallRecorder


@pytest.fixture
def faults(aws: CallRecorder) -> Iterator[FaultInjector]:  # noqa: F811 - the fixture imported above
    """Installed on the emulated account's session before the app creates its clients; off until
    ``with faults.active():``."""
    injector = FaultInjector(seed=20260302).install()
    yield injector
    injector.uninstall()
