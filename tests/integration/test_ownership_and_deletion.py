"""Deletion removes everything the app made; configuration made by anyone else is never touched."""

from __future__ import annotations

from typing import Any

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.builders import (
    configured_endpoint,
    delete_component_and_deliver,
    delete_endpoint_and_deliver,
    tag_and_deliver,
)
from tests.support.recording import CallRecorder, LogCapture


def register_by_hand(autoscaling: Any, resource_id: str, dimension: str) -> None:
    """A team's own scaling: a target without the app's tag, and a policy of their own."""
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=dimension,
        MinCapacity=2,
        MaxCapacity=2,
    )
    autoscaling.put_scaling_policy(
        PolicyName="team-steady-state",
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=dimension,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 500.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
            },
        },
    )


def test_deleting_an_endpoint_removes_its_target_policies_and_alarm(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given a configured async endpoint (target, two policies, one alarm)
    configured_endpoint(stack, sagemaker, "batch-embed", kind="async")
    assert describe_scaling()["_alarms"]
    # When it is deleted
    delete_endpoint_and_deliver(stack, sagemaker, "batch-embed")
    # Then no target, policy, scheduled action or alarm of the app is left
    assert describe_scaling() == {"_alarms": []}
    # ...and nothing is waiting to be retried
    assert stack.pending() == 0


def test_deleting_a_component_removes_its_scaling_and_leaves_its_neighbour(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    resources.create_inference_component(sagemaker, "llama-8b", "llm-shared")
    stack.publish(
        aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared"),
        aws_events.component_call("CreateInferenceComponent", "llama-8b", "llm-shared"),
    )
    stack.drain()
    delete_component_and_deliver(stack, sagemaker, "mistral-7b")
    state = describe_scaling()
    assert set(state) == {"inference-component/llama-8b", "_alarms"}
    assert state["_alarms"] == ["sagemaker-autoscaler-inference-component/llama-8b/wake-from-zero"]


def test_a_target_registered_by_a_team_is_never_modified_or_deleted(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, aws: CallRecorder, logs: LogCapture
) -> None:
    # Given an endpoint whose team configured scaling by hand before the event arrived
    resources.create_realtime_endpoint(sagemaker, "fraud-model")
    rid = "endpoint/fraud-model/variant/AllTraffic"
    register_by_hand(autoscaling, rid, "sagemaker:variant:DesiredInstanceCount")
    before = describe_scaling()
    aws.clear()
    # When it comes into service, is re-tagged, and is finally deleted
    stack.publish(aws_events.endpoint_state_change("fraud-model", "IN_SERVICE"))
    stack.publish(aws_events.tags_call("AddTags", aws_events.endpoint_arn("fraud-model"), {"x": "y"}))
    stack.drain()
    after_events = describe_scaling()
    delete_endpoint_and_deliver(stack, sagemaker, "fraud-model")
    # Then the app wrote nothing, the team's target and policy are as they were, and the skip was logged
    assert aws.writes() == []
    assert after_events == before
    assert describe_scaling() == before
    skips = [
        line["decision"] for line in logs.with_key("decision") if line["decision"]["decision"] == "skipped"
    ]
    assert len(skips) == 3 and all(skip["resource_id"] == rid for skip in skips)


def test_opting_out_keeps_a_target_that_a_team_added_a_policy_to(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    # Given an app-managed endpoint to whose target a team added a policy of its own
    configured_endpoint(stack, sagemaker, "chat")
    rid = "endpoint/chat/variant/AllTraffic"
    autoscaling.put_scaling_policy(
        PolicyName="team-extra",
        ServiceNamespace="sagemaker",
        ResourceId=rid,
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        },
    )
    # When the endpoint is opted out by tag
    tag_and_deliver(stack, sagemaker, aws_events.endpoint_arn("chat"), {"autoscaler:enabled": "false"})
    # Then the app's policy is gone, and the team's policy (and so the target) stay
    state = describe_scaling()
    assert state[rid]["policies"] == ["team-extra"]


def test_an_alarm_someone_else_made_on_the_same_metric_is_untouched(
    stack: EmulatedStack, sagemaker: Any, cloudwatch: Any
) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName="team-batch-embed-backlog",
        Namespace="AWS/SageMaker",
        MetricName="HasBacklogWithoutCapacity",
        Dimensions=[{"Name": "EndpointName", "Value": "batch-embed"}],
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    configured_endpoint(stack, sagemaker, "batch-embed", kind="async")
    delete_endpoint_and_deliver(stack, sagemaker, "batch-embed")
    assert describe_scaling() == {"_alarms": ["team-batch-embed-backlog"]}
