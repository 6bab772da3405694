"""The pure planner: what a resource is + its configuration -> the scaling it should have."""

from datetime import UTC, datetime

from sagemaker_autoscaler.core.domain import (
    TARGET_TRACKING_POLICY,
    WAKE_FROM_ZERO_POLICY,
    Dimension,
    ResourceKind,
    ScalableResource,
    Severity,
)
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.settings import ManagementMode, MetricChoice, Settings

SETTINGS = Settings()
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def variant(kind: ResourceKind, tags: dict[str, str] | None = None, **extra: object) -> ScalableResource:
    return ScalableResource(kind, "llm-chat", "AllTraffic", tags or {}, **extra)  # type: ignore[arg-type]


def component(tags: dict[str, str] | None = None) -> ScalableResource:
    return ScalableResource(
        ResourceKind.INFERENCE_COMPONENT, "llm-chat", "AllTraffic", tags or {}, component_name="mistral-7b"
    )


def tracking_metric(plan_config: dict) -> str:  # type: ignore[type-arg]
    return str(plan_config["PredefinedMetricSpecification"]["PredefinedMetricType"])


def test_realtime_variant_tracks_invocations_per_instance_by_default() -> None:
    plan = plan_resource(variant(ResourceKind.REALTIME_VARIANT), SETTINGS, NOW)
    assert plan.desired is not None
    target = plan.desired.target
    assert (target.resource_id, target.dimension) == (
        "endpoint/llm-chat/variant/AllTraffic",
        Dimension.INSTANCE_COUNT,
    )
    assert (target.min_capacity, target.max_capacity) == (1, 4)
    [policy] = plan.desired.policies
    assert policy.name == TARGET_TRACKING_POLICY and policy.policy_type == "TargetTrackingScaling"
    assert tracking_metric(dict(policy.configuration)) == "SageMakerVariantInvocationsPerInstance"
    assert policy.configuration["TargetValue"] == 70.0
    assert plan.desired.alarms == ()


def test_realtime_variant_can_track_high_resolution_concurrency() -> None:
    settings = Settings(realtime_metric=MetricChoice.CONCURRENCY)
    plan = plan_resource(variant(ResourceKind.REALTIME_VARIANT), settings, NOW)
    assert plan.desired is not None
    policy = plan.desired.policies[0]
    assert (
        tracking_metric(dict(policy.configuration))
        == "SageMakerVariantConcurrentRequestsPerModelHighResolution"
    )
    assert policy.configuration["TargetValue"] == 4.0


def test_realtime_variant_never_goes_below_one_instance() -> None:
    plan = plan_resource(
        variant(ResourceKind.REALTIME_VARIANT, {"autoscaler:min-capacity": "0"}), SETTINGS, NOW
    )
    assert plan.desired is not None and plan.desired.target.min_capacity == 1
    assert [p.severity for p in plan.problems] == [Severity.ADJUSTED]
    # An account default of 0 (meant for components) is floored too, without blaming a tag.
    plan = plan_resource(variant(ResourceKind.REALTIME_VARIANT), Settings(min_capacity=0), NOW)
    assert plan.desired is not None and plan.desired.target.min_capacity == 1
    assert plan.problems == ()


