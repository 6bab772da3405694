"""Validate request parameters against botocore's own service models.

WHY: moto accepts almost any request. Real AWS services reject values that break the
constraints declared in their service model (required members, enum values, numeric
ranges, string/list lengths, regular expression patterns) with a ``ValidationException``
whose message names the offending parameter.  This module re-creates that check from the
shapes botocore ships, so the emulator fails the same way AWS does.

The module is generic (no moto import): feed it a service name, an operation name and the
request parameters *as they travel on the wire for JSON protocols* (timestamps as numbers
or strings, blobs as base64 strings) and it returns the list of problems.

Message format follows the AWS "Coral" style, for example::

    1 validation error detected: Value 'x' at 'scalableDimension' failed to satisfy
    constraint: Member must satisfy enum value set: [a, b]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

__all__ = [
    "format_errors",
    "operation_model",
    "validate_operation_input",
    "validate_value",
]


@functools.cache
def service_model(service_name: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service_name)


def enum_values(service_name: str, shape_name: str) -> list[str]:
    """The ``enum`` of a string shape (e.g. ``ScalableDimension``)."""
    values: list[str] = service_model(service_name).shape_for(shape_name).metadata.get("enum", [])
    return values


def operation_model(service_name: str, operation_name: str) -> OperationModel:
    """Return botocore's model of ``operation_name`` (e.g. ``"RegisterScalableTarget"``)."""
    return service_model(service_name).operation_model(operation_name)


@functools.cache
def _compile(pattern: str) -> re.Pattern[str] | None:
    """Compile an AWS (Java-flavoured) pattern; ``None`` if Python's ``re`` cannot."""
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, ValueError):
        return None


def _lower_camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _join(path: str, member: str) -> str:
    member = _lower_camel(member)
    return f"{path}.{member}" if path else member


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def validate_value(shape: Shape, value: Any, path: str) -> list[str]:
    """Validate ``value`` against ``shape``; ``path`` is the lowerCamelCase location."""
    if value is None:
        return []
    type_name = shape.type_name
    if isinstance(shape, StructureShape):
        return _validate_structure(shape, value, path)
    if isinstance(shape, ListShape):
        return _validate_list(shape, value, path)
    if isinstance(shape, MapShape):
        return _validate_map(shape, value, path)
    if type_name == "string":
        return _validate_string(shape, value, path)
    if type_name in ("integer", "long", "float", "double"):
        return _validate_number(shape, value, path)
    if type_name == "boolean" and not isinstance(value, bool):
        return [f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a boolean"]
    return []


def _validate_structure(shape: StructureShape, value: Any, path: str) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a structure"]
    errors: list[str] = []
    for required in shape.required_members:
        member_shape = shape.members[required]
        wire_name = member_shape.serialization.get("name", required)
        if value.get(wire_name) is None:
            location = _join(path, required)
            errors.append(f"Value null at '{location}' failed to satisfy constraint: Member must not be null")
    for member_name, member_shape in shape.members.items():
        wire_name = member_shape.serialization.get("name", member_name)
        if wire_name in value:
            errors.extend(validate_value(member_shape, value[wire_name], _join(path, member_name)))
    return errors


def _length_errors(shape: Shape, length: int, shown: str, path: str) -> list[str]:
    errors: list[str] = []
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    if minimum is not None and length < minimum:
        errors.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {minimum}"
        )
    if maximum is not None and length > maximum:
        errors.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {maximum}"
        )
    return errors


def _validate_list(shape: ListShape, value: Any, path: str) -> list[str]:
    if not isinstance(value, list):
        return [f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a list"]
    errors = _length_errors(shape, len(value), _show(value), path)
    for index, item in enumerate(value, start=1):
        errors.extend(validate_value(shape.member, item, f"{path}.{index}.member"))
    return errors


def _validate_map(shape: MapShape, value: Any, path: str) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be a map"]
    errors = _length_errors(shape, len(value), _show(value), path)
    for key, item in value.items():
        errors.extend(validate_value(shape.key, key, f"{path}.key"))
        errors.extend(validate_value(shape.value, item, f"{path}.{key}.member"))
    return errors


def _validate_string(shape: Shape, value: Any, path: str) -> list[str]:
    if not isinstance(value, str):
        return [f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a string"]
    enum = shape.metadata.get("enum")
    if enum and value not in enum:
        allowed = ", ".join(enum)
        constraint = f"Member must satisfy enum value set: [{allowed}]"
        return [f"Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"]
    errors = _length_errors(shape, len(value), value, path)
    pattern = shape.metadata.get("pattern")
    if pattern is not None:
        compiled = _compile(pattern)
        if compiled is not None and compiled.fullmatch(value) is None:
            errors.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {pattern}"
            )
    return errors


def _validate_number(shape: Shape, value: Any, path: str) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return [f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a number"]
    if shape.type_name in ("integer", "long") and isinstance(value, float) and not value.is_integer():
        return [f"Value '{value}' at '{path}' failed to satisfy constraint: Member must be an integer"]
    errors: list[str] = []
    minimum = shape.metadata.get("min")
    maximum = shape.metadata.get("max")
    if minimum is not None and value < minimum:
        errors.append(
            f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {minimum}"
        )
    if maximum is not None and value > maximum:
        errors.append(
            f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {maximum}"
        )
    return errors


def validate_operation_input(service_name: str, operation_name: str, params: Mapping[str, Any]) -> list[str]:
    """Validate request ``params`` of ``operation_name``; return the problems (empty: valid)."""
    input_shape = operation_model(service_name, operation_name).input_shape
    if input_shape is None:
        return []
    return validate_value(input_shape, dict(params), "")


def format_errors(errors: list[str]) -> str:
    """Join problems the way AWS does: ``N validation error(s) detected: a; b``."""
    noun = "error" if len(errors) == 1 else "errors"
    return f"{len(errors)} validation {noun} detected: {'; '.join(errors)}"
