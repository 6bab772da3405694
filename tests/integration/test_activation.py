"""Each kind of resource ends in exactly the documented target, policies and alarms."""

from __future__ import annotations

from typing import Any

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.builders import configured_component, configured_endpoint

OWNED = {"managed-by": "sagemaker-autoscaler"}
TRACKING = "sagemaker-autoscaler-target-tracking"
WAKE = "sagemaker-autoscaler-wake-from-zero"


def policy(autoscaling: Any, resource_id: str, name: str) -> dict[str, Any]:
    [found] = [
        p
        for p in autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker", ResourceId=resource_id)[
            "ScalingPolicies"
        ]
        if p["PolicyName"] == name
    ]
    return dict(found)


def test_realtime_variant_gets_a_target_and_invocations_tracking(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    # Given a real-time endpoint in service, When its IN_SERVICE event is delivered
    configured_endpoint(stack, sagemaker, "chat")
    # Then its variant has the default bounds and one target-tracking policy, and nothing else
    rid = "endpoint/chat/variant/AllTraffic"
    assert describe_scaling() == {
        rid: {
            "dimension": "sagemaker:variant:DesiredInstanceCount",
            "min": 1,
            "max": 4,
            "tags": OWNED,
            "policies": [TRACKING],
            "scheduled_actions": [],
        },
        "_alarms": [],
    }
    configuration = policy(autoscaling, rid, TRACKING)["TargetTrackingScalingPolicyConfiguration"]
    assert configuration["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
    }
    assert configuration["TargetValue"] == 70.0


def test_async_variant_tracks_backlog_and_wakes_from_zero(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, cloudwatch: Any
) -> None:
    configured_endpoint(stack, sagemaker, "batch-embed", kind="async", tags={"autoscaler:min-capacity": "0"})
    rid = "endpoint/batch-embed/variant/AllTraffic"
    state = describe_scaling()
    assert state[rid]["min"] == 0 and state[rid]["max"] == 4
    assert state[rid]["policies"] == [TRACKING, WAKE]
    alarm_name = f"sagemaker-autoscaler-{rid}/wake-from-zero"
    assert state["_alarms"] == [alarm_name]
    tracking = policy(autoscaling, rid, TRACKING)["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["CustomizedMetricSpecification"]["MetricName"] == "ApproximateBacklogSizePerInstance"
    wake = policy(autoscaling, rid, WAKE)
    [alarm] = cloudwatch.describe_alarms(AlarmNames=[alarm_name])["MetricAlarms"]
    assert alarm["MetricName"] == "HasBacklogWithoutCapacity"
    assert alarm["Dimensions"] == [{"Name": "EndpointName", "Value": "batch-embed"}]
    assert alarm["AlarmActions"] == [wake["PolicyARN"]]


def test_serverless_with_provisioned_concurrency_tracks_utilisation(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    resources.create_serverless_endpoint(sagemaker, "small-model", provisioned_concurrency=2)
    resources.create_serverless_endpoint(sagemaker, "tiny-model", provisioned_concurrency=None)
    stack.publish(
        aws_events.endpoint_state_change("small-model", "IN_SERVICE"),
        aws_events.endpoint_state_change("tiny-model", "IN_SERVICE"),
    )
    stack.drain()
    rid = "endpoint/small-model/variant/AllTraffic"
    state = describe_scaling()
    # Without provisioned concurrency there is nothing to scale: only small-model is registered.
    assert set(state) == {rid, "_alarms"}
    assert state[rid]["dimension"] == "sagemaker:variant:DesiredProvisionedConcurrency"
    configuration = policy(autoscaling, rid, TRACKING)["TargetTrackingScalingPolicyConfiguration"]
    assert configuration["PredefinedMetricSpecification"]["PredefinedMetricType"] == (
        "SageMakerVariantProvisionedConcurrencyUtilization"
    )


def test_inference_component_gets_copy_count_scaling_and_its_host_variant_is_not_registered(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    resources.create_component_endpoint(sagemaker, "llm-shared")
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    stack.publish(
        aws_events.endpoint_state_change("llm-shared", "IN_SERVICE"),
        aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared"),
    )
    stack.drain()
    rid = "inference-component/mistral-7b"
    state = describe_scaling()
    assert set(state) == {rid, "_alarms"}
    assert state[rid]["dimension"] == "sagemaker:inference-component:DesiredCopyCount"
    assert state[rid]["policies"] == [TRACKING]
    assert state["_alarms"] == []
    configuration = policy(autoscaling, rid, TRACKING)["TargetTrackingScalingPolicyConfiguration"]
    assert configuration["PredefinedMetricSpecification"]["PredefinedMetricType"] == (
        "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
    )


def test_inference_component_at_minimum_zero_can_wake_from_zero(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, cloudwatch: Any
) -> None:
    configured_component(stack, sagemaker, "mistral-7b", endpoint_tags={"autoscaler:min-capacity": "0"})
    rid = "inference-component/mistral-7b"
    state = describe_scaling()
    # The component inherits the endpoint's tag.
    assert state[rid]["min"] == 0
    assert state[rid]["policies"] == [TRACKING, WAKE]
    prefix = "sagemaker-autoscaler-inference-component/"
    [alarm] = cloudwatch.describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]
    assert alarm["MetricName"] == "NoCapacityInvocationFailures"
    assert alarm["Dimensions"] == [{"Name": "InferenceComponentName", "Value": "mistral-7b"}]
    assert alarm["AlarmActions"] == [policy(autoscaling, rid, WAKE)["PolicyARN"]]
