"""Pause: a tag suspends the app's scaling on one resource and the app changes nothing else until it goes."""

from __future__ import annotations

from typing import Any

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.builders import configured_endpoint, tag_and_deliver, untag_and_deliver
from tests.support.recording import CallRecorder

RID = "endpoint/chat/variant/AllTraffic"
ALL_SUSPENDED = {
    "DynamicScalingInSuspended": True,
    "DynamicScalingOutSuspended": True,
    "ScheduledScalingSuspended": True,
}


def suspended_state(autoscaling: Any) -> dict[str, bool]:
    [target] = autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker", ResourceIds=[RID])[
        "ScalableTargets"
    ]
    return dict(target["SuspendedState"])


def test_pausing_suspends_the_target_and_freezes_the_app_until_resumed(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, aws: CallRecorder
) -> None:
    # Given a managed endpoint
    configured_endpoint(stack, sagemaker, "chat")
    configured = describe_scaling()
    # When an operator pauses it
    chat = aws_events.endpoint_arn("chat")
    tag_and_deliver(stack, sagemaker, chat, {"autoscaler:paused": "true"})
    # Then every kind of scaling is suspended and nothing else changed
    assert suspended_state(autoscaling) == ALL_SUSPENDED
    assert describe_scaling() == configured
    # And while paused, even a change of bounds by tag is not applied
    aws.clear()
    tag_and_deliver(stack, sagemaker, chat, {"autoscaler:max-capacity": "9"})
    assert [op for _, op in aws.writes()] == []
    assert describe_scaling()[RID]["max"] == 4
    # When the pause tag goes, scaling resumes and the pending change is applied
    untag_and_deliver(stack, sagemaker, chat, ["autoscaler:paused"])
    assert not any(suspended_state(autoscaling).values())
    assert describe_scaling()[RID]["max"] == 9


def test_pausing_a_resource_the_app_never_configured_does_nothing(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    resources.create_realtime_endpoint(sagemaker, "chat", tags={"autoscaler:paused": "true"})
    aws.clear()
    stack.publish(aws_events.endpoint_state_change("chat", "IN_SERVICE"))
    stack.drain()
    assert aws.writes() == []
    assert describe_scaling() == {"_alarms": []}
