"""Install reconciles the account at once; uninstall removes everything the app made and never blocks the
stack's deletion. CloudFormation's answer is captured by a small HTTP server on 127.0.0.1 standing in for
the pre-signed S3 ResponseURL (``tests/support/functions.py``)."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest

from local_account import aws_events, resources
from local_account.emulated import REGION
from local_account.stack import EmulatedStack, FakeLambdaContext, describe_scaling
from sagemaker_autoscaler.engine.state import ScalingSnapshot
from tests.support.functions import ResponseCatcher, invoke
from tests.support.recording import CallRecorder


@pytest.fixture
def lifecycle_environment(monkeypatch: pytest.MonkeyPatch, stack: EmulatedStack) -> EmulatedStack:
    monkeypatch.setenv("AUTOSCALER_EVENT_RULES", ",".join(stack.rule_names))
    monkeypatch.setenv("AUTOSCALER_KEEP_ON_UNINSTALL", "false")
    stack.reset_dependencies()
    return stack


def test_install_configures_endpoints_that_existed_before_the_stack(
    lifecycle_environment: EmulatedStack, sagemaker: Any, cloudformation: ResponseCatcher
) -> None:
    # Given endpoints and a component created before the app was installed (no event will ever come)
    resources.create_realtime_endpoint(sagemaker, "chat")
    resources.create_component_endpoint(sagemaker, "llm-shared")
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    # When the stack is created
    invoke("Create", cloudformation)
    # Then they are configured at once, and CloudFormation was told so
    assert set(describe_scaling()) == {
        "endpoint/chat/variant/AllTraffic",
        "inference-component/mistral-7b",
        "_alarms",
    }
    [answer] = cloudformation.bodies
    assert answer["Status"] == "SUCCESS" and answer["LogicalResourceId"] == "Installation"
    assert answer["Data"]["resources_changed"] == "2"


def test_uninstall_leaves_nothing_of_the_app_and_nothing_of_anyone_else_is_touched(
    lifecycle_environment: EmulatedStack,
    sagemaker: Any,
    autoscaling: Any,
    cloudformation: ResponseCatcher,
    aws: CallRecorder,
) -> None:
    stack = lifecycle_environment
    # Given app-made targets, policies, scheduled actions and alarms, and a team's own target
    resources.create_async_endpoint(
        sagemaker, "batch-embed", tags={"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin"}
    )
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    resources.create_realtime_endpoint(sagemaker, "fraud-scoring")
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/fraud-scoring/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=2,
        MaxCapacity=3,
    )
    invoke("Create", cloudformation)
    before = describe_scaling()
    assert (
        len(before["_alarms"]) == 2 and before["endpoint/batch-embed/variant/AllTraffic"]["scheduled_actions"]
    )
    # When the stack is deleted
    invoke("Delete", cloudformation)
    # Then only the team's target is left, the rules were switched off first, and CloudFormation heard back
    assert describe_scaling() == {
        "_alarms": [],
        "endpoint/fraud-scoring/variant/AllTraffic": before["endpoint/fraud-scoring/variant/AllTraffic"],
    }
    events = boto3.client("events", region_name=REGION)
    assert {events.describe_rule(Name=name)["State"] for name in stack.rule_names} == {"DISABLED"}
    assert [body["Status"] for body in cloudformation.bodies] == ["SUCCESS", "SUCCESS"]
    # And an event arriving afterwards (rules off) cannot bring anything back
    stack.publish(aws_events.endpoint_state_change("batch-embed", "IN_SERVICE"))
    stack.drain()
    assert set(describe_scaling()) == {"_alarms", "endpoint/fraud-scoring/variant/AllTraffic"}


def test_keep_on_uninstall_leaves_the_configuration_in_place(
    lifecycle_environment: EmulatedStack,
    monkeypatch: pytest.MonkeyPatch,
    sagemaker: Any,
    cloudformation: ResponseCatcher,
) -> None:
    resources.create_realtime_endpoint(sagemaker, "chat")
    invoke("Create", cloudformation)
    before = describe_scaling()
    monkeypatch.setenv("AUTOSCALER_KEEP_ON_UNINSTALL", "true")
    invoke("Delete", cloudformation)
    assert describe_scaling() == before
    assert "left in place" in cloudformation.bodies[-1]["Reason"]


def test_a_failing_clean_up_still_answers_success_so_the_stack_deletion_is_not_blocked(
    lifecycle_environment: EmulatedStack,
    monkeypatch: pytest.MonkeyPatch,
    sagemaker: Any,
    cloudformation: ResponseCatcher,
) -> None:
    resources.create_realtime_endpoint(sagemaker, "chat")
    invoke("Create", cloudformation)

    # Given a clean-up that cannot even read the account (Application Auto Scaling is down)
    def unavailable(*_: Any, **__: Any) -> None:
        raise RuntimeError("Application Auto Scaling is unavailable")

    monkeypatch.setattr(ScalingSnapshot, "__init__", unavailable)
    # When the stack is deleted
    result = invoke("Delete", cloudformation)
    # Then CloudFormation still gets SUCCESS, with the failure in the reason for the operator
    answer = cloudformation.bodies[-1]
    assert answer["Status"] == "SUCCESS" and result["Status"] == "SUCCESS"
    assert "Delete failed (RuntimeError" in answer["Reason"]


def test_settings_that_do_not_load_still_get_cloudformation_an_answer(
    lifecycle_environment: EmulatedStack,
    monkeypatch: pytest.MonkeyPatch,
    cloudformation: ResponseCatcher,
) -> None:
    # Given a deployment whose business hours do not parse
    monkeypatch.setenv("AUTOSCALER_SCHEDULE", "Mon-Fri 8-19")
    lifecycle_environment.reset_dependencies()
    # When the stack is created, Then CloudFormation hears SUCCESS with the reason
    invoke("Create", cloudformation)
    [answer] = cloudformation.bodies
    assert answer["Status"] == "SUCCESS" and "Create failed (SettingsError" in answer["Reason"]


def test_a_rule_that_cannot_be_disabled_does_not_stop_the_clean_up(
    lifecycle_environment: EmulatedStack,
    monkeypatch: pytest.MonkeyPatch,
    sagemaker: Any,
    cloudformation: ResponseCatcher,
) -> None:
    resources.create_realtime_endpoint(sagemaker, "chat")
    invoke("Create", cloudformation)
    monkeypatch.setenv("AUTOSCALER_EVENT_RULES", "no-such-rule")
    invoke("Delete", cloudformation)
    assert describe_scaling() == {"_alarms": []}
    assert cloudformation.bodies[-1]["Status"] == "SUCCESS"


def test_an_uninstall_short_of_time_answers_in_time_and_says_what_it_left(
    lifecycle_environment: EmulatedStack,
    sagemaker: Any,
    cloudformation: ResponseCatcher,
) -> None:
    resources.create_realtime_endpoint(sagemaker, "chat")
    invoke("Create", cloudformation)
    context = FakeLambdaContext(aws_request_id=str(uuid.uuid4()))
    context.get_remaining_time_in_millis = lambda: 1_000  # type: ignore[method-assign]
    invoke("Delete", cloudformation, context)
    answer = cloudformation.bodies[-1]
    assert answer["Status"] == "SUCCESS" and answer["Data"]["deferred"] == "1"
    assert "endpoint/chat/variant/AllTraffic" in describe_scaling()
