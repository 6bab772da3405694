"""The periodic reconcile: adopts, repairs drift, releases orphans, writes nothing when nothing differs."""

from __future__ import annotations

from typing import Any

from moto.sagemaker.models import sagemaker_backends

from local_account import moto_gaps, resources
from local_account.emulated import ACCOUNT_ID, REGION
from local_account.stack import EmulatedStack, describe_scaling
from sagemaker_autoscaler.aws.tagging import Tagging
from tests.support.builders import build_account, configured_endpoint
from tests.support.functions import run_reconcile
from tests.support.recording import CallRecorder, LogCapture

BUSINESS_HOURS = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin"}


def test_one_run_configures_a_whole_account_that_had_no_events_and_a_second_run_writes_nothing(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given 50 endpoints and 50 inference components, some opted out, and no event delivered
    expected = build_account(sagemaker, endpoints=50, components=50)["configured"]
    assert len(expected) == 50 - 25 + 50 - 3
    aws.clear()
    # When the periodic reconcile runs
    first = run_reconcile()
    # Then every resource that should be managed is, and nothing else
    state = describe_scaling()
    assert sorted(k for k in state if k != "_alarms") == sorted(expected)
    assert first["resources_changed"] == len(expected)
    assert first["resources_failed"] == 0
    # And a second run makes no write at all
    aws.clear()
    second = run_reconcile()
    assert aws.writes() == []
    assert second["writes"] == 0 and second["resources_changed"] == 0
    assert describe_scaling() == state


def test_components_still_loading_are_left_for_a_later_run(stack: EmulatedStack, sagemaker: Any) -> None:
    resources.create_component_endpoint(sagemaker, "llm-shared")
    moto_gaps.set_inference_component_ready_after(600)
    resources.create_inference_component(sagemaker, "loading", "llm-shared")
    run_reconcile()
    assert describe_scaling() == {"_alarms": []}
    moto_gaps.set_inference_component_status("loading", "InService")
    run_reconcile()
    assert "inference-component/loading" in describe_scaling()


def test_each_kind_of_drift_in_what_the_app_owns_is_repaired(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, cloudwatch: Any
) -> None:
    # Given a configured async endpoint with business hours (target, 2 policies, alarm, 2 actions)
    rid = configured_endpoint(stack, sagemaker, "batch-embed", kind="async", tags=BUSINESS_HOURS)
    desired = describe_scaling()
    dimension = "sagemaker:variant:DesiredInstanceCount"
    # When an operator deletes a policy, changes the bounds, deletes the alarm and a scheduled action
    autoscaling.delete_scaling_policy(
        PolicyName="sagemaker-autoscaler-target-tracking",
        ServiceNamespace="sagemaker",
        ResourceId=rid,
        ScalableDimension=dimension,
    )
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=rid,
        ScalableDimension=dimension,
        MinCapacity=3,
        MaxCapacity=9,
    )
    cloudwatch.delete_alarms(AlarmNames=desired["_alarms"])
    autoscaling.delete_scheduled_action(
        ServiceNamespace="sagemaker",
        ResourceId=rid,
        ScalableDimension=dimension,
        ScheduledActionName=desired[rid]["scheduled_actions"][0],
    )
    assert describe_scaling() != desired
    # Then the next periodic run puts everything back
    run_reconcile()
    assert describe_scaling() == desired


def test_a_repointed_alarm_is_repaired(stack: EmulatedStack, sagemaker: Any, cloudwatch: Any) -> None:
    configured_endpoint(stack, sagemaker, "batch-embed", kind="async", tags=BUSINESS_HOURS)
    [alarm] = cloudwatch.describe_alarms(AlarmNamePrefix="sagemaker-autoscaler-")["MetricAlarms"]
    policy_arn = alarm["AlarmActions"]
    cloudwatch.put_metric_alarm(
        **{
            k: alarm[k] for k in ("AlarmName", "Namespace", "MetricName", "Dimensions", "Statistic", "Period")
        },
        EvaluationPeriods=5,
        Threshold=alarm["Threshold"],
        ComparisonOperator=alarm["ComparisonOperator"],
        AlarmActions=[],
    )
    run_reconcile()
    [repaired] = cloudwatch.describe_alarms(AlarmNamePrefix="sagemaker-autoscaler-")["MetricAlarms"]
    assert repaired["AlarmActions"] == policy_arn and repaired["EvaluationPeriods"] == 1


