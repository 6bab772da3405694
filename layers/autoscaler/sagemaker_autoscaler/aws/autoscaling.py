"""Application Auto Scaling: read and write scalable targets, policies and scheduled actions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from botocore.exceptions import ClientError

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.aws.errors import done_unless_gone, is_already_there
from sagemaker_autoscaler.core.domain import (
    CAPACITY_FLOOR_TAG_KEY,
    OWNER_TAG_KEY,
    OWNER_TAG_VALUE,
    SERVICE_NAMESPACE,
    PolicySpec,
    ScheduledActionSpec,
    TargetSpec,
)

if TYPE_CHECKING:
    from mypy_boto3_application_autoscaling import ApplicationAutoScalingClient
    from mypy_boto3_application_autoscaling.literals import PolicyTypeType, ScalableDimensionType

# Page sizes as the AAS API reference documents them: DescribeScalableTargets and
# DescribeScheduledActions take MaxResults 1 to 50, DescribeScalingPolicies only 1 to 10; and
# DescribeScalableTargets takes at most 50 resource ids per request.
RESOURCE_IDS_PER_REQUEST = 50
PAGE_SIZE = {
    "describe_scalable_targets": 50,
    "describe_scheduled_actions": 50,
    "describe_scaling_policies": 10,
}


def _dimension(value: str) -> ScalableDimensionType:
    return cast("ScalableDimensionType", value)


def ownership_tags(spec: TargetSpec) -> dict[str, str]:
    """The tags that make a target recognisably the app's (and its capacity floor, if any)."""
    tags = {OWNER_TAG_KEY: OWNER_TAG_VALUE}
    if spec.capacity_floor is not None:
        tags[CAPACITY_FLOOR_TAG_KEY] = str(spec.capacity_floor)
    return tags


class TargetAppeared(RuntimeError):
    """The target the app was about to create exists already: someone registered it meanwhile."""


class AutoScaling:
    def __init__(self, client: ApplicationAutoScalingClient | None = None) -> None:
        self._client = client
        self._tags: dict[str, dict[str, str]] = {}

    @property
    def client(self) -> ApplicationAutoScalingClient:
        if self._client is None:
            self._client = make_client("application-autoscaling")
        return self._client

    # Reads ---------------------------------------------------------------------------------------------

    def describe_targets(self, resource_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """All SageMaker targets, or those of the given resource ids, in as few requests as possible."""
        paginator = self.client.get_paginator("describe_scalable_targets")
        targets: list[dict[str, Any]] = []
        if resource_ids is None:
            for page in paginator.paginate(
                ServiceNamespace=SERVICE_NAMESPACE,
                PaginationConfig={"PageSize": PAGE_SIZE["describe_scalable_targets"]},
            ):
                targets.extend(dict(t) for t in page["ScalableTargets"])
            return targets
        ids = sorted(set(resource_ids))
        for start in range(0, len(ids), RESOURCE_IDS_PER_REQUEST):
            chunk = ids[start : start + RESOURCE_IDS_PER_REQUEST]
            for page in paginator.paginate(
                ServiceNamespace=SERVICE_NAMESPACE,
                ResourceIds=chunk,
                PaginationConfig={"PageSize": PAGE_SIZE["describe_scalable_targets"]},
            ):
                targets.extend(dict(t) for t in page["ScalableTargets"])
        return targets

    def target_tags(self, target_arn: str, *, fresh: bool = False) -> dict[str, str]:
        """A target's tags. A target's ARN names one registration, and its tags change only when the app
        writes them, so they are cached for the life of the container; ``fresh`` reads them again
        (before a write that depends on them: another container may have written since)."""
        if fresh or target_arn not in self._tags:
            response = self.client.list_tags_for_resource(ResourceARN=target_arn)
            self._tags[target_arn] = dict(response.get("Tags", {}))
        return dict(self._tags[target_arn])

    def is_owned(self, target_arn: str) -> bool:
        """Whether the app registered this target (it carries the app's ownership tag)."""
        return self.target_tags(target_arn).get(OWNER_TAG_KEY) == OWNER_TAG_VALUE

    def _listing(self, operation: str, key: str, **filters: Any) -> list[dict[str, Any]]:
        """Every item of a paginated SageMaker-namespace listing, at the operation's largest page."""
        paginator: Any = self.client.get_paginator(operation)  # type: ignore[call-overload]
        pages = paginator.paginate(
            ServiceNamespace=SERVICE_NAMESPACE, PaginationConfig={"PageSize": PAGE_SIZE[operation]}, **filters
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

    def register_target(self, spec: TargetSpec, previous_arn: str | None) -> str | None:
        """Create (``previous_arn`` None) or update the target; returns the ARN AAS answers with.

        AAS takes Tags only when the call creates the target, and refuses them on an existing one
        ("The scalable target that you tried to tag already exists"). So a new target is registered
        with its tags and an update without them. If an update's answer names another ARN than the
        target had, a release raced this write and the call created the target anew: the caller tags it.
        """
        tags = ownership_tags(spec)
        request: dict[str, Any] = {"Tags": tags} if previous_arn is None else {}
        try:
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
                **request,
            )
        except ClientError as error:
            if previous_arn is None and is_already_there(error):
                raise TargetAppeared(spec.resource_id) from error
            raise
        arn = response.get("ScalableTargetARN")
        if arn and previous_arn is None:
            self._tags[arn] = dict(tags)
        return str(arn) if arn else None

    def tag_target(self, target_arn: str, tags: dict[str, str]) -> None:
        self.client.tag_resource(ResourceARN=target_arn, Tags=tags)
        if OWNER_TAG_KEY in tags:
            # Tagged as the app's: all that matters of its tags is known now.
            self._tags.setdefault(target_arn, {}).update(tags)
        elif target_arn in self._tags:
            self._tags[target_arn].update(tags)

    def untag_target(self, target_arn: str, keys: list[str]) -> bool:
        """False when the target was already gone."""
        if not done_unless_gone(self.client.untag_resource, ResourceARN=target_arn, TagKeys=keys):
            return False
        for key in keys:
            self._tags.get(target_arn, {}).pop(key, None)
        return True

    def deregister_target(self, resource_id: str, dimension: str) -> bool:
        """False when the target was already gone (SageMaker deregisters deleted endpoints itself)."""
        return done_unless_gone(
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
        return done_unless_gone(
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
        return done_unless_gone(
            self.client.delete_scheduled_action,
            ServiceNamespace=SERVICE_NAMESPACE,
            ResourceId=resource_id,
            ScalableDimension=_dimension(dimension),
            ScheduledActionName=name,
        )
