"""Placeholder so that `sam build` works before the real handler lands."""

from typing import Any


def lambda_handler(event: dict[str, Any], context: object) -> dict[str, Any]:
    raise NotImplementedError("the scaling-events handler has not been written yet")
