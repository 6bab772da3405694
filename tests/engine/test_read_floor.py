"""The event path reads no more than a correct reconcile needs (in a warm container): a steady-state
endpoint event at most 6 reads, an inference component's activation at most 8 reads plus its writes, and
one more read on a container's first sight of an endpoint config."""

from __future__ import annotations

from collections import Counter
from typing import Any

from local_account import aws_events, resources
from local_account.stack import EmulatedStack
from tests.support.recording import CallRecorder


def reads_of(aws: CallRecorder) -> Counter[str]:
    return Counter(
        name
        for _, name in aws.reads()
        if not name.startswith(("ReceiveMessage", "DeleteMessage", "SendMessage", "GetQueueAttributes"))
    )


def handle(stack: EmulatedStack, aws: CallRecorder, *events: dict[str, Any]) -> Counter[str]:
    stack.publish(*events)
    aws.clear()
    stack.drain()
    return reads_of(aws)


def test_a_steady_state_endpoint_event_makes_at_most_six_reads(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given a configured endpoint, in a warm container (every scaling activity ends in such an event)
    resources.create_realtime_endpoint(sagemaker, "LLM-Chat")
    event = aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE")
    first = handle(stack, aws, event)
    # When its next IN_SERVICE event comes
    reads = handle(stack, aws, event)
    # Then: DescribeEndpoint, ListTags, DescribeScalableTargets, DescribeAlarms, DescribeScalingPolicies,
    # DescribeScheduledActions; the config was read once, on the container's first sight of it
    assert aws.writes() == []
    assert sum(reads.values()) <= 6, reads
    assert "DescribeEndpointConfig" not in reads and first["DescribeEndpointConfig"] == 1
    assert "ListInferenceComponents" not in reads  # its config has a model on every variant


def test_an_inference_component_activation_makes_at_most_eight_reads_plus_its_writes(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given an endpoint hosting components, already seen by this container
    resources.create_component_endpoint(sagemaker, "LLM-Shared")
    handle(stack, aws, aws_events.endpoint_state_change("LLM-Shared", "IN_SERVICE"))
    # When a new component's creation is reported
    resources.create_inference_component(sagemaker, "Mistral-7B", "LLM-Shared")
    reads = handle(
        stack, aws, aws_events.component_call("CreateInferenceComponent", "Mistral-7B", "LLM-Shared")
    )
    # Then it is configured with at most 8 reads, the after-write check included
    assert aws.writes(), "the component was configured"
    assert sum(reads.values()) <= 8, reads
