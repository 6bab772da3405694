"""Capacity-safe adoption: installing the app, a periodic run or an event never lowers the capacity a
resource runs at unless a user asked for it (its max-capacity tag, a schedule, ProtectRunningCapacity)."""

from __future__ import annotations

from typing import Any

import pytest

from local_account import aws_events, moto_gaps, resources
from local_account.stack import EmulatedStack, describe_scaling
from sagemaker_autoscaler.aws.tagging import Tagging
from tests.integration.test_tags_and_bad_input import emitted_metrics
from tests.lifecycle.test_install_uninstall import ResponseCatcher, invoke
from tests.reconcile.fleet_support import run_reconcile
from tests.support.recording import CallRecorder, LogCapture

ENDPOINT = "endpoint/LLM-Chat/variant/AllTraffic"
COMPONENT = "inference-component/Mistral-7B"
FLOOR_TAG = "sagemaker-autoscaler:max-capacity-floor"


@pytest.fixture
def cloudformation() -> Any:
    catcher = ResponseCatcher()
    yield catcher
    catcher.close()


@pytest.fixture
def busy_account(stack: EmulatedStack, sagemaker: Any) -> EmulatedStack:
    """An endpoint running 8 instances and a component running 5 copies; the defaults say max 4."""
    resources.create_realtime_endpoint(sagemaker, "LLM-Chat")
    moto_gaps.set_variant_capacity("LLM-Chat", "AllTraffic", 8)
    resources.create_component_endpoint(sagemaker, "LLM-Shared")
    resources.create_inference_component(sagemaker, "Mistral-7B", "LLM-Shared", copies=5)
    return stack


def bounds(state: dict[str, Any], rid: str) -> tuple[int, int]:
    return state[rid]["min"], state[rid]["max"]


