"""Application Auto Scaling fixes for moto.

Each piece names the moto 5.2 gap it closes:

* dimensions: moto's hard-coded enum lacks ``sagemaker:inference-component:DesiredCopyCount``
  and ``sagemaker:variant:DesiredProvisionedConcurrency``; the check now uses botocore's
  enum (through model validation) plus moto's own resource-id/dimension consistency check.
* DeregisterScalableTarget: moto leaves the target's policies and scheduled actions behind
  and answers ValidationException for a missing target; real AAS deletes them (but not
  caller-made CloudWatch alarms) and answers ObjectNotFoundException.
* DescribeScalingPolicies: moto matches ResourceId/ScalableDimension by substring and
  ignores PolicyNames.
* tags: moto has no Tags on RegisterScalableTarget and no ListTagsForResource /
  TagResource / UntagResource.  RegisterScalableTarget's Tags "tag the scalable target when it is
  created. To tag an existing scalable target, use the TagResource operation" (API reference); real
  AAS answers a register of an *existing* target that carries Tags with ValidationException "The
  scalable target that you tried to tag already exists. To update tags on an existing scalable
  target, use the TagResource API." (reported verbatim by Terraform users, terraform-provider-aws
  #31839).  The emulator does the same, also when the tags are equal to the stored ones (uncertain:
  the stricter choice).  A target deregistered and registered again is a new target: new ARN (moto
  draws a random id), none of the old tags.  A blank tag value is refused ("Tag values cannot be
  empty or blank", reported by Terraform users for RegisterScalableTarget, terraform-provider-aws
  #32677, although botocore's TagValue allows length 0); the emulator refuses it in TagResource too
  (not reported there: the stricter choice).
* RegisterScalableTarget: no MinCapacity <= MaxCapacity or non-negative checks, new targets
  accepted without capacities, SuspendedState neither defaulted nor merged.
* SageMaker resources: moto registers targets for resources that do not exist and never changes
  their capacity; real AAS needs the resource (exact-case name) and moves a current capacity outside
  the new min..max into it at once (:mod:`.sagemaker_capacity`).
* limits stated only in prose (page sizes, provisioned-concurrency floor of 1, quotas of 500
  targets per resource type, 50 policies and 200 scheduled actions per target) are in
  :mod:`.application_autoscaling_limits`.
* PutScalingPolicy / PutScheduledAction: accepted for unregistered targets; an update gave
  the policy a new ARN (breaking alarms that point at it) and leaked its alarms; schedules and time
  zones unchecked.  Updating a scheduled action: "if you don't specify start and end times, the old
  values are deleted" (PutScheduledAction reference), so omitted StartTime/EndTime are cleared;
  every other omitted field keeps its value.
* Delete* of something missing: moto ignores it or answers ValidationException; real AAS
  answers ObjectNotFoundException.
* DescribeScalingActivities is missing in moto (answered with no activities).
* DescribeScalableTargets pagination returned a wrong NextToken; DescribeScheduledActions
  had no pagination; page sizes were not checked (see :mod:`.application_autoscaling_limits`).
"""

from __future__ import annotations

import json
from typing import Any

from moto.applicationautoscaling import models as aas_models
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeApplicationAutoscalingPolicy,
    FakeScalableTarget,
    FakeScheduledAction,
    applicationautoscaling_backends,
)
from moto.applicationautoscaling.responses import (
    ApplicationAutoScalingResponse,
    _build_policy,
    _build_scheduled_action,
    _build_target,
)

from . import application_autoscaling_limits as limits
from . import sagemaker_capacity
from .errors import GapValidationException, ObjectNotFoundException, ResourceNotFoundException
from .model_validation import enum_values
from .request_validation import request_params, snake_case, validated
from .schedule_expressions import schedule_error, timezone_error

