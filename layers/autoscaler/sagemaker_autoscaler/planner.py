"""The pure planner: what a resource is, plus its configuration, gives the scaling it should have."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import (
    TARGET_TRACKING_POLICY,
    WAKE_FROM_ZERO_POLICY,
    AlarmSpec,
    ConfigProblem,
    DesiredScaling,
    Plan,
    PolicySpec,
    ResourceKind,
    ScalableResource,
    Severity,
    TargetSpec,
    alarm_prefix_for,
)
from .overrides import METRIC, MIN_CAPACITY, TARGET_VALUE, ResourceConfig, resolve_config
from .settings import MetricChoice, Settings

SAGEMAKER_NAMESPACE = "AWS/SageMaker"

_PREDEFINED_METRIC = {
    (ResourceKind.REALTIME_VARIANT, MetricChoice.INVOCATIONS): "SageMakerVariantInvocationsPerInstance",
    (
        ResourceKind.REALTIME_VARIANT,
        MetricChoice.CONCURRENCY,
    ): "SageMakerVariantConcurrentRequestsPerModelHighResolution",
    (
        ResourceKind.INFERENCE_COMPONENT,
        MetricChoice.INVOCATIONS,
    ): "SageMakerInferenceComponentInvocationsPerCopy",
    (
        ResourceKind.INFERENCE_COMPONENT,
        MetricChoice.CONCURRENCY,
    ): "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
}


def plan_resource(resource: ScalableResource, settings: Settings) -> Plan:
    """Decide the scaling one resource should have, from its tags and the account settings."""
    if resource.kind is ResourceKind.COMPONENT_HOST_VARIANT:
        return Plan(resource, None, "hosts inference components: its instances follow their copies")
    if resource.kind is ResourceKind.SERVERLESS_VARIANT and not resource.provisioned_concurrency:
        return Plan(resource, None, "serverless without provisioned concurrency: nothing to scale")

    config, problems = resolve_config(resource.tags, settings)
    if not config.enabled:
        return Plan(resource, None, _disabled_reason(settings), problems)

    builder = _KindRules(resource, config, settings)
    desired = builder.desired()
    return Plan(resource, desired, "managed", problems + tuple(builder.problems))


def _disabled_reason(settings: Settings) -> str:
    key = f"{settings.tag_prefix}enabled"
    if settings.mode.value == "opt-in":
        return f"not opted in (opt-in mode: tag {key}=true to manage)"
    return f"opted out by tag {key}"


class _KindRules:
    """The per-kind rules: bounds, metric and the policies each kind of resource gets."""

    def __init__(self, resource: ScalableResource, config: ResourceConfig, settings: Settings) -> None:
        self.resource = resource
        self.config = config
        self.settings = settings
        self.problems: list[ConfigProblem] = []

    def note(self, setting: str, value: object, severity: Severity, message: str) -> None:
        self.problems.append(ConfigProblem(self.settings.tag_prefix + setting, str(value), severity, message))

    def bounds(self) -> tuple[int, int]:
        low, high = self.config.min_capacity, self.config.max_capacity
        kind = self.resource.kind
        if kind is ResourceKind.REALTIME_VARIANT and low < 1:
            # A real-time instance variant cannot run on zero instances: AAS would refuse, and the
            # endpoint would stop answering. One instance is the floor.
            if MIN_CAPACITY in self.config.from_tags:
                self.note(MIN_CAPACITY, low, Severity.ADJUSTED, "real-time variants keep at least 1 instance")
            low = 1
        if kind is ResourceKind.SERVERLESS_VARIANT and self.resource.serverless_max_concurrency:
            ceiling = self.resource.serverless_max_concurrency
            if high > ceiling:
                # Provisioned concurrency can never exceed the variant's MaxConcurrency.
                high = ceiling
                low = min(low, high)
        return low, high

    def metric(self) -> MetricChoice | None:
        kind = self.resource.kind
        if kind in (ResourceKind.ASYNC_VARIANT, ResourceKind.SERVERLESS_VARIANT):
            if self.config.metric is not None:
                self.note(METRIC, self.config.metric, Severity.IGNORED, f"{kind.value}s use a fixed metric")
            return None
        if self.config.metric is not None:
            return self.config.metric
        if kind is ResourceKind.INFERENCE_COMPONENT:
            return self.settings.component_metric
        return self.settings.realtime_metric

    def target_value(self, metric: MetricChoice | None) -> float:
        kind = self.resource.kind
        if kind is ResourceKind.SERVERLESS_VARIANT:
            default = self.settings.target_provisioned_utilization
        elif kind is ResourceKind.ASYNC_VARIANT:
            default = self.settings.target_backlog
        elif metric is MetricChoice.CONCURRENCY:
            default = self.settings.target_concurrency
        else:
            default = self.settings.target_invocations
        value = self.config.target_value
        if value is None:
            return default
        if kind is ResourceKind.SERVERLESS_VARIANT and value > 1:
            self.note(
                TARGET_VALUE,
                value,
                Severity.INVALID,
                f"provisioned-concurrency utilisation is a fraction in (0, 1]; using {default}",
            )
            return default
        return value

    def desired(self) -> DesiredScaling:
        low, high = self.bounds()
        metric = self.metric()
        target = TargetSpec(self.resource.resource_id, self.resource.dimension, low, high)
        tracking = PolicySpec(
            TARGET_TRACKING_POLICY,
            "TargetTrackingScaling",
            {
                "TargetValue": self.target_value(metric),
                **self.metric_specification(metric),
                "ScaleInCooldown": self.config.scale_in_cooldown,
                "ScaleOutCooldown": self.config.scale_out_cooldown,
            },
        )
        policies = [tracking]
        alarms: list[AlarmSpec] = []
        wake = self.wake_from_zero_alarm(low)
        if wake is not None:
            policies.append(_wake_policy(self.config.scale_out_cooldown))
            alarms.append(wake)
        return DesiredScaling(target, tuple(policies), tuple(alarms))

    def metric_specification(self, metric: MetricChoice | None) -> Mapping[str, Any]:
        kind = self.resource.kind
        if kind is ResourceKind.ASYNC_VARIANT:
            return {
                "CustomizedMetricSpecification": {
                    "MetricName": "ApproximateBacklogSizePerInstance",
                    "Namespace": SAGEMAKER_NAMESPACE,
                    "Dimensions": [{"Name": "EndpointName", "Value": self.resource.endpoint_name}],
                    "Statistic": "Average",
                }
            }
        if kind is ResourceKind.SERVERLESS_VARIANT:
            predefined = "SageMakerVariantProvisionedConcurrencyUtilization"
        else:
            assert metric is not None
            predefined = _PREDEFINED_METRIC[(kind, metric)]
        return {"PredefinedMetricSpecification": {"PredefinedMetricType": predefined}}

    def wake_from_zero_alarm(self, low: int) -> AlarmSpec | None:
        """At zero capacity target tracking has no per-instance metric to act on, so a step policy
        fired by SageMaker's "request arrived but nothing can serve it" metric brings the first unit back."""
        kind = self.resource.kind
        name = alarm_prefix_for(self.resource.resource_id) + "wake-from-zero"
        if kind is ResourceKind.ASYNC_VARIANT:
            return AlarmSpec(
                name=name,
                policy_name=WAKE_FROM_ZERO_POLICY,
                namespace=SAGEMAKER_NAMESPACE,
                metric_name="HasBacklogWithoutCapacity",
                dimensions=(("EndpointName", self.resource.endpoint_name),),
                statistic="Average",
                period=60,
                evaluation_periods=1,
                threshold=1.0,
                comparison="GreaterThanOrEqualToThreshold",
            )
        if kind is ResourceKind.INFERENCE_COMPONENT and low == 0:
            assert self.resource.component_name is not None
            return AlarmSpec(
                name=name,
                policy_name=WAKE_FROM_ZERO_POLICY,
                namespace=SAGEMAKER_NAMESPACE,
                metric_name="NoCapacityInvocationFailures",
                dimensions=(("InferenceComponentName", self.resource.component_name),),
                statistic="Maximum",
                period=30,
                evaluation_periods=1,
                threshold=1.0,
                comparison="GreaterThanOrEqualToThreshold",
            )
        return None


def _wake_policy(cooldown: int) -> PolicySpec:
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
