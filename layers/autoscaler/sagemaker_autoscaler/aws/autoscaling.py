"""Application Auto Scaling: read and write scalable targets, policies and scheduled actions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import boto3
from botocore.exceptions import ClientError

from ..model import (
    OWNER_TAG_KEY,
    OWNER_TAG_VALUE,
    SERVICE_NAMESPACE,
    PolicySpec,
    ScheduledActionSpec,
    TargetSpec,
)
from . import CLIENT_CONFIG

if TYPE_CHECKING:
    from mypy_boto3_application_autoscaling import ApplicationAutoScalingClient
    from mypy_boto3_application_autoscaling.literals import PolicyTypeType, ScalableDimensionType

# DescribeScalableTargets takes at most 50 resource ids per request.
RESOURCE_IDS_PER_REQUEST = 50


def _dimension(value: str) -> ScalableDimensionType:
    return cast("ScalableDimensionType", value)


def is_not_found(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ObjectNotFoundException"


def _unless_gone(delete: Any, **request: Any) -> bool:
    """Run a delete; False when the thing was already gone, which for clean-up is success."""
    try:
        delete(**request)
    except ClientError as error:
        if is_not_found(error):
            return False
        raise
    return True


class AutoScaling:
    def __init__(self, client: ApplicationAutoScalingClient | None = None) -> None:
        self._client = client
        self._ownership: dict[str, bool] = {}

    @property
    def client(self) -> ApplicationAutoScalingClient:
        if self._client is None:
            self._client = boto3.client("application-autoscaling", config=CLIENT_CONFIG)
        return self._client

    # Reads ---------------------------------------------------------------------------------------------

    def describe_targets(self, resource_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """All SageMaker targets, or those of the given resource ids, in as few requests as possible."""
        paginator = self.client.get_paginator("describe_scalable_targets")
        targets: list[dict[str, Any]] = []
        if resource_ids is None:
            for page in paginator.paginate(
                ServiceNamespace=SERVICE_NAMESPACE, PaginationConfig={"PageSize": RESOURCE_IDS_PER_REQUEST}
            ):
                targets.extend(dict(t) for t in page["ScalableTargets"])
            return targets
        ids = sorted(set(resource_ids))
        for start in range(0, len(ids), RESOURCE_IDS_PER_REQUEST):
            chunk = ids[start : start + RESOURCE_IDS_PER_REQUEST]
            for page in paginator.paginate(ServiceNamespace=SERVICE_NAMESPACE, ResourceIds=chunk):
                targets.extend(dict(t) for t in page["ScalableTargets"])
        return targets

    def target_tags(self, target_arn: str) -> dict[str, str]:
        response = self.client.list_tags_for_resource(ResourceARN=target_arn)
        return dict(response.get("Tags", {}))

    def is_owned(self, target_arn: str) -> bool:
        """Whether the app registered this target. A target's ARN names one registration and the app
        never re-tags, so the answer is cached for the life of the container."""
        if target_arn not in self._ownership:
            self._ownership[target_arn] = self.target_tags(target_arn).get(OWNER_TAG_KEY) == OWNER_TAG_VALUE
        return self._ownership[target_arn]

    def _listing(self, operation: str, key: str, **filters: Any) -> list[dict[str, Any]]:
        """Every item of a paginated SageMaker-namespace listing, 50 a page."""
        paginator: Any = self.client.get_paginator(operation)  # type: ignore[call-overload]
        pages = paginator.paginate(
            ServiceNamespace=SERVICE_NAMESPACE, PaginationConfig={"PageSize": 50}, **filters
        )
        return [dict(item) for page in pages for item in page[key]]

    def _for_target(self, operation: str, key: str, resource_id: str, dimension: str) -> list[dict[str, Any]]:
        items = self._listing(operation, key, ResourceId=resource_id, ScalableDimension=_dimension(dimension))
        # Guard against any listing that matches loosely: only this exact target's items count.
        return [
            i for i in items if i["ResourceId"] == resource_id and i.get("ScalableDimension") == dimension
        ]

    def describe_all_policies(self) -> list[dict[str, Any]]:
        return self._listing("describe_scaling_policies", "ScalingPolicies")

    def describe_all_scheduled_actions(self) -> list[dict[str, Any]]:
        return self._listing("describe_scheduled_actions", "ScheduledActions")

    def describe_policies(self, resource_id: str, dimension: str) -> list[dict[str, Any]]:
        return self._for_target("describe_scaling_policies", "ScalingPolicies", resource_id, dimension)

    def describe_scheduled_actions(self, resource_id: str, dimension: str) -> list[dict[str, Any]]:
        return self._for_target("describe_scheduled_actions", "ScheduledActions", resource_id, dimension)

    # Writes --------------------------------------------------------------------------------------------

    def register_target(self, spec: TargetSpec, *, new: bool) -> None:
        extra: dict[str, Any] = {}
        if new:
            # The tag is what marks the target as the app's own; AAS ignores Tags on an existing target.
            extra["Tags"] = {OWNER_TAG_KEY: OWNER_TAG_VALUE}
        response = self.client.register_scalable_target(
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=spec.resource_id,
            ScalableDimension=_dimension(spec.dimension.value),
            MinCapacity=spec.min_capacity,
            MaxCapacity=spec.max_capacity,
            # Always explicit, so that resuming a paused target clears all three.
            SuspendedState={
                "DynamicScalingInSuspended": spec.suspended,
                "DynamicScalingOutSuspended": spec.suspended,
                "ScheduledScalingSuspended": spec.suspended,
            },
            **extra,
        )
        if new and response.get("ScalableTargetARN"):
            # The app just tagged it: no need to read the tag back later.
            self._ownership[response["ScalableTargetARN"]] = True

    def deregister_target(self, resource_id: str, dimension: str) -> bool:
        """False when the target was already gone (SageMaker deregisters deleted endpoints itself)."""
        return _unless_gone(
            self.client.deregister_scalable_target,
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=resource_id,
            ScalableDimension=_dimension(dimension),
        )

    def put_policy(self, resource_id: str, dimension: str, spec: PolicySpec) -> str:
        configuration: dict[str, Any] = {spec.configuration_key: dict(spec.configuration)}
        response = self.client.put_scaling_policy(
            PolicyName=spec.name,
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=resource_id,
            ScalableDimension=_dimension(dimension),
            PolicyType=cast("PolicyTypeType", spec.policy_type),
            **configuration,
        )
        return str(response["PolicyARN"])

    def delete_policy(self, resource_id: str, dimension: str, name: str) -> bool:
        return _unless_gone(
            self.client.delete_scaling_policy,
            PolicyName=name,
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=resource_id,
            ScalableDimension=_dimension(dimension),
        )

    def put_scheduled_action(self, resource_id: str, dimension: str, spec: ScheduledActionSpec) -> None:
        window: dict[str, Any] = {}
        if spec.start_time is not None:
            window["StartTime"] = spec.start_time
        if spec.end_time is not None:
            window["EndTime"] = spec.end_time
        self.client.put_scheduled_action(
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=resource_id,
            ScalableDimension=_dimension(dimension),
            ScheduledActionName=spec.name,
            Schedule=spec.schedule,
            Timezone=spec.timezone,
            ScalableTargetAction={"MinCapacity": spec.min_capacity, "MaxCapacity": spec.max_capacity},
            **window,
        )

    def delete_scheduled_action(self, resource_id: str, dimension: str, name: str) -> bool:
        return _unless_gone(
            self.client.delete_scheduled_action,
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=resource_id,
            ScalableDimension=_dimension(dimension),
            ScheduledActionName=name,
        )
