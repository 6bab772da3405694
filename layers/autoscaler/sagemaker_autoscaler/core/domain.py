"""Domain types shared by the planner, the diff and the adapters.

Everything here is immutable and free of AWS clients, so the pure core can be tested without mocks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from msgspec import Struct, field

from sagemaker_autoscaler.core.schedules import Schedule

SERVICE_NAMESPACE: Final = "sagemaker"
APP_NAME = "sagemaker-autoscaler"

# Everything the app writes carries this prefix (policies, alarms, scheduled actions) or this tag
# (scalable targets), which is how it recognises its own work and leaves everybody else's alone.
NAME_PREFIX = f"{APP_NAME}-"
OWNER_TAG_KEY = "managed-by"
OWNER_TAG_VALUE = APP_NAME
# On the app's own scalable target: the maximum the capacity guard keeps, because the resource was
# running that many instances or copies when the app would otherwise have lowered its maximum.
CAPACITY_FLOOR_TAG_KEY = f"{APP_NAME}:max-capacity-floor"

TARGET_TRACKING_POLICY = f"{NAME_PREFIX}target-tracking"
WAKE_FROM_ZERO_POLICY = f"{NAME_PREFIX}wake-from-zero"


class Dimension(StrEnum):
    INSTANCE_COUNT = "sagemaker:variant:DesiredInstanceCount"
    PROVISIONED_CONCURRENCY = "sagemaker:variant:DesiredProvisionedConcurrency"
    COPY_COUNT = "sagemaker:inference-component:DesiredCopyCount"


class ResourceKind(StrEnum):
    """What a scalable thing is, which decides the dimension and the policies it gets."""

    REALTIME_VARIANT = "realtime-variant"
    ASYNC_VARIANT = "async-variant"
    SERVERLESS_VARIANT = "serverless-variant"
    COMPONENT_HOST_VARIANT = "inference-component-host-variant"
    INFERENCE_COMPONENT = "inference-component"


def variant_resource_id(endpoint_name: str, variant_name: str) -> str:
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


def component_resource_id(component_name: str) -> str:
    return f"inference-component/{component_name}"


def alarm_prefix_for(resource_id: str) -> str:
    """Every alarm the app makes for a resource starts with this (the trailing slash keeps
    ``endpoint/a`` from matching ``endpoint/ab``)."""
    return f"{NAME_PREFIX}{resource_id}/"


def endpoint_alarm_prefix(endpoint_name: str) -> str:
    return f"{NAME_PREFIX}endpoint/{endpoint_name}/"


_ALARM_RESOURCE_ID = re.compile(r"^(endpoint/[^/]+/variant/[^/]+|inference-component/[^/]+)/[^/]+$")


def resource_id_of_alarm(alarm_name: str) -> str | None:
    """The resource an alarm of the app's belongs to ("<prefix><resource id>/<purpose>"), or None for a
    name that only shares the prefix (a stack's own alarms, someone else's): those are never the app's."""
    if not alarm_name.startswith(NAME_PREFIX):
        return None
    match = _ALARM_RESOURCE_ID.match(alarm_name[len(NAME_PREFIX) :])
    return match[1] if match else None


class ManagedInstanceScaling(Struct, frozen=True):
    enabled: bool
    min_instance_count: int | None = None
    max_instance_count: int | None = None