def test_async_variant_tracks_backlog_and_can_wake_from_zero() -> None:
    plan = plan_resource(variant(ResourceKind.ASYNC_VARIANT, {"autoscaler:min-capacity": "0"}), SETTINGS, NOW)
    assert plan.desired is not None
    assert plan.desired.target.min_capacity == 0
    tracking, wake = plan.desired.policies
    custom = tracking.configuration["CustomizedMetricSpecification"]
    assert custom["MetricName"] == "ApproximateBacklogSizePerInstance"
    assert custom["Dimensions"] == [{"Name": "EndpointName", "Value": "llm-chat"}]
    assert tracking.configuration["TargetValue"] == 5.0
    assert wake.name == WAKE_FROM_ZERO_POLICY and wake.policy_type == "StepScaling"
    assert wake.configuration["StepAdjustments"] == [
        {"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}
    ]
    [alarm] = plan.desired.alarms
    assert (alarm.metric_name, alarm.dimensions) == (
        "HasBacklogWithoutCapacity",
        (("EndpointName", "llm-chat"),),
    )
    assert alarm.policy_name == WAKE_FROM_ZERO_POLICY
    assert alarm.name == "sagemaker-autoscaler-endpoint/llm-chat/variant/AllTraffic/wake-from-zero"


def test_async_variant_ignores_a_metric_tag() -> None:
    plan = plan_resource(
        variant(ResourceKind.ASYNC_VARIANT, {"autoscaler:metric": "concurrency"}), SETTINGS, NOW
    )
    assert plan.desired is not None
    assert "CustomizedMetricSpecification" in plan.desired.policies[0].configuration
    assert [p.severity for p in plan.problems] == [Severity.IGNORED]


def test_serverless_with_provisioned_concurrency_tracks_its_utilisation_within_max_concurrency() -> None:
    resource = variant(
        ResourceKind.SERVERLESS_VARIANT,
        {"autoscaler:max-capacity": "50"},
        serverless_max_concurrency=20,
        provisioned_concurrency=5,
    )
    plan = plan_resource(resource, SETTINGS, NOW)
    assert plan.desired is not None
    assert plan.desired.target.dimension is Dimension.PROVISIONED_CONCURRENCY
    assert plan.desired.target.max_capacity == 20
    [policy] = plan.desired.policies
    assert tracking_metric(dict(policy.configuration)) == "SageMakerVariantProvisionedConcurrencyUtilization"
    assert policy.configuration["TargetValue"] == 0.7


def test_serverless_utilisation_target_above_one_is_invalid() -> None:
    resource = variant(
        ResourceKind.SERVERLESS_VARIANT,
        {"autoscaler:target-value": "70"},
        serverless_max_concurrency=20,
        provisioned_concurrency=5,
    )
    plan = plan_resource(resource, SETTINGS, NOW)
    assert plan.desired is not None and plan.desired.policies[0].configuration["TargetValue"] == 0.7
    assert [p.severity for p in plan.problems] == [Severity.INVALID]


def test_serverless_without_provisioned_concurrency_needs_nothing() -> None:
    plan = plan_resource(
        variant(ResourceKind.SERVERLESS_VARIANT, serverless_max_concurrency=20), SETTINGS, NOW
    )
    assert plan.desired is None
    assert "without provisioned concurrency" in plan.reason


def test_a_variant_hosting_inference_components_is_not_registered() -> None:
    plan = plan_resource(variant(ResourceKind.COMPONENT_HOST_VARIANT), SETTINGS, NOW)
    assert plan.desired is None
    assert "hosts inference components" in plan.reason


def test_inference_component_tracks_concurrent_requests_per_copy() -> None:
    plan = plan_resource(component(), SETTINGS, NOW)
    assert plan.desired is not None
    assert plan.desired.target.resource_id == "inference-component/mistral-7b"
    assert plan.desired.target.dimension is Dimension.COPY_COUNT
    [policy] = plan.desired.policies
    assert (
        tracking_metric(dict(policy.configuration))
        == "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
    )
    assert plan.desired.alarms == ()


def test_inference_component_at_minimum_zero_gets_the_wake_from_zero_policy_and_alarm() -> None:
    plan = plan_resource(
        component({"autoscaler:min-capacity": "0", "autoscaler:metric": "invocations"}), SETTINGS, NOW
    )
    assert plan.desired is not None
    tracking, wake = plan.desired.policies
    assert tracking_metric(dict(tracking.configuration)) == "SageMakerInferenceComponentInvocationsPerCopy"
    assert wake.name == WAKE_FROM_ZERO_POLICY
    [alarm] = plan.desired.alarms
    assert alarm.metric_name == "NoCapacityInvocationFailures"
    assert alarm.dimensions == (("InferenceComponentName", "mistral-7b"),)
    assert (alarm.statistic, alarm.period, alarm.threshold) == ("Maximum", 30, 1.0)


def test_opted_out_resource_gets_no_scaling() -> None:
    plan = plan_resource(component({"autoscaler:enabled": "false"}), SETTINGS, NOW)
    assert plan.desired is None
    assert "opted out" in plan.reason


def test_opt_in_mode_leaves_untagged_resources_alone() -> None:
    plan = plan_resource(component(), Settings(mode=ManagementMode.OPT_IN), NOW)
    assert plan.desired is None
    assert "opt-in" in plan.reason


def test_tag_cooldowns_and_target_reach_the_policy() -> None:
    tags = {"autoscaler:target-value": "12", "autoscaler:scale-in-cooldown": "900"}
    plan = plan_resource(variant(ResourceKind.REALTIME_VARIANT, tags), SETTINGS, NOW)
    assert plan.desired is not None
    configuration = plan.desired.policies[0].configuration
    assert (configuration["TargetValue"], configuration["ScaleInCooldown"]) == (12.0, 900)
