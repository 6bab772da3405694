"""The product against AWS's documented behaviour, through the real delivery path: names read from
lower-case ARNs, async endpoints whose config is gone, policies paged by 10, provisioned concurrency at
its floor of 1, quota errors on the event path."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun import freeze_time

from local_account import aws_events, moto_gaps, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.reconcile.fleet_support import run_reconcile
from tests.support.recording import CallRecorder, LogCapture

CHAT = "endpoint/LLM-Chat/variant/AllTraffic"


def test_a_tag_change_on_a_mixed_case_endpoint_reaches_it_under_its_real_name(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given an endpoint named LLM-Chat, configured
    arn = resources.create_realtime_endpoint(sagemaker, "LLM-Chat")
    assert arn.endswith(":endpoint/llm-chat")  # SageMaker's ARN is lower case
    stack.publish(aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"))
    stack.drain()
    # When its team raises the maximum, and CloudTrail reports the call with the lower-case ARN
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:max-capacity", "Value": "9"}])
    stack.publish(aws_events.tags_call("AddTags", arn, {"autoscaler:max-capacity": "9"}))
    report = stack.drain()
    # Then the endpoint is reconfigured under its real name, and nothing exists under the ARN's spelling
    assert report.failed_messages == 0
    state = describe_scaling()
    assert state[CHAT]["max"] == 9
    assert not [rid for rid in state if "llm-chat" in rid]


def test_an_opt_out_on_a_mixed_case_component_releases_it(stack: EmulatedStack, sagemaker: Any) -> None:
    resources.create_component_endpoint(sagemaker, "LLM-Shared")
    arn = resources.create_inference_component(sagemaker, "Mistral-7B", "LLM-Shared")
    stack.publish(aws_events.component_call("CreateInferenceComponent", "Mistral-7B", "LLM-Shared"))
    stack.drain()
    assert "inference-component/Mistral-7B" in describe_scaling()
    # When it is opted out (DeleteTags/AddTags name it by its lower-case ARN only)
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:enabled", "Value": "false"}])
    stack.publish(aws_events.tags_call("AddTags", arn, {"autoscaler:enabled": "false"}))
    stack.drain()
    # Then its configuration is released
    assert describe_scaling() == {"_alarms": []}


def test_a_component_named_only_by_its_response_arn_is_resolved(stack: EmulatedStack, sagemaker: Any) -> None:
    # Given a CloudTrail record whose request lacks the name: only the response ARN (lower case) names it
    resources.create_component_endpoint(sagemaker, "LLM-Shared")
    arn = resources.create_inference_component(sagemaker, "Mistral-7B", "LLM-Shared")
    stack.publish(aws_events.api_call("CreateInferenceComponent", {}, {"inferenceComponentArn": arn}))
    # When it is handled
    report = stack.drain()
    # Then the component is configured under its real name
    assert report.failed_messages == 0
    assert "inference-component/Mistral-7B" in describe_scaling()


def test_a_mixed_case_endpoint_deleted_before_its_tag_event_is_released_under_its_real_name(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    arn = resources.create_realtime_endpoint(sagemaker, "LLM-Chat")
    stack.publish(aws_events.endpoint_state_change("LLM-Chat", "IN_SERVICE"))
    stack.drain()
    # Given the endpoint is gone by the time a DeleteTags record about it arrives
    sagemaker.delete_endpoint(EndpointName="LLM-Chat")
    stack.publish(aws_events.tags_call("DeleteTags", arn, {"team": ""}))
    # Then what the app had for it is released (AAS's resource id keeps the case)
    assert stack.drain().failed_messages == 0
    assert describe_scaling() == {"_alarms": []}


def test_an_async_endpoint_whose_config_was_deleted_keeps_its_async_scaling(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    # Given an async endpoint in service whose endpoint config has been deleted
    resources.create_async_endpoint(sagemaker, "Doc-Embeddings")
    sagemaker.delete_endpoint_config(EndpointConfigName="Doc-Embeddings-config")
    # When its event comes
    stack.publish(aws_events.endpoint_state_change("Doc-Embeddings", "IN_SERVICE"))
    stack.drain()
    # Then it is still classified as async (from DescribeEndpoint): backlog tracking and a wake alarm
    state = describe_scaling()
    rid = "endpoint/Doc-Embeddings/variant/AllTraffic"
    assert state[rid]["policies"] == [
        "sagemaker-autoscaler-target-tracking",
        "sagemaker-autoscaler-wake-from-zero",
    ]
    assert state["_alarms"] == [f"sagemaker-autoscaler-{rid}/wake-from-zero"]


def test_an_account_with_more_policies_than_a_page_reads_them_ten_at_a_time(
    stack: EmulatedStack, sagemaker: Any, aws: CallRecorder
) -> None:
    # Given 12 async endpoints: 24 policies of the app's
    for index in range(12):
        resources.create_async_endpoint(sagemaker, f"Batch-{index:02d}")
    run_reconcile()
    # When the next run reads them
    aws.clear()
    summary = run_reconcile()
    # Then they come in pages of at most 10 (AAS documents MaxResults 1 to 10) and all are seen
    assert aws.count("DescribeScalingPolicies") == 3
    assert summary["writes"] == 0 and summary["resources_unchanged"] == 12


@freeze_time("2026-03-02 22:00:00")
def test_provisioned_concurrency_outside_business_hours_is_registered_at_its_floor(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    tags = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin", "autoscaler:off-hours": "zero"}
    resources.create_serverless_endpoint(sagemaker, "Intent-Classifier", provisioned_concurrency=2, tags=tags)
    stack.publish(aws_events.endpoint_state_change("Intent-Classifier", "IN_SERVICE"))
    # The emulator refuses a provisioned-concurrency target below 1..1 as AWS documents: no failure here
    assert stack.drain().failed_messages == 0
    state = describe_scaling()
    rid = "endpoint/Intent-Classifier/variant/AllTraffic"
    assert (state[rid]["min"], state[rid]["max"]) == (1, 1)


def test_a_quota_error_on_the_event_path_is_final_and_spares_the_rest_of_the_batch(
    stack: EmulatedStack, sagemaker: Any, logs: LogCapture
) -> None:
    # Given an account with room for one more variant target, and two new endpoints in one batch
    moto_gaps.set_scalable_target_quota(1)
    for name in ("Alpha", "Beta"):
        resources.create_realtime_endpoint(sagemaker, name)
    stack.publish(*(aws_events.endpoint_state_change(name, "IN_SERVICE") for name in ("Alpha", "Beta")))
    # When the batch is handled
    report = stack.drain()
    # Then one is configured, the other gets a quota decision (an ERROR line), and no message is retried
    # (waiting does not lift a quota: the periodic run tries again every interval)
    assert report.failed_messages == 0 and report.invocations == 1
    assert sorted(k for k in describe_scaling() if k != "_alarms") == ["endpoint/Alpha/variant/AllTraffic"]
    [quota] = [line for line in logs.lines if line.get("decision", {}).get("decision") == "quota"]
    assert (
        quota["level"] == "ERROR" and quota["decision"]["resource_id"] == "endpoint/Beta/variant/AllTraffic"
    )
    assert stack.dead_letters() == []


@pytest.mark.parametrize("variant_names", [("AllTraffic",), ("Blue", "Green")])
def test_mixed_case_variants_keep_their_case_in_resource_ids(
    stack: EmulatedStack, sagemaker: Any, variant_names: tuple[str, ...]
) -> None:
    resources.create_realtime_endpoint(sagemaker, "Fraud-Scoring", variants=variant_names)
    stack.publish(aws_events.endpoint_state_change("Fraud-Scoring", "IN_SERVICE"))
    stack.drain()
    assert sorted(k for k in describe_scaling() if k != "_alarms") == sorted(
        f"endpoint/Fraud-Scoring/variant/{name}" for name in variant_names
    )
