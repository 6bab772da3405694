"""Self-healing: throttling, server errors, failures half-way, and races end in the fault-free state.

Faults come from ``tests.support.faults`` (see its docstring for the two layers). Every test compares the
resulting AWS state with what a fault-free run makes, and checks that nothing is left orphaned.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from freezegun import freeze_time

from local_account import aws_events, moto_gaps, resources
from local_account.stack import EmulatedStack, describe_scaling
from sagemaker_autoscaler.engine.environment import dependencies_from_environment
from sagemaker_autoscaler.engine.messages import handle_message
from tests.support.builders import build_account, configured_component
from tests.support.faults import LOST_RESPONSE, TRANSIENT, FaultInjector, orphans
from tests.support.functions import as_event, run_reconcile
from tests.support.recording import CallRecorder

BUSINESS_HOURS = "Mon-Fri 08:00-19:00 Europe/Berlin"
DIMENSION = "sagemaker:variant:DesiredInstanceCount"
HAND_MADE = "endpoint/team-owned/variant/AllTraffic"


@pytest.fixture
def frozen() -> Iterator[Any]:
    # A Tuesday evening in Berlin: resources with business hours are in their off-hours phase.
    with freeze_time("2026-03-03 20:30:00") as clock:
        yield clock


def live_resource_ids(sagemaker: Any) -> set[str]:
    """Every endpoint variant and component that exists now (whatever the app should do with it)."""
    ids = set()
    for endpoint in sagemaker.list_endpoints()["Endpoints"]:
        name = endpoint["EndpointName"]
        for variant in sagemaker.describe_endpoint(EndpointName=name)["ProductionVariants"]:
            ids.add(f"endpoint/{name}/variant/{variant['VariantName']}")
    for component in sagemaker.list_inference_components()["InferenceComponents"]:
        ids.add(f"inference-component/{component['InferenceComponentName']}")
    return ids


def mixed_account(sagemaker: Any, autoscaling: Any) -> list[str]:
    """build_account's mix (real-time, async, serverless PC, IC hosts with an opted-out IC), business
    hours on some, and a team's hand-made target with its own policy. Returns the managed ids."""
    expected = build_account(sagemaker, endpoints=10, components=6)["configured"]
    for name in ("model-000", "model-001", "model-002", "llm-host-001"):
        sagemaker.add_tags(
            ResourceArn=aws_events.endpoint_arn(name),
            Tags=[{"Key": "autoscaler:schedule", "Value": BUSINESS_HOURS}],
        )
    sagemaker.add_tags(
        ResourceArn=aws_events.component_arn("llm-host-002-c0"),
        Tags=[{"Key": "autoscaler:min-capacity", "Value": "0"}],
    )
    resources.create_realtime_endpoint(sagemaker, "team-owned")
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=HAND_MADE,
        ScalableDimension=DIMENSION,
        MinCapacity=2,
        MaxCapacity=5,
    )
    autoscaling.put_scaling_policy(
        PolicyName="team-policy",
        ServiceNamespace="sagemaker",
        ResourceId=HAND_MADE,
        ScalableDimension=DIMENSION,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 50.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
            },
        },
    )
    return expected


def wipe_app_configuration(autoscaling: Any, cloudwatch: Any) -> None:
    """Remove everything the app made, as if it had never run (the twin's starting point)."""
    state = describe_scaling(full=True)
    for resource_id, target in state["targets"].items():
        if target["tags"].get("managed-by") == "sagemaker-autoscaler":
            autoscaling.deregister_scalable_target(
                ServiceNamespace="sagemaker", ResourceId=resource_id, ScalableDimension=target["dimension"]
            )
    app_alarms = [name for name in state["alarms"] if name.startswith("sagemaker-autoscaler-")]
    if app_alarms:
        cloudwatch.delete_alarms(AlarmNames=app_alarms)


