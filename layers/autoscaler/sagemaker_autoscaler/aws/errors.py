"""One way to tell "it is not there" from a real failure, whatever the service calls it.

Application Auto Scaling answers ObjectNotFoundException (a target, policy or scheduled action) and
ResourceNotFoundException (tags of a target); CloudWatch ResourceNotFound; SageMaker a
ValidationException "Could not find ...". For the app, "not there" is an answer, not an error: a delete
of something already gone is done, and a describe of something gone reads as None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

_NOT_FOUND_CODES = frozenset({"ObjectNotFoundException", "ResourceNotFoundException", "ResourceNotFound"})


def is_not_found(error: ClientError) -> bool:
    details = error.response.get("Error", {})
    code, message = details.get("Code", ""), details.get("Message", "")
    if code in _NOT_FOUND_CODES:
        return True
    # SageMaker reports a missing endpoint, config, component or ARN as a ValidationException.
    return code == "ValidationException" and "could not find" in message.lower()


def is_already_there(error: ClientError) -> bool:
    """AAS refuses Tags on a target that exists: "The scalable target that you tried to tag already
    exists"."""
    details = error.response.get("Error", {})
    return details.get("Code") == "ValidationException" and "already exists" in details.get("Message", "")


def or_none[T](call: Callable[..., T], **request: Any) -> T | None:
    """The call's answer, or None when what it asks about is not there."""
    try:
        return call(**request)
    except ClientError as error:
        if is_not_found(error):
            return None
        raise


def done_unless_gone(call: Callable[..., Any], **request: Any) -> bool:
    """Make a delete; False when the thing was already gone, which for clean-up is success."""
    try:
        call(**request)
    except ClientError as error:
        if is_not_found(error):
            return False
        raise
    return True
