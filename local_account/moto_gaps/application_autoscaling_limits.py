"""Application Auto Scaling limits that botocore's service model does not declare.

Several limits are stated only in the prose of the API reference and the user guide, not as
``min``/``max`` on botocore's shapes, so :mod:`.model_validation` cannot see them.  moto 5.2 checks
none of them.  Each one here names its source:

* page sizes: ``DescribeScalingPolicies`` ``MaxResults`` "can be between 1 and 10" (default 10);
  ``DescribeScalableTargets`` and ``DescribeScheduledActions`` take 1 to 50 (default 50).  (The
  50-``ResourceIds`` limit *is* on botocore's list shape: model validation enforces it.)  moto
  accepted any page size and defaulted policies to 50 a page.
* serverless provisioned concurrency (``sagemaker:variant:DesiredProvisionedConcurrency``): the
  SageMaker guide says "Set MinCapacity to at least 1" and "MaxCapacity to a minimum of 1".  The AAS
  reference lists serverless PC among resources whose minimum may be 0; no AWS source allows 0, so
  the emulator takes the stricter SageMaker statement, for registration and for scheduled actions.
* quotas (AAS user guide, "Application Auto Scaling service quotas"): 500 scalable targets per
  resource type per account and Region (adjustable: :func:`set_scalable_target_quota`), 50 scaling
  policies and 200 scheduled actions per scalable target.  Only a *new* target, policy or action
  past the quota fails, with ``LimitExceededException`` (HTTP 400).  The resource type is the middle
  part of the scalable dimension: both ``sagemaker:variant:*`` dimensions count as one type
  (``variant``), inference components as another.  The messages are the emulator's own (AWS does
  not publish them).
"""

from __future__ import annotations

from typing import Any

from moto.applicationautoscaling.models import ApplicationAutoscalingBackend

from .errors import GapValidationException, LimitExceededException
from .model_validation import format_errors

DEFAULT_SCALABLE_TARGET_QUOTA = 500
"""Scalable targets per resource type per account and Region (adjustable in AWS)."""

POLICIES_PER_TARGET = 50
SCHEDULED_ACTIONS_PER_TARGET = 200
PROVISIONED_CONCURRENCY_DIMENSION = "sagemaker:variant:DesiredProvisionedConcurrency"

PAGE_SIZES = {
    "DescribeScalingPolicies": 10,
    "DescribeScalableTargets": 50,
    "DescribeScheduledActions": 50,
}
"""The largest (and default) ``MaxResults`` of each paginated operation."""

_settings = {"scalable_target_quota": DEFAULT_SCALABLE_TARGET_QUOTA}


def set_scalable_target_quota(quota: int) -> None:
    """Set the scalable-target quota per resource type (tests use a small one to reach it cheaply)."""
    if quota < 0:
        raise ValueError("quota must be >= 0")
    _settings["scalable_target_quota"] = quota


def get_scalable_target_quota() -> int:
    return _settings["scalable_target_quota"]


def reset_settings() -> None:
    _settings["scalable_target_quota"] = DEFAULT_SCALABLE_TARGET_QUOTA


# --- page sizes ------------------------------------------------------------------------------------


def page_size(operation: str, params: dict[str, Any]) -> int:
    """``MaxResults`` of the request, checked against the operation's documented range."""
    largest = PAGE_SIZES[operation]
    value = params.get("MaxResults")
    if value is None:
        return largest
    problems: list[str] = []
    if value < 1:
        problems.append(
            f"Value '{value}' at 'maxResults' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1"
        )
    if value > largest:
        problems.append(
            f"Value '{value}' at 'maxResults' failed to satisfy constraint: "
            f"Member must have value less than or equal to {largest}"
        )
    if problems:
        raise GapValidationException(format_errors(problems))
    return int(value)


# --- serverless provisioned concurrency --------------------------------------------------------------


def check_provisioned_concurrency_bounds(dimension: str, bounds: dict[str, Any], where: str = "") -> None:
    """MinCapacity and MaxCapacity of a provisioned-concurrency target are at least 1."""
    if dimension != PROVISIONED_CONCURRENCY_DIMENSION:
        return
    for label in ("MinCapacity", "MaxCapacity"):
        value = bounds.get(label)
        if value is not None and value < 1:
            raise GapValidationException(
                f"{where}{label} ({value}) must be at least 1 for scalable dimension "
                f"{PROVISIONED_CONCURRENCY_DIMENSION}"
            )


# --- quotas ------------------------------------------------------------------------------------------


def resource_type(dimension: str) -> str:
    """``sagemaker:variant:DesiredInstanceCount`` -> ``sagemaker:variant`` (the quota's unit)."""
    namespace, kind, _ = dimension.split(":", 2)
    return f"{namespace}:{kind}"


def check_target_quota(backend: ApplicationAutoscalingBackend, dimension: str) -> None:
    """Raise if one more target of ``dimension``'s resource type would pass the quota."""
    kind = resource_type(dimension)
    count = sum(len(targets) for other, targets in backend.targets.items() if resource_type(other) == kind)
    quota = get_scalable_target_quota()
    if count >= quota:
        raise LimitExceededException(
            f"You have reached the maximum number of scalable targets ({quota}) for resource type "
            f"{kind} in this account and Region"
        )


def _same_target(item: Any, r_id: str, dimension: str) -> bool:
    return bool(item.resource_id == r_id and item.scalable_dimension == dimension)


def check_policy_quota(backend: ApplicationAutoscalingBackend, r_id: str, dimension: str) -> None:
    count = sum(1 for p in backend.policies.values() if _same_target(p, r_id, dimension))
    if count >= POLICIES_PER_TARGET:
        raise LimitExceededException(
            f"You have reached the maximum number of scaling policies ({POLICIES_PER_TARGET}) "
            f"for scalable target {r_id} ({dimension})"
        )


def check_scheduled_action_quota(backend: ApplicationAutoscalingBackend, r_id: str, dimension: str) -> None:
    count = sum(1 for a in backend.scheduled_actions if _same_target(a, r_id, dimension))
    if count >= SCHEDULED_ACTIONS_PER_TARGET:
        raise LimitExceededException(
            f"You have reached the maximum number of scheduled actions ({SCHEDULED_ACTIONS_PER_TARGET}) "
            f"for scalable target {r_id} ({dimension})"
        )
