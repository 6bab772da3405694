"""A component reported while still Creating is configured once it is InService: through the real
delivery path (rule -> queue -> handler -> delayed recheck on the queue -> handler), with frozen time."""

from __future__ import annotations

import json
from typing import Any

from freezegun import freeze_time

from local_account import aws_events, moto_gaps, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.recording import CallRecorder


def test_a_component_still_loading_is_configured_when_it_reaches_in_service(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    with freeze_time("2026-03-02 09:00:00") as clock:
        # Given a component whose model takes ten minutes to load
        moto_gaps.set_inference_component_ready_after(600)
        resources.create_component_endpoint(sagemaker, "llm-shared")
        resources.create_inference_component(sagemaker, "mixtral-8x7b", "llm-shared")
        # When its CreateInferenceComponent call is reported
        stack.publish(aws_events.component_call("CreateInferenceComponent", "mixtral-8x7b", "llm-shared"))
        first = stack.drain()
        # Then nothing is configured yet and a delayed recheck waits on the queue
        assert first.messages == 1 and first.failed_messages == 0
        assert describe_scaling() == {"_alarms": []}
        assert stack.pending() == 1
        # ...which is not delivered before its delay
        assert stack.drain().messages == 0

        rechecks = 0
        while "inference-component/mixtral-8x7b" not in describe_scaling():
            clock.tick(61)
            rechecks += stack.drain().messages
            assert rechecks <= 12, "the component should have been configured by now"
        # Then it was configured at the first recheck after it became InService, and no further
        # recheck is pending
        assert 9 <= rechecks <= 11
        assert stack.pending() == 0
        assert describe_scaling()["inference-component/mixtral-8x7b"]["policies"] == [
            "sagemaker-autoscaler-target-tracking"
        ]


def test_a_component_that_never_becomes_ready_ends_in_the_dead_letter_queue(
    monkeypatch: Any, stack: EmulatedStack, sagemaker: Any
) -> None:
    with freeze_time("2026-03-02 09:00:00") as clock:
        # Given a component stuck in Creating and an allowance of three rechecks
        monkeypatch.setenv("AUTOSCALER_RECHECK_MAX_ATTEMPTS", "3")
        stack.reset_dependencies()
        moto_gaps.set_inference_component_ready_after(10**6)
        resources.create_component_endpoint(sagemaker, "llm-shared")
        resources.create_inference_component(sagemaker, "stuck-model", "llm-shared")
        stack.publish(aws_events.component_call("CreateInferenceComponent", "stuck-model", "llm-shared"))
        # When every recheck and then every SQS retry finds it still Creating
        for _ in range(12):
            stack.drain()
            clock.tick(400)  # past both the recheck delay and the visibility timeout
        # Then the last recheck is dead-lettered (with an alarm on that queue), not silently dropped
        [letter] = stack.dead_letters()
        assert json.loads(letter)["detail"] == {
            "ResourceType": "inference-component",
            "Name": "stuck-model",
            "Attempt": 3,
        }
        assert stack.pending() == 0