def test_installing_leaves_a_busy_endpoint_and_component_at_their_capacity(
    busy_account: EmulatedStack,
    cloudformation: ResponseCatcher,
    aws: CallRecorder,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # When the stack is installed with its defaults (opt-out, max 4)
    invoke("Create", cloudformation)
    # Then both run at the capacity they had, with their maximum raised to it
    assert moto_gaps.get_variant_capacity("LLM-Chat", "AllTraffic") == 8
    assert moto_gaps.get_inference_component_copies("Mistral-7B") == 5
    state = describe_scaling()
    assert bounds(state, ENDPOINT) == (1, 8) and bounds(state, COMPONENT) == (1, 5)
    assert state[ENDPOINT]["tags"][FLOOR_TAG] == "8" and state[COMPONENT]["tags"][FLOOR_TAG] == "5"
    # And the adjustment is logged, once per resource, with a metric
    protected = [line for line in logs.with_key("warning") if line["warning"]["code"] == "CapacityProtected"]
    assert sorted(line["warning"]["resource_id"] for line in protected) == [ENDPOINT, COMPONENT]
    assert all(line["level"] == "WARNING" and "raised from 4" in line["message"] for line in protected)
    assert emitted_metrics(capsys.readouterr().out).get("CapacityProtected") == 2
    # And a second run writes nothing, and announces nothing again (the floor is already in place)
    aws.clear()
    first = len(logs.lines)
    assert run_reconcile()["writes"] == 0
    assert aws.writes() == []
    assert not [
        line for line in logs.lines[first:] if line.get("warning", {}).get("code") == "CapacityProtected"
    ]


def test_the_raised_maximum_stays_when_the_resource_scales_in(
    busy_account: EmulatedStack, cloudformation: ResponseCatcher, aws: CallRecorder
) -> None:
    invoke("Create", cloudformation)
    # Given a quiet night: target tracking took both down
    moto_gaps.set_variant_capacity("LLM-Chat", "AllTraffic", 2)
    moto_gaps.set_inference_component_copies("Mistral-7B", 1)
    # When the periodic run comes, and a fresh container handles an event
    aws.clear()
    run_reconcile()
    busy_account.reset_dependencies()
    busy_account.publish(aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"))
    busy_account.drain()
    # Then nothing undoes the raised maximum: tomorrow's peak can reach 8 and 5 again
    assert aws.writes() == []
    state = describe_scaling()
    assert bounds(state, ENDPOINT) == (1, 8) and bounds(state, COMPONENT) == (1, 5)


def test_a_max_capacity_tag_is_the_way_to_lower_it(
    busy_account: EmulatedStack, cloudformation: ResponseCatcher, sagemaker: Any, logs: LogCapture
) -> None:
    invoke("Create", cloudformation)
    # When the team tags the endpoint with the maximum it wants
    sagemaker.add_tags(
        ResourceArn=aws_events.endpoint_arn("LLM-Chat"),
        Tags=[{"Key": "autoscaler:max-capacity", "Value": "4"}],
    )
    run_reconcile()
    # Then that maximum applies (AAS scales it in: asked for), the recorded floor is gone, and it is said
    state = describe_scaling()
    assert bounds(state, ENDPOINT) == (1, 4)
    assert FLOOR_TAG not in state[ENDPOINT]["tags"]
    assert moto_gaps.get_variant_capacity("LLM-Chat", "AllTraffic") == 4
    lowered = [line for line in logs.with_key("warning") if line["warning"]["code"] == "CapacityLoweredByTag"]
    assert [line["warning"]["resource_id"] for line in lowered] == [ENDPOINT]
    # And the component keeps its own floor
    assert bounds(state, COMPONENT) == (1, 5)


def test_an_event_for_a_busy_endpoint_keeps_its_capacity_too(
    busy_account: EmulatedStack, aws: CallRecorder
) -> None:
    # When the first thing the app sees is the endpoint's IN_SERVICE event and the component's creation
    busy_account.publish(
        aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"),
        aws_events.component_call("CreateInferenceComponent", "Mistral-7B", "LLM-Shared"),
    )
    busy_account.drain()
    # Then the capacity is what it was
    assert moto_gaps.get_variant_capacity("LLM-Chat", "AllTraffic") == 8
    assert moto_gaps.get_inference_component_copies("Mistral-7B") == 5
    state = describe_scaling()
    assert bounds(state, ENDPOINT) == (1, 8) and bounds(state, COMPONENT) == (1, 5)


def test_with_the_guard_switched_off_the_configured_maximum_applies(
    sagemaker: Any, aws: CallRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given ProtectRunningCapacity=false: the platform team asks for the configured maximum everywhere
    stack = EmulatedStack(environment_overrides={"AUTOSCALER_PROTECT_RUNNING_CAPACITY": "false"})
    for name, value in stack.environment.items():
        monkeypatch.setenv(name, value)
    stack.reset_dependencies()
    resources.create_realtime_endpoint(sagemaker, "LLM-Chat")
    moto_gaps.set_variant_capacity("LLM-Chat", "AllTraffic", 8)
    # When the periodic run adopts it
    run_reconcile()
    # Then the maximum is 4 and AAS moved the capacity into it
    assert bounds(describe_scaling(), ENDPOINT) == (1, 4)
    assert moto_gaps.get_variant_capacity("LLM-Chat", "AllTraffic") == 4


def test_a_stale_max_capacity_tag_from_the_tagging_api_never_scales_a_resource_in(
    stack: EmulatedStack, sagemaker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an endpoint its team tagged max-capacity=2, then 10; it scaled out to 9 instances
    arn = resources.create_realtime_endpoint(sagemaker, "LLM-Chat", tags={"autoscaler:max-capacity": "2"})
    run_reconcile()
    stale = Tagging().sagemaker_tags()
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:max-capacity", "Value": "10"}])
    run_reconcile()
    moto_gaps.set_variant_capacity("LLM-Chat", "AllTraffic", 9)
    # When a periodic run gets an answer from the (eventually consistent) Tagging API that still says 2
    monkeypatch.setattr(Tagging, "sagemaker_tags", lambda self: stale)
    run_reconcile()
    # Then the guard read the tags again before writing a lower maximum: nothing was scaled in
    assert moto_gaps.get_variant_capacity("LLM-Chat", "AllTraffic") == 9
    assert bounds(describe_scaling(), ENDPOINT) == (1, 10)
