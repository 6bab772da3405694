"""Error types the gap layer raises, serialised by moto like its own service errors.

WHY: moto's per-service exception classes do not cover every error code real AWS returns
(for instance Application Auto Scaling's ``ObjectNotFoundException``).  Subclassing moto's
``ServiceException`` lets moto's serializer turn them into proper JSON error bodies for
both in-process ``mock_aws`` and ``ThreadedMotoServer``.
"""

from __future__ import annotations

from moto.core.exceptions import ServiceException


class GapValidationException(ServiceException):
    """AWS ``ValidationException`` (SageMaker, Application Auto Scaling)."""

    code = "ValidationException"


class ObjectNotFoundException(ServiceException):
    """Application Auto Scaling: the scalable target, policy or action does not exist."""

    code = "ObjectNotFoundException"


class ResourceNotFoundException(ServiceException):
    """Application Auto Scaling tagging: no resource with that ARN."""

    code = "ResourceNotFoundException"


class CloudWatchResourceNotFound(ServiceException):
    """CloudWatch ``ResourceNotFound`` (e.g. DeleteAlarms naming a missing alarm)."""

    code = "ResourceNotFound"


class LimitExceededException(ServiceException):
    """Application Auto Scaling: a per-account or per-target quota is reached (HTTP 400)."""

    code = "LimitExceededException"
