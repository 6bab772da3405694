"""Events are hints: duplicates, stale and out-of-order events converge on what AWS says now."""

from __future__ import annotations

from typing import Any

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.builders import configured_endpoint
from tests.support.recording import CallRecorder, LogCapture


def test_the_same_event_three_times_leaves_the_same_state_and_the_repeats_write_nothing(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given an async endpoint (target, two policies, an alarm) and an endpoint with a component
    resources.create_async_endpoint(sagemaker, "batch-embed")
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    events = [
        aws_events.endpoint_state_change("batch-embed", "IN_SERVICE"),
        aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared"),
    ]
    # When the events are delivered once
    stack.publish(*events)
    stack.drain()
    once = describe_scaling()
    first_writes = aws.writes()
    # ...and then twice more
    aws.clear()
    stack.publish(*events)
    stack.publish(*events)
    report = stack.drain()
    # Then the state is the same, and the repeats made no write at all
    assert report.messages == 4 and report.failed_messages == 0
    assert describe_scaling() == once
    assert len(first_writes) == 8  # 2 targets, 4 policies, 2 alarms
    assert aws.writes() == []


def test_in_service_for_an_endpoint_already_deleted_creates_nothing(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given an endpoint that was created and deleted before its IN_SERVICE event arrived
    resources.create_realtime_endpoint(sagemaker, "short-lived")
    sagemaker.delete_endpoint(EndpointName="short-lived")
    # When the late IN_SERVICE event is delivered
    stack.publish(aws_events.endpoint_state_change("short-lived", "IN_SERVICE"))
    stack.drain()
    # Then nothing is registered and nothing was written
    assert describe_scaling() == {"_alarms": []}
    assert aws.writes() == []


def test_deleting_then_a_late_in_service_event_never_recreates_scaling(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given a configured async endpoint
    configured_endpoint(stack, sagemaker, "batch-embed", kind="async")
    assert "endpoint/batch-embed/variant/AllTraffic" in describe_scaling()
    # When it is deleted and the events arrive out of order: DELETING first, a stale IN_SERVICE after
    sagemaker.delete_endpoint(EndpointName="batch-embed")
    stack.publish(aws_events.endpoint_state_change("batch-embed", "DELETING"))
    stack.publish(aws_events.endpoint_state_change("batch-embed", "IN_SERVICE"))
    stack.drain()
    # Then nothing of the app's is left
    assert describe_scaling() == {"_alarms": []}


def test_a_stale_create_for_a_deleted_component_creates_nothing(stack: EmulatedStack, sagemaker: Any) -> None:
    resources.create_component_endpoint(sagemaker, "llm-shared")
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    sagemaker.delete_inference_component(InferenceComponentName="mistral-7b")
    stack.publish(
        aws_events.component_call("DeleteInferenceComponent", "mistral-7b"),
        aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared"),
    )
    stack.drain()
    assert describe_scaling() == {"_alarms": []}


def test_an_endpoint_update_that_renames_variants_releases_the_old_and_configures_the_new(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given a configured endpoint with variant "blue"
    configured_endpoint(stack, sagemaker, "chat", variants=("blue",))
    assert "endpoint/chat/variant/blue" in describe_scaling()
    # When the endpoint is updated to a config whose variant is "green" and reaches IN_SERVICE again
    model = resources.create_model(sagemaker, "chat-model-v2")
    sagemaker.create_endpoint_config(
        EndpointConfigName="chat-config-v2",
        ProductionVariants=[
            {
                "VariantName": "green",
                "ModelName": model,
                "InstanceType": "ml.g5.2xlarge",
                "InitialInstanceCount": 1,
            }
        ],
    )
    sagemaker.update_endpoint(EndpointName="chat", EndpointConfigName="chat-config-v2")
    stack.publish(aws_events.endpoint_state_change("chat", "IN_SERVICE"))
    stack.drain()
    # Then only the new variant is configured
    state = describe_scaling()
    assert set(state) == {"endpoint/chat/variant/green", "_alarms"}


def test_every_write_in_a_run_has_its_structured_log_line(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder, logs: LogCapture
) -> None:
    # Given a mix of resources configured, re-tagged and deleted in one run
    resources.create_async_endpoint(sagemaker, "batch-embed")
    resources.create_realtime_endpoint(sagemaker, "chat")
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    stack.publish(
        aws_events.endpoint_state_change("batch-embed", "IN_SERVICE"),
        aws_events.endpoint_state_change("chat", "IN_SERVICE"),
        aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared"),
    )
    stack.drain()
    chat_arn = aws_events.endpoint_arn("chat")
    sagemaker.add_tags(ResourceArn=chat_arn, Tags=[{"Key": "autoscaler:max-capacity", "Value": "9"}])
    sagemaker.delete_endpoint(EndpointName="batch-embed")
    sagemaker.delete_inference_component(InferenceComponentName="mistral-7b")
    stack.publish(
        aws_events.tags_call("AddTags", aws_events.endpoint_arn("chat"), {"autoscaler:max-capacity": "9"}),
        aws_events.endpoint_state_change("batch-embed", "DELETING"),
        aws_events.component_call("DeleteInferenceComponent", "mistral-7b"),
    )
    stack.drain()
    # Then there is exactly one "scaling_change" line per AWS write, naming the same operation
    writes = [operation for _, operation in aws.writes()]
    changes = logs.changes()
    assert sorted(change["action"] for change in changes) == sorted(writes)
    assert len(writes) >= 15
    for change in changes:
        assert set(change) == {"action", "resource_id", "dimension", "old", "new", "outcome"}
    # And each line carries the event id as correlation id
    change_lines = logs.with_key("scaling_change")
    assert all(line.get("correlation_id") for line in change_lines)
    updated = [c for c in changes if c["action"] == "RegisterScalableTarget" and c["outcome"] == "updated"]
    assert updated == [
        {
            "action": "RegisterScalableTarget",
            "resource_id": "endpoint/chat/variant/AllTraffic",
            "dimension": "sagemaker:variant:DesiredInstanceCount",
            "old": {"min": 1, "max": 4},
            "new": {"min": 1, "max": 9},
            "outcome": "updated",
        }
    ]