def assert_hand_made_target_untouched(state: dict[str, Any], faults: FaultInjector) -> None:
    assert state["targets"][HAND_MADE] == {
        "dimension": DIMENSION,
        "min": 2,
        "max": 5,
        "suspended": {
            "DynamicScalingInSuspended": False,
            "DynamicScalingOutSuspended": False,
            "ScheduledScalingSuspended": False,
        },
        "tags": {},
    }
    assert [key for key in state["policies"] if key.startswith(HAND_MADE)] == [f"{HAND_MADE}:team-policy"]
    writes = ("RegisterScalableTarget", "DeregisterScalableTarget", "PutScalingPolicy", "DeleteScalingPolicy")
    touched = [op for op, body in faults.requests if op in writes and body.get("ResourceId") == HAND_MADE]
    assert touched == [], "the app wrote to a target it did not register"


def test_a_mixed_account_reaches_the_fault_free_state_within_three_runs_despite_20_percent_failures(
    frozen: Any,
    faults: FaultInjector,
    stack: EmulatedStack,
    sagemaker: Any,
    autoscaling: Any,
    cloudwatch: Any,
    aws: CallRecorder,
) -> None:
    # Given a mixed account (business hours on some, off-hours now) and a team's hand-made target
    expected = mixed_account(sagemaker, autoscaling)
    # And 20% of the app's request attempts throttled, failed, or applied with the answer lost
    faults.fail_randomly(0.2, kinds=(*TRANSIENT, LOST_RESPONSE))
    # When the periodic reconcile runs three times
    summaries = []
    with faults.active():
        for _ in range(3):
            summaries.append(run_reconcile())
    faulted = describe_scaling(full=True)
    # Then the faults really happened (and botocore absorbed them with its retries)
    assert faults.count() >= 20, faults.injected
    assert faults.count("ThrottlingException") and faults.count("InternalFailure")
    # And every managed resource is configured, nothing else, and nothing is orphaned
    assert set(faulted["targets"]) == {*expected, HAND_MADE}
    assert orphans(faulted, live_resource_ids(sagemaker)) == []
    assert_hand_made_target_untouched(faulted, faults)
    # And a fault-free run finds nothing to do
    aws.clear()
    assert run_reconcile()["writes"] == 0
    assert aws.writes() == []
    # And the state is exactly what a fault-free twin (the same account, configured from scratch) gets
    wipe_app_configuration(autoscaling, cloudwatch)
    stack.reset_dependencies()
    assert run_reconcile()["resources_failed"] == 0
    assert describe_scaling(full=True) == faulted
    assert summaries[-1]["resources_failed"] == 0


