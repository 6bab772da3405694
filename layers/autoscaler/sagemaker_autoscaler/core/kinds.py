"""What each kind of resource gets, in one table: "what does an async variant get?" is one row.

A row says how low its capacity can go, what target tracking follows (a metric the user may choose, or a
fixed one), its default target, what brings it back from zero (a step policy and the alarm that fires it),
and what it is counted in (for log lines). Kinds not in the table (a variant hosting inference
components) are never registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from msgspec import Struct

from sagemaker_autoscaler.core.domain import (
    WAKE_FROM_ZERO_POLICY,
    AlarmSpec,
    PlanWarning,
    PolicySpec,
    ResourceKind,
    ScalableResource,
    alarm_prefix_for,
)
from sagemaker_autoscaler.core.settings import MetricChoice, Settings

SAGEMAKER_NAMESPACE = "AWS/SageMaker"


class WakeRule(Struct, frozen=True):
    """The alarm that brings the first unit back from zero: at zero capacity target tracking has no
    per-instance metric to act on, so a step policy fired by "work arrived but nothing can serve it"
    adds one."""

    metric_name: str
    dimension_name: str  # EndpointName or InferenceComponentName
    statistic: str
    period: int
    # True: always present (async: the backlog alarm is how it leaves zero at all); False: only where the
    # minimum can reach zero with room to grow.
    always: bool


class KindRules(Struct, frozen=True):
    unit: str  # what its capacity counts
    floor: int  # the lowest capacity it can run at
    floor_reason: str | None  # why, when a tag asks for less
    off_hours_floor_warning: PlanWarning | None  # said when business hours would take it below its floor
    # Target tracking: metric names by the user's choice, or None for the kind's fixed metric
    predefined_metrics: Mapping[MetricChoice, str] | None
    fixed_metric: Callable[[ScalableResource], dict[str, Any]] | None
    default_target: Callable[[Settings, MetricChoice | None], float]
    target_ceiling: float | None  # a target above this is invalid (a utilisation is a fraction)
    wake: WakeRule | None
    # Zero copies save money only where the host variant's instances can go too.
    zero_needs_host_scaling: bool = False
    # How long before an opening capacity is asked for, by default (README, Schedules: warm-up).
    warm_up_minutes: int = 0

    def metric_specification(self, resource: ScalableResource, metric: MetricChoice | None) -> dict[str, Any]:
        if self.fixed_metric is not None:
            return self.fixed_metric(resource)
        assert self.predefined_metrics is not None and metric is not None
        return {"PredefinedMetricSpecification": {"PredefinedMetricType": self.predefined_metrics[metric]}}


def _backlog_per_instance(resource: ScalableResource) -> dict[str, Any]:
    return {
        "CustomizedMetricSpecification": {
            "MetricName": "ApproximateBacklogSizePerInstance",
            "Namespace": SAGEMAKER_NAMESPACE,
            "Dimensions": [{"Name": "EndpointName", "Value": resource.endpoint_name}],
            "Statistic": "Average",
        }
    }


def _provisioned_concurrency_utilisation(_: ScalableResource) -> dict[str, Any]:
    return {
        "PredefinedMetricSpecification": {
            "PredefinedMetricType": "SageMakerVariantProvisionedConcurrencyUtilization"
        }
    }


def _by_metric(settings: Settings, metric: MetricChoice | None) -> float:
    return settings.target_concurrency if metric is MetricChoice.CONCURRENCY else settings.target_invocations


RULES: dict[ResourceKind, KindRules] = {
    # A real-time variant cannot run on zero instances: the endpoint would stop answering.
    ResourceKind.REALTIME_VARIANT: KindRules(
        unit="instances",
        floor=1,
        floor_reason="real-time variants keep at least 1 instance",
        off_hours_floor_warning=PlanWarning(
            "RealtimeOffHoursFloor",
            "real-time variants cannot scale to zero: outside business hours they keep 1 instance",
        ),
        predefined_metrics={
            MetricChoice.INVOCATIONS: "SageMakerVariantInvocationsPerInstance",
            MetricChoice.CONCURRENCY: "SageMakerVariantConcurrentRequestsPerModelHighResolution",
        },
        fixed_metric=None,
        default_target=_by_metric,
        target_ceiling=None,
        wake=None,
        # From the 1-instance floor: the extra instances launch and load the model while one serves.
        warm_up_minutes=10,
    ),
    # Requests queue up in the backlog: the per-minute average says there is work waiting.
    ResourceKind.ASYNC_VARIANT: KindRules(
        unit="instances",
        floor=0,
        floor_reason=None,
        off_hours_floor_warning=None,
        predefined_metrics=None,
        fixed_metric=_backlog_per_instance,
        default_target=lambda settings, _: settings.target_backlog,
        target_ceiling=None,
        wake=WakeRule("HasBacklogWithoutCapacity", "EndpointName", "Average", 60, always=True),
        # From zero instances: an instance launches and loads the model before any request is answered.
        warm_up_minutes=15,
    ),
    # Provisioned concurrency is at least 1 (SageMaker guide: "Set MinCapacity to at least 1"); above it,
    # on-demand serverless capacity answers.
    ResourceKind.SERVERLESS_VARIANT: KindRules(
        unit="provisioned concurrency",
        floor=1,
        floor_reason="provisioned concurrency is at least 1",
        off_hours_floor_warning=PlanWarning(
            "ProvisionedConcurrencyOffHoursFloor",
            "provisioned concurrency cannot go below 1: outside business hours it keeps 1, and on-demand "
            "serverless capacity answers above it",
        ),
        predefined_metrics=None,
        fixed_metric=_provisioned_concurrency_utilisation,
        default_target=lambda settings, _: settings.target_provisioned_utilization,
        target_ceiling=1.0,
        wake=None,
        # From 1: on-demand serverless capacity answers meanwhile, so the lead only spares cold starts.
        warm_up_minutes=5,
    ),
    # Requests fail at once when no copy can serve them: the high-resolution maximum reacts in 30 s.
    ResourceKind.INFERENCE_COMPONENT: KindRules(
        unit="copies",
        floor=0,
        floor_reason=None,
        off_hours_floor_warning=None,
        predefined_metrics={
            MetricChoice.INVOCATIONS: "SageMakerInferenceComponentInvocationsPerCopy",
            MetricChoice.CONCURRENCY: "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
        },
        fixed_metric=None,
        default_target=_by_metric,
        target_ceiling=None,
        wake=WakeRule("NoCapacityInvocationFailures", "InferenceComponentName", "Maximum", 30, always=False),
        zero_needs_host_scaling=True,
        # From zero copies (AWS: "several minutes"; one measured wake took 9 min 24 s to its first answer).
        warm_up_minutes=15,
    ),
}


def default_metric(kind: ResourceKind, settings: Settings) -> MetricChoice:
    return settings.component_metric if kind is ResourceKind.INFERENCE_COMPONENT else settings.realtime_metric


def wake_alarm(wake: WakeRule, resource: ScalableResource) -> AlarmSpec:
    """The alarm that fires the wake-from-zero step policy (the app creates and deletes it: step scaling,
    unlike target tracking, makes no alarm of its own)."""
    watched = resource.endpoint_name if wake.dimension_name == "EndpointName" else resource.component_name
    assert watched is not None
    return AlarmSpec(
        name=alarm_prefix_for(resource.resource_id) + "wake-from-zero",
        policy_name=WAKE_FROM_ZERO_POLICY,
        namespace=SAGEMAKER_NAMESPACE,
        metric_name=wake.metric_name,
        dimensions=((wake.dimension_name, watched),),
        statistic=wake.statistic,
        period=wake.period,
        evaluation_periods=1,
        threshold=1.0,
        comparison="GreaterThanOrEqualToThreshold",
    )


def wake_policy(cooldown: int) -> PolicySpec:
    """One more unit whenever the wake alarm fires, then the cooldown."""
    return PolicySpec(
        WAKE_FROM_ZERO_POLICY,
        "StepScaling",
        {
            "AdjustmentType": "ChangeInCapacity",
            "MetricAggregationType": "Maximum",
            "Cooldown": cooldown,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        },
    )