_DEFAULT_SUSPENDED_STATE = {
    "DynamicScalingInSuspended": False,
    "DynamicScalingOutSuspended": False,
    "ScheduledScalingSuspended": False,
}
_FORBIDDEN_ACTION_NAME_CHARS = (":", "/", "|")
_TAGS_ON_EXISTING_TARGET = (
    "The scalable target that you tried to tag already exists. To update tags on an existing "
    "scalable target, use the TagResource API."
)


def _target_params_are_valid(namespace: str, r_id: str, dimension: str) -> bool:
    """Replacement for moto's check, using botocore's (current) dimension enum.

    Model validation has already checked the enums; here only the consistency between
    namespace, dimension and resource id is checked (``inference-component/<name>`` for
    the inference-component dimension, ``endpoint/<e>/variant/<v>`` for variants).
    """
    valid_dimensions = enum_values("application-autoscaling", "ScalableDimension")
    try:
        d_namespace, d_resource_type, _ = dimension.split(":")
        resource_type = d_resource_type
        if d_resource_type != "broker-storage":
            resource_type = aas_models._get_resource_type_from_resource_id(r_id)
        valid = (
            dimension in valid_dimensions and d_namespace == namespace and resource_type == d_resource_type
        )
        if valid and dimension.startswith("sagemaker:variant:"):
            parts = r_id.split("/")
            valid = len(parts) == 4 and parts[0] == "endpoint" and all(parts)
        if valid and dimension.startswith("sagemaker:inference-component:"):
            parts = r_id.split("/")
            valid = len(parts) == 2 and all(parts)
    except (ValueError, IndexError):
        valid = False
    if not valid:
        raise GapValidationException("Unsupported service namespace, resource type or scalable dimension")
    return True


def _target(backend: ApplicationAutoscalingBackend, r_id: str, dimension: str) -> FakeScalableTarget | None:
    return backend.targets.get(dimension, {}).get(r_id)


def _require_target(
    backend: ApplicationAutoscalingBackend, namespace: str, r_id: str, dimension: str
) -> FakeScalableTarget:
    target = _target(backend, r_id, dimension)
    if target is None or target.service_namespace != namespace:
        raise ObjectNotFoundException(
            f"No scalable target registered for service namespace: {namespace}, resource ID: {r_id}, "
            f"scalable dimension: {dimension}"
        )
    return target


def _tags(target: FakeScalableTarget) -> dict[str, str]:
    found: dict[str, str] | None = target.__dict__.get("_gap_tags")
    if found is None:
        found = {}
        target.__dict__["_gap_tags"] = found
    return found


def _check_tag_values(tags: dict[str, str]) -> None:
    if any(not value.strip() for value in tags.values()):
        raise GapValidationException("Tag values cannot be empty or blank")


def _target_by_arn(backend: ApplicationAutoscalingBackend, arn: str) -> FakeScalableTarget:
    for by_resource in backend.targets.values():
        for target in by_resource.values():
            if target.arn == arn:
                return target
    raise ResourceNotFoundException(f"Resource not found: {arn}")


# --- backend behaviour ---------------------------------------------------------------------


def _check_capacities(params: dict[str, Any], existing: FakeScalableTarget | None) -> None:
    """Capacities: not negative, both given for a new target, min <= max after merging, PC >= 1."""
    min_cap, max_cap = params.get("MinCapacity"), params.get("MaxCapacity")
    for label, value in (("MinCapacity", min_cap), ("MaxCapacity", max_cap)):
        if value is not None and value < 0:
            raise GapValidationException(f"{label} must be greater than or equal to 0 (got {value})")
    if existing is None and (min_cap is None or max_cap is None):
        raise GapValidationException(
            "MinCapacity and MaxCapacity are required when registering a new scalable target"
        )
    final_min = min_cap if min_cap is not None else existing.min_capacity  # type: ignore[union-attr]
    final_max = max_cap if max_cap is not None else existing.max_capacity  # type: ignore[union-attr]
    if final_min is not None and final_max is not None and final_min > final_max:
        raise GapValidationException(
            f"Minimum capacity ({final_min}) cannot be greater than maximum capacity ({final_max})"
        )
    limits.check_provisioned_concurrency_bounds(
        params["ScalableDimension"], {"MinCapacity": final_min, "MaxCapacity": final_max}
    )