class ScalableResource(Struct, frozen=True):
    """One thing Application Auto Scaling could scale, as SageMaker reports it now."""

    kind: ResourceKind
    endpoint_name: str
    variant_name: str
    tags: Mapping[str, str] = field(default_factory=dict)
    component_name: str | None = None
    # Serverless variants: the on-demand ceiling and the provisioned concurrency, if any.
    serverless_max_concurrency: int | None = None
    provisioned_concurrency: int | None = None
    # Inference components: how the hosting variant's instances follow the copies.
    host_instance_scaling: ManagedInstanceScaling | None = None
    # Instances, copies or provisioned concurrency it runs at now; None when it was not read.
    running_capacity: int | None = None

    @property
    def resource_id(self) -> str:
        if self.kind is ResourceKind.INFERENCE_COMPONENT:
            assert self.component_name is not None
            return component_resource_id(self.component_name)
        return variant_resource_id(self.endpoint_name, self.variant_name)

    @property
    def dimension(self) -> Dimension:
        if self.kind is ResourceKind.INFERENCE_COMPONENT:
            return Dimension.COPY_COUNT
        if self.kind is ResourceKind.SERVERLESS_VARIANT:
            return Dimension.PROVISIONED_CONCURRENCY
        return Dimension.INSTANCE_COUNT


class TargetSpec(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    min_capacity: int
    max_capacity: int
    # Paused by its tag: every kind of scaling suspended, nothing else changed.
    suspended: bool = False
    # The maximum the capacity guard holds (recorded on the target as a tag); None: no guard needed.
    capacity_floor: int | None = None


class PolicySpec(Struct, frozen=True):
    name: str
    policy_type: str  # "TargetTrackingScaling" or "StepScaling"
    configuration: Mapping[str, Any]

    @property
    def configuration_key(self) -> str:
        return (
            "TargetTrackingScalingPolicyConfiguration"
            if self.policy_type == "TargetTrackingScaling"
            else "StepScalingPolicyConfiguration"
        )


class AlarmSpec(Struct, frozen=True):
    """A CloudWatch alarm the app owns; it drives the step policy named ``policy_name``."""

    name: str
    policy_name: str
    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...]
    statistic: str
    period: int
    evaluation_periods: int
    threshold: float
    comparison: str
    treat_missing_data: str = "notBreaching"


class ScheduledActionSpec(Struct, frozen=True):
    name: str
    schedule: str
    timezone: str
    min_capacity: int
    max_capacity: int
    start_time: datetime | None = None
    end_time: datetime | None = None


class DesiredScaling(Struct, frozen=True):
    target: TargetSpec
    policies: tuple[PolicySpec, ...] = ()
    alarms: tuple[AlarmSpec, ...] = ()
    scheduled_actions: tuple[ScheduledActionSpec, ...] = ()
    # An operator paused the resource: suspend the target and change nothing else until resumed.
    paused: bool = False


class Severity(StrEnum):
    INVALID = "invalid"  # the value was unusable and the documented fallback applies
    ADJUSTED = "adjusted"  # the value was valid but outside what this kind allows, so it was moved
    IGNORED = "ignored"  # the setting does not apply to this kind


class ConfigProblem(Struct, frozen=True):
    setting: str
    value: str
    severity: Severity
    message: str


class PlanWarning(Struct, frozen=True):
    """Something about the resource worth an operator's attention; ``code`` is also the metric name."""

    code: str
    message: str


class Phases(Struct, frozen=True):
    """How a managed resource's bounds change over time: ``open_bounds`` while its schedule (warm-up lead
    included) is open or a keep-on-until holds, ``closed_bounds`` otherwise. No schedule: always open.
    What the savings report reads; the scheduled actions say the same thing in AWS's terms."""

    open_bounds: tuple[int, int]
    closed_bounds: tuple[int, int]
    schedule: Schedule | None = None
    holidays: tuple[date, ...] = ()
    keep_on_until: datetime | None = None


class Plan(Struct, frozen=True):
    """The planner's verdict for one resource: the scaling it should have, or why it should have none."""

    resource: ScalableResource
    desired: DesiredScaling | None
    reason: str
    problems: tuple[ConfigProblem, ...] = ()
    # Tags whose job is done (an expired keep-on-until) and that the reconcile removes.
    expired_tags: tuple[tuple[str, str], ...] = ()
    warnings: tuple[PlanWarning, ...] = ()
    phases: Phases | None = None  # set when ``desired`` is
