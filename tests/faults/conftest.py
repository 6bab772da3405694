"""Fault injection, on top of the shared emulated account (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.faults import FaultInjector
from tests.support.recording import CallRecorder


@pytest.fixture
def faults(aws: CallRecorder) -> Iterator[FaultInjector]:
    """Installed on the emulated account's session before the app creates its clients; off until
    ``with faults.active():``."""
    injector = FaultInjector(seed=20260302).install()
    yield injector
    injector.uninstall()
