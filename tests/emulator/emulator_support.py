"""Small helpers shared by the emulator tests (not fixtures)."""

from __future__ import annotations

from typing import Any

import pytest

REGION = "eu-west-1"
ACCOUNT = "123456789012"


def error_code(exc: pytest.ExceptionInfo[Any]) -> str:
    return str(exc.value.response["Error"]["Code"])


def error_message(exc: pytest.ExceptionInfo[Any]) -> str:
    return str(exc.value.response["Error"]["Message"])