def test_a_permanent_alarm_failure_half_way_leaves_no_orphan_after_the_next_run(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given an async endpoint (target, two policies, one alarm) whose first PutMetricAlarm fails for good
    resources.create_async_endpoint(sagemaker, "batch-embed", tags={"autoscaler:schedule": BUSINESS_HOURS})
    faults.fail_call("PutMetricAlarm", nth=1)
    # When its IN_SERVICE event is handled
    stack.publish(aws_events.endpoint_state_change("batch-embed", "IN_SERVICE"))
    with faults.active():
        report = stack.drain()
    # Then the message failed (to be retried) after the writes before the alarm
    assert report.failed_messages == 1
    assert faults.calls["PutMetricAlarm"] == 1
    # When the next periodic run comes
    with faults.active():
        summary = run_reconcile()
    # Then the resource is complete: the alarm exists and points at the wake policy
    state = describe_scaling(full=True)
    rid = "endpoint/batch-embed/variant/AllTraffic"
    [alarm] = state["alarms"].values()
    assert alarm["actions"] == [f"{rid}:sagemaker-autoscaler-wake-from-zero"]
    assert orphans(state, live_resource_ids(sagemaker)) == []
    assert summary["resources_failed"] == 0
    # And the retried message, once visible again, finds nothing to do
    frozen.tick(361)
    aws.clear()
    with faults.active():
        assert stack.drain().failed_messages == 0
    assert aws.writes() == [] and stack.dead_letters() == []


def test_a_permanent_failure_half_way_through_a_release_leaves_no_orphan_after_the_next_run(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given a configured component that can wake from zero (target, two policies, an alarm)
    configured_component(stack, sagemaker, "mistral-7b", endpoint_tags={"autoscaler:min-capacity": "0"})
    assert len(describe_scaling(full=True)["alarms"]) == 1
    # When it is deleted and the release fails for good at its second policy deletion
    sagemaker.delete_inference_component(InferenceComponentName="mistral-7b")
    faults.fail_call("DeleteScalingPolicy", nth=2)
    stack.publish(aws_events.component_call("DeleteInferenceComponent", "mistral-7b", "llm-shared"))
    with faults.active():
        assert stack.drain().failed_messages == 1
    # Then half of it is gone (the alarm went first, so nothing fires into a deleted policy)
    half = describe_scaling(full=True)
    assert half["alarms"] == {}
    assert orphans(half, live_resource_ids(sagemaker)) != []  # the target is still there
    # And the next periodic run releases the rest
    with faults.active():
        assert run_reconcile()["orphans_released"] == 1
    assert describe_scaling() == {"_alarms": []}


def test_an_endpoint_deleted_between_the_apps_read_and_its_write_is_released_at_once(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given an endpoint that is deleted just as the app registers its target (after the app read it)
    resources.create_async_endpoint(sagemaker, "short-lived")
    faults.before_call(
        "RegisterScalableTarget", lambda: sagemaker.delete_endpoint(EndpointName="short-lived")
    )
    stack.publish(aws_events.endpoint_state_change("short-lived", "IN_SERVICE"))
    with faults.active():
        stack.drain()
    # Then the writes that landed after it was gone (AAS does not check the endpoint here) were taken
    # back by the event's own settling pass, which saw the endpoint gone
    assert describe_scaling() == {"_alarms": []}
    # And SageMaker's DELETING event for it, when it arrives, finds nothing to do
    stack.publish(aws_events.endpoint_state_change("short-lived", "DELETING"))
    with faults.active():
        stack.drain()
    # Then everything the app made for it is gone
    assert describe_scaling() == {"_alarms": []}
    assert orphans(describe_scaling(full=True), live_resource_ids(sagemaker)) == []


@pytest.mark.parametrize("deleted_before", ["RegisterScalableTarget", "PutScalingPolicy", "PutMetricAlarm"])
def test_a_component_deleted_between_the_apps_read_and_its_write_leaves_nothing_behind(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any, deleted_before: str
) -> None:
    # Given a component deleted half-way through the periodic run's writes, its delete event lost
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    faults.before_call(
        deleted_before,
        lambda: sagemaker.delete_inference_component(InferenceComponentName="mistral-7b"),
    )
    # When the periodic run comes, and the one after it
    with faults.active():
        first = run_reconcile()
        second = run_reconcile()
    # Then nothing of the app's is left for the deleted component, alarm included, and no run failed:
    # a write refused because the resource is gone releases what the app had already written
    assert describe_scaling() == {"_alarms": []}
    assert first["resources_failed"] == second["resources_failed"] == 0


def test_a_duplicate_event_handled_in_the_middle_of_the_first_converges(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given an async endpoint with business hours, and two deliveries of its IN_SERVICE event
    resources.create_async_endpoint(sagemaker, "batch-embed", tags={"autoscaler:schedule": BUSINESS_HOURS})
    event = aws_events.endpoint_state_change("batch-embed", "IN_SERVICE")
    deps = dependencies_from_environment()
    inner: list[Any] = []
    # When the second is handled from inside the first's first write (two Lambda invocations at once)
    faults.before_call("RegisterScalableTarget", lambda: inner.append(handle_message(as_event(event), deps)))
    with faults.active():
        outer = handle_message(as_event(event), deps)
    # Then both succeed: the first to write creates the target; the other finds it created under its feet
    # (AAS refuses tags on an existing target), reads it again and has nothing left to do
    assert [inner[0].outcome, outer.outcome] == ["changed", "unchanged"]
    interleaved = describe_scaling(full=True)
    assert orphans(interleaved, live_resource_ids(sagemaker)) == []
    aws.clear()
    assert run_reconcile()["writes"] == 0
    assert aws.writes() == []


def test_a_tag_change_handled_in_the_middle_of_an_older_event_converges_at_once(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given an endpoint whose IN_SERVICE event is being handled (plan made with max 4)
    resources.create_realtime_endpoint(sagemaker, "chat")
    arn = aws_events.endpoint_arn("chat")
    deps = dependencies_from_environment()

    def tag_and_deliver() -> None:
        # ...when a team raises its max to 8 and that AddTags event is handled at the same time
        sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:max-capacity", "Value": "8"}])
        handle_message(as_event(aws_events.tags_call("AddTags", arn, {"autoscaler:max-capacity": "8"})), deps)

    faults.before_call("RegisterScalableTarget", tag_and_deliver)
    with faults.active():
        handle_message(as_event(aws_events.endpoint_state_change("chat", "IN_SERVICE")), deps)
    # Then the older plan's late write is settled by its own second pass: the current tags win at once
    assert describe_scaling()["endpoint/chat/variant/AllTraffic"]["max"] == 8
    # ...and the periodic run finds nothing to do
    aws.clear()
    assert run_reconcile()["writes"] == 0


def test_a_delete_handled_in_the_middle_of_an_older_event_converges_at_once(
    frozen: Any, faults: FaultInjector, stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given a component whose CreateInferenceComponent event is being handled
    resources.create_component_endpoint(sagemaker, "llm-shared", tags={"autoscaler:min-capacity": "0"})
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    deps = dependencies_from_environment()

    def delete_and_deliver() -> None:
        # ...when it is deleted and its DeleteInferenceComponent event is handled at the same time
        sagemaker.delete_inference_component(InferenceComponentName="mistral-7b")
        handle_message(
            as_event(aws_events.component_call("DeleteInferenceComponent", "mistral-7b", "llm-shared")), deps
        )

    faults.before_call("RegisterScalableTarget", delete_and_deliver)
    with faults.active():
        handle_message(
            as_event(aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared")), deps
        )
    # Then the create's own second pass sees the component gone and leaves nothing of it
    assert describe_scaling() == {"_alarms": []}


def test_events_with_20_percent_failures_end_in_the_right_state_with_nothing_dead_lettered(
    frozen: Any,
    faults: FaultInjector,
    stack: EmulatedStack,
    sagemaker: Any,
    autoscaling: Any,
    aws: CallRecorder,
) -> None:
    # Given a mixed account, one more component that takes two minutes to load, and their events
    expected = mixed_account(sagemaker, autoscaling)
    moto_gaps.set_inference_component_ready_after(120)
    resources.create_inference_component(sagemaker, "slow-loader", "llm-host-000")
    expected.append("inference-component/slow-loader")
    entries = [
        aws_events.endpoint_state_change(e["EndpointName"], "IN_SERVICE")
        for e in sagemaker.list_endpoints()["Endpoints"]
    ] + [
        aws_events.component_call("CreateInferenceComponent", c["InferenceComponentName"], c["EndpointName"])
        for c in sagemaker.list_inference_components()["InferenceComponents"]
    ]
    stack.publish(*entries, *entries[:5])  # some delivered twice, as EventBridge may
    # And 20% of the app's attempts failing (botocore retries them), 3% of its calls failing outright
    faults.fail_randomly(0.2, kinds=(*TRANSIENT, LOST_RESPONSE)).fail_calls_randomly(0.03)
    # When the queue is drained, time moving past the recheck delay and the visibility timeout
    failed = 0
    with faults.active():
        for _ in range(15):
            failed += stack.drain().failed_messages
            if stack.pending() == 0:
                break
            frozen.tick(361)
    # Then some messages failed and were retried by SQS, none was dead-lettered, none is left
    assert failed >= 1 and faults.count() >= 20
    assert stack.dead_letters() == [] and stack.pending() == 0
    # And the state is the fault-free one: complete, no orphan, and a clean run has nothing to write
    state = describe_scaling(full=True)
    assert set(state["targets"]) == {*expected, HAND_MADE}
    assert orphans(state, live_resource_ids(sagemaker)) == []
    assert_hand_made_target_untouched(state, faults)
    aws.clear()
    assert run_reconcile()["writes"] == 0
    assert aws.writes() == []