def test_hand_made_configuration_elsewhere_is_untouched(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, aws: CallRecorder, logs: LogCapture
) -> None:
    # Given a team's own target on an endpoint, and the team's policy on a gone endpoint's variant
    resources.create_realtime_endpoint(sagemaker, "fraud-scoring")
    resources.create_realtime_endpoint(sagemaker, "retired")
    for rid in ("endpoint/fraud-scoring/variant/AllTraffic", "endpoint/retired/variant/AllTraffic"):
        autoscaling.register_scalable_target(
            ServiceNamespace="sagemaker",
            ResourceId=rid,
            ScalableDimension="sagemaker:variant:DesiredInstanceCount",
            MinCapacity=2,
            MaxCapacity=5,
        )
    # The endpoint goes; AAS keeps the team's target unless it cleans up itself ("where permitted")
    sagemaker_backends[ACCOUNT_ID][REGION].endpoints.pop("retired")
    before = describe_scaling()
    aws.clear()
    # When the reconcile runs twice
    run_reconcile()
    run_reconcile()
    # Then neither is modified nor deleted
    assert aws.writes() == []
    assert describe_scaling() == before


def test_a_resource_deleted_without_an_event_loses_all_the_app_made_for_it(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given a configured async endpoint and a configured component that can wake from zero
    configured_endpoint(stack, sagemaker, "batch-embed", kind="async", tags=BUSINESS_HOURS)
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    run_reconcile()
    assert len(describe_scaling()["_alarms"]) == 2
    # When both are deleted and no event is delivered
    sagemaker.delete_inference_component(InferenceComponentName="mistral-7b")
    sagemaker.delete_endpoint(EndpointName="batch-embed")
    summary = run_reconcile()
    # Then nothing of the app's is left, alarms included
    assert describe_scaling() == {"_alarms": []}
    assert summary["orphans_released"] == 2


def test_a_run_that_is_short_of_time_stops_cleanly_and_the_next_run_finishes(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    for index in range(4):
        resources.create_realtime_endpoint(sagemaker, f"chat-{index}")
    # Given a run that starts with less time left than it keeps in reserve
    summary = run_reconcile(remaining_ms=1_000)
    assert summary["deferred"] == 4 and summary["writes"] == 0
    # Then the next run with enough time does the work
    assert run_reconcile()["resources_changed"] == 4


def test_a_component_opt_out_is_honoured_even_if_the_tagging_api_omits_components(
    stack: EmulatedStack, sagemaker: Any, monkeypatch: Any
) -> None:
    # Given a Tagging API that (unlike what the app assumes) returns no inference components
    original = Tagging.sagemaker_tags

    def endpoints_only(self: Tagging) -> dict[str, dict[str, str]]:
        return {arn: tags for arn, tags in original(self).items() if ":inference-component/" not in arn}

    monkeypatch.setattr(Tagging, "sagemaker_tags", endpoints_only)
    resources.create_component_endpoint(sagemaker, "llm-shared")
    resources.create_inference_component(sagemaker, "kept", "llm-shared")
    resources.create_inference_component(
        sagemaker, "opted-out", "llm-shared", tags={"autoscaler:enabled": "no"}
    )
    # When the periodic reconcile runs, Then the opt-out is still seen (through SageMaker's ListTags)
    run_reconcile()
    assert set(describe_scaling()) == {"inference-component/kept", "_alarms"}
