"""Glue between moto response handlers and :mod:`model_validation`.

WHY: moto does not check request parameters against the service model, so invalid
enum values, out-of-range numbers or bad patterns are silently stored.  Wrapping a moto
response method with :func:`validated` makes it reject such requests with the
``ValidationException`` real AWS returns, before moto (or the gap layer) acts on them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from .errors import GapValidationException
from .model_validation import format_errors, validate_operation_input

ResponseMethod = Callable[[Any], Any]


def request_params(response: Any) -> dict[str, Any]:
    """The JSON request body of a moto ``BaseResponse`` (JSON protocols only)."""
    body = response.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise GapValidationException("Request body is not valid JSON") from exc
    return parsed if isinstance(parsed, dict) else {}


def check(service_name: str, operation_name: str, params: dict[str, Any]) -> None:
    """Raise ``ValidationException`` if ``params`` break the operation's input shape."""
    errors = validate_operation_input(service_name, operation_name, params)
    if errors:
        raise GapValidationException(format_errors(errors))


def validated(service_name: str, operation_name: str, method: ResponseMethod) -> ResponseMethod:
    """Wrap a moto response method so its request is model-validated first."""

    @functools.wraps(method)
    def wrapper(self: Any) -> Any:
        check(service_name, operation_name, request_params(self))
        return method(self)

    wrapper.__gap_validated__ = True  # type: ignore[attr-defined]
    return wrapper


def snake_case(operation_name: str) -> str:
    """``CreateInferenceComponent`` -> ``create_inference_component`` (moto's method names)."""
    return "".join("_" + ch.lower() if ch.isupper() else ch for ch in operation_name).lstrip("_")