def _check_registration(
    backend: ApplicationAutoscalingBackend, params: dict[str, Any], existing: FakeScalableTarget | None
) -> None:
    """Tags only on creation, the SageMaker resource exists, a new target fits the quota."""
    if existing is not None and params.get("Tags"):
        raise GapValidationException(_TAGS_ON_EXISTING_TARGET)
    _check_tag_values(params.get("Tags") or {})
    if params["ServiceNamespace"] == "sagemaker":
        sagemaker_capacity.require_resource(
            backend.account_id, backend.region_name, params["ResourceId"], params["ScalableDimension"]
        )
    if existing is None:
        limits.check_target_quota(backend, params["ScalableDimension"])


def _suspended_state(params: dict[str, Any], existing: FakeScalableTarget | None) -> dict[str, bool]:
    state: dict[str, bool] = dict(_DEFAULT_SUSPENDED_STATE)
    if existing is not None and isinstance(existing.suspended_state, dict):
        state.update(existing.suspended_state)
    state.update(params.get("SuspendedState") or {})
    return state


def register_target(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> FakeScalableTarget:
    namespace = params["ServiceNamespace"]
    r_id = params["ResourceId"]
    dimension = params["ScalableDimension"]
    _target_params_are_valid(namespace, r_id, dimension)
    existing = _target(backend, r_id, dimension)
    _check_capacities(params, existing)
    _check_registration(backend, params, existing)
    target = backend.register_scalable_target(
        namespace,
        r_id,
        dimension,
        min_capacity=params.get("MinCapacity"),
        max_capacity=params.get("MaxCapacity"),
        role_arn=params.get("RoleARN"),  # type: ignore[arg-type]
        suspended_state=_suspended_state(params, existing),  # type: ignore[arg-type]
    )
    if target.role_arn is None and namespace == "sagemaker":
        # Real AAS fills in the service-linked role when RoleARN is omitted.
        target.role_arn = (
            f"arn:aws:iam::{backend.account_id}:role/aws-service-role/"
            "sagemaker.application-autoscaling.amazonaws.com/"
            "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
        )
    if existing is None:
        _tags(target).update(params.get("Tags") or {})
    if namespace == "sagemaker":
        sagemaker_capacity.move_into_range(
            backend.account_id, backend.region_name, r_id, dimension, target.min_capacity, target.max_capacity
        )
    return target


def deregister_target(
    backend: ApplicationAutoscalingBackend, namespace: str, r_id: str, dimension: str
) -> None:
    """Deregister and cascade to the target's policies and scheduled actions.

    Alarms that moto created for target-tracking policies go with their policy (as in AWS);
    caller-made alarms (step scaling) are left alone.
    """
    _require_target(backend, namespace, r_id, dimension)
    del backend.targets[dimension][r_id]
    for key, policy in list(backend.policies.items()):
        if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (
            namespace,
            r_id,
            dimension,
        ):
            policy.delete_alarms(backend.account_id, backend.region_name)
            del backend.policies[key]
    backend.scheduled_actions = [
        a
        for a in backend.scheduled_actions
        if (a.service_namespace, a.resource_id, a.scalable_dimension) != (namespace, r_id, dimension)
    ]


def put_policy(
    backend: ApplicationAutoscalingBackend, params: dict[str, Any]
) -> FakeApplicationAutoscalingPolicy:
    namespace, r_id, dimension = params["ServiceNamespace"], params["ResourceId"], params["ScalableDimension"]
    _require_target(backend, namespace, r_id, dimension)
    name = params["PolicyName"]
    key = FakeApplicationAutoscalingPolicy.formulate_key(namespace, r_id, dimension, name)
    old = backend.policies.get(key)
    if old is None:
        limits.check_policy_quota(backend, r_id, dimension)
    body = params.get("StepScalingPolicyConfiguration") or params.get(
        "TargetTrackingScalingPolicyConfiguration"
    )
    policy = backend.put_scaling_policy(
        policy_name=name,
        service_namespace=namespace,
        resource_id=r_id,
        scalable_dimension=dimension,
        policy_body=body,  # type: ignore[arg-type]
        policy_type=params.get("PolicyType"),
    )
    if old is not None:
        # Create-or-update keeps the policy's identity: alarms point at its ARN.
        old.delete_alarms(backend.account_id, backend.region_name)
        policy.delete_alarms(backend.account_id, backend.region_name)
        policy._guid = old._guid
        policy.policy_arn = old.policy_arn
        policy.creation_time = old.creation_time
        policy.alarms = []
        policy.create_alarms()
    return policy


def describe_policies(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> list[Any]:
    policies = [p for p in backend.policies.values() if p.service_namespace == params["ServiceNamespace"]]
    if params.get("ResourceId"):
        policies = [p for p in policies if p.resource_id == params["ResourceId"]]
    if params.get("ScalableDimension"):
        policies = [p for p in policies if p.scalable_dimension == params["ScalableDimension"]]
    if params.get("PolicyNames"):
        policies = [p for p in policies if p.policy_name in params["PolicyNames"]]
    return policies


def delete_policy(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> None:
    key = FakeApplicationAutoscalingPolicy.formulate_key(
        params["ServiceNamespace"], params["ResourceId"], params["ScalableDimension"], params["PolicyName"]
    )
    if key not in backend.policies:
        raise ObjectNotFoundException(
            f"No scaling policy found for service namespace: {params['ServiceNamespace']}, "
            f"resource ID: {params['ResourceId']}, scalable dimension: {params['ScalableDimension']}, "
            f"policy name: {params['PolicyName']}"
        )
    backend.delete_scaling_policy(
        params["PolicyName"], params["ServiceNamespace"], params["ResourceId"], params["ScalableDimension"]
    )


def _find_action(
    backend: ApplicationAutoscalingBackend, params: dict[str, Any]
) -> FakeScheduledAction | None:
    wanted = (
        params["ServiceNamespace"],
        params["ScheduledActionName"],
        params["ResourceId"],
        params["ScalableDimension"],
    )
    for action in backend.scheduled_actions:
        key = (
            action.service_namespace,
            action.scheduled_action_name,
            action.resource_id,
            action.scalable_dimension,
        )
        if key == wanted:
            return action
    return None


def _check_action_params(params: dict[str, Any]) -> None:
    """Name, schedule, time zone, capacities and time window of a PutScheduledAction request."""
    name = params["ScheduledActionName"]
    if any(ch in name for ch in _FORBIDDEN_ACTION_NAME_CHARS):
        raise GapValidationException(f"ScheduledActionName '{name}' must not contain ':', '/' or '|'")
    if params.get("Schedule") is not None and (problem := schedule_error(params["Schedule"])):
        raise GapValidationException(problem)
    if params.get("Timezone") is not None and (problem := timezone_error(params["Timezone"])):
        raise GapValidationException(problem)
    action_target = params.get("ScalableTargetAction") or {}
    low, high = action_target.get("MinCapacity"), action_target.get("MaxCapacity")
    for label, value in (("MinCapacity", low), ("MaxCapacity", high)):
        if value is not None and value < 0:
            raise GapValidationException(f"ScalableTargetAction.{label} must be >= 0 (got {value})")
    if low is not None and high is not None and low > high:
        raise GapValidationException(
            f"ScalableTargetAction: minimum capacity ({low}) cannot be greater than maximum capacity ({high})"
        )
    limits.check_provisioned_concurrency_bounds(
        params["ScalableDimension"], action_target, "ScalableTargetAction."
    )
    start, end = params.get("StartTime"), params.get("EndTime")
    if isinstance(start, (int, float)) and isinstance(end, (int, float)) and start > end:
        raise GapValidationException("StartTime must be before EndTime")


def put_action(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> None:
    namespace, r_id, dimension = params["ServiceNamespace"], params["ResourceId"], params["ScalableDimension"]
    _check_action_params(params)
    _require_target(backend, namespace, r_id, dimension)
    existing = _find_action(backend, params)
    if existing is not None:
        _update_action(existing, params)
        return
    if params.get("Schedule") is None:
        raise GapValidationException("Schedule is required when creating a scheduled action")
    limits.check_scheduled_action_quota(backend, r_id, dimension)
    backend.put_scheduled_action(
        service_namespace=namespace,
        schedule=params["Schedule"],
        timezone=params.get("Timezone"),  # type: ignore[arg-type]
        scheduled_action_name=params["ScheduledActionName"],
        resource_id=r_id,
        scalable_dimension=dimension,
        start_time=params.get("StartTime"),  # type: ignore[arg-type]
        end_time=params.get("EndTime"),  # type: ignore[arg-type]
        scalable_target_action=params.get("ScalableTargetAction"),  # type: ignore[arg-type]
    )


def _update_action(action: FakeScheduledAction, params: dict[str, Any]) -> None:
    """Update in place.  StartTime/EndTime are always replaced: "if you don't specify start and end
    times, the old values are deleted".  Other omitted parameters keep their values."""
    for attr, key in (
        ("schedule", "Schedule"),
        ("timezone", "Timezone"),
        ("scalable_target_action", "ScalableTargetAction"),
    ):
        if params.get(key) is not None:
            setattr(action, attr, params[key])
    action.start_time = params.get("StartTime")  # type: ignore[assignment]
    action.end_time = params.get("EndTime")  # type: ignore[assignment]


def delete_action(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> None:
    if _find_action(backend, params) is None:
        raise ObjectNotFoundException(
            f"No scheduled action found for service namespace: {params['ServiceNamespace']}, "
            f"resource ID: {params['ResourceId']}, scalable dimension: {params['ScalableDimension']}, "
            f"scheduled action name: {params['ScheduledActionName']}"
        )
    backend.delete_scheduled_action(
        params["ServiceNamespace"],
        params["ScheduledActionName"],
        params["ResourceId"],
        params["ScalableDimension"],
    )


def _page(items: list[Any], params: dict[str, Any], operation: str) -> tuple[list[Any], str | None]:
    max_results = limits.page_size(operation, params)
    try:
        start = int(params.get("NextToken") or 0)
    except ValueError:
        raise GapValidationException("Invalid NextToken") from None
    end = start + max_results
    return items[start:end], (str(end) if end < len(items) else None)


def _clean(result: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in result.items() if v is not None})


# --- response handlers (replace moto's ApplicationAutoScalingResponse methods) ------------


def _backend(response: Any) -> ApplicationAutoscalingBackend:
    return applicationautoscaling_backends[response.current_account][response.region]


def _build_target_full(target: FakeScalableTarget) -> dict[str, Any]:
    built = _build_target(target)
    built["SuspendedState"] = target.suspended_state or dict(_DEFAULT_SUSPENDED_STATE)
    return {k: v for k, v in built.items() if v is not None}


def register_scalable_target(self: Any) -> str:
    target = register_target(_backend(self), request_params(self))
    return json.dumps({"ScalableTargetARN": target.arn})


def deregister_scalable_target(self: Any) -> str:
    p = request_params(self)
    deregister_target(_backend(self), p["ServiceNamespace"], p["ResourceId"], p["ScalableDimension"])
    return "{}"


def describe_scalable_targets(self: Any) -> str:
    p = request_params(self)
    targets = _backend(self).describe_scalable_targets(
        p["ServiceNamespace"], p.get("ResourceIds"), p.get("ScalableDimension")
    )
    page, token = _page(targets, p, "DescribeScalableTargets")
    return _clean({"ScalableTargets": [_build_target_full(t) for t in page], "NextToken": token})


def put_scaling_policy(self: Any) -> str:
    policy = put_policy(_backend(self), request_params(self))
    alarms = [{"AlarmARN": a.alarm_arn, "AlarmName": a.name} for a in policy.alarms]
    return json.dumps({"PolicyARN": policy.policy_arn, "Alarms": alarms})


def describe_scaling_policies(self: Any) -> str:
    p = request_params(self)
    page, token = _page(describe_policies(_backend(self), p), p, "DescribeScalingPolicies")
    return _clean({"ScalingPolicies": [_build_policy(x) for x in page], "NextToken": token})


def delete_scaling_policy(self: Any) -> str:
    delete_policy(_backend(self), request_params(self))
    return "{}"


def put_scheduled_action(self: Any) -> str:
    put_action(_backend(self), request_params(self))
    return "{}"


def describe_scheduled_actions(self: Any) -> str:
    p = request_params(self)
    actions = _backend(self).describe_scheduled_actions(
        scheduled_action_names=p.get("ScheduledActionNames"),  # type: ignore[arg-type]
        service_namespace=p["ServiceNamespace"],
        resource_id=p.get("ResourceId"),  # type: ignore[arg-type]
        scalable_dimension=p.get("ScalableDimension"),  # type: ignore[arg-type]
    )
    page, token = _page(actions, p, "DescribeScheduledActions")
    built = [{k: v for k, v in _build_scheduled_action(a).items() if v is not None} for a in page]
    return _clean({"ScheduledActions": built, "NextToken": token})


def delete_scheduled_action(self: Any) -> str:
    delete_action(_backend(self), request_params(self))
    return "{}"


def list_tags_for_resource(self: Any) -> str:
    target = _target_by_arn(_backend(self), request_params(self)["ResourceARN"])
    return json.dumps({"Tags": dict(_tags(target))})


def tag_resource(self: Any) -> str:
    p = request_params(self)
    target = _target_by_arn(_backend(self), p["ResourceARN"])
    _check_tag_values(p["Tags"])
    _tags(target).update(p["Tags"])
    return "{}"


def untag_resource(self: Any) -> str:
    p = request_params(self)
    tags = _tags(_target_by_arn(_backend(self), p["ResourceARN"]))
    for key in p["TagKeys"]:
        tags.pop(key, None)
    return "{}"


def describe_scaling_activities(self: Any) -> str:
    """moto lacks DescribeScalingActivities.  Policies never fire in the emulator, and the capacity
    moves made by RegisterScalableTarget are not recorded: no activities."""
    return json.dumps({"ScalingActivities": []})


def _validate_params(self: Any) -> None:
    """Neutralise moto's enum check (stale list); model validation replaces it."""


_HANDLERS = {
    "RegisterScalableTarget": register_scalable_target,
    "DeregisterScalableTarget": deregister_scalable_target,
    "DescribeScalableTargets": describe_scalable_targets,
    "PutScalingPolicy": put_scaling_policy,
    "DescribeScalingPolicies": describe_scaling_policies,
    "DeleteScalingPolicy": delete_scaling_policy,
    "PutScheduledAction": put_scheduled_action,
    "DescribeScheduledActions": describe_scheduled_actions,
    "DeleteScheduledAction": delete_scheduled_action,
    "ListTagsForResource": list_tags_for_resource,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "DescribeScalingActivities": describe_scaling_activities,
}


# Wrapped once, so that install() always sets the very same objects (idempotent).
_METHODS = {
    snake_case(operation): validated("application-autoscaling", operation, handler)
    for operation, handler in _HANDLERS.items()
}


def install() -> None:
    aas_models._target_params_are_valid = _target_params_are_valid
    ApplicationAutoScalingResponse._validate_params = _validate_params  # type: ignore[method-assign]
    for method_name, method in _METHODS.items():
        setattr(ApplicationAutoScalingResponse, method_name, method)
