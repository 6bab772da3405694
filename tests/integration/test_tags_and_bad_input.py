"""Tag overrides end to end, and bad input: a clear outcome, a metric, and no harm to anything else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.builders import configured_endpoint, untag_and_deliver
from tests.support.corpus import MALFORMED_EVENTS, message_body
from tests.support.recording import CallRecorder, LogCapture, emitted_metrics

CORPUS = MALFORMED_EVENTS


def test_tags_override_the_defaults_and_a_tag_change_reconfigures(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    configured_endpoint(
        stack,
        sagemaker,
        "chat",
        tags={
            "autoscaler:max-capacity": "8",
            "autoscaler:metric": "concurrency",
            "autoscaler:target-value": "3",
        },
    )
    rid = "endpoint/chat/variant/AllTraffic"
    assert (describe_scaling()[rid]["min"], describe_scaling()[rid]["max"]) == (1, 8)
    [policy] = autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker", ResourceId=rid)[
        "ScalingPolicies"
    ]
    configuration = policy["TargetTrackingScalingPolicyConfiguration"]
    assert configuration["TargetValue"] == 3.0
    assert configuration["PredefinedMetricSpecification"]["PredefinedMetricType"] == (
        "SageMakerVariantConcurrentRequestsPerModelHighResolution"
    )
    # When the maximum tag is removed
    untag_and_deliver(stack, sagemaker, aws_events.endpoint_arn("chat"), ["autoscaler:max-capacity"])
    # Then the default maximum is back
    assert describe_scaling()[rid]["max"] == 4


def test_opted_out_resources_are_left_alone_and_opting_out_later_releases(
    stack: EmulatedStack, sagemaker: Any
) -> None:
    resources.create_component_endpoint(sagemaker, "llm-shared")
    resources.create_inference_component(sagemaker, "mistral-7b", "llm-shared")
    resources.create_inference_component(
        sagemaker, "experimental", "llm-shared", tags={"autoscaler:enabled": "false"}
    )
    stack.publish(
        aws_events.component_call("CreateInferenceComponent", "mistral-7b", "llm-shared"),
        aws_events.component_call("CreateInferenceComponent", "experimental", "llm-shared"),
    )
    stack.drain()
    assert set(describe_scaling()) == {"inference-component/mistral-7b", "_alarms"}
    # When the whole endpoint is opted out, its components follow (they inherit its tags)
    arn = aws_events.endpoint_arn("llm-shared")
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaler:enabled", "Value": "no"}])
    stack.publish(aws_events.tags_call("AddTags", aws_events.component_arn("mistral-7b"), {}))
    stack.drain()
    assert describe_scaling() == {"_alarms": []}


@pytest.mark.parametrize(
    ("tags", "expected_bounds"),
    [
        ({"autoscaler:max-capacity": "lots"}, (1, 4)),
        ({"autoscaler:min-capacity": "-2", "autoscaler:max-capacity": "6"}, (1, 6)),
        ({"autoscaler:min-capacity": "5", "autoscaler:max-capacity": "2"}, (1, 4)),
        ({"autoscaler:metric": "gpu-memory"}, (1, 4)),
    ],
)
def test_a_bad_tag_value_logs_an_error_counts_a_metric_applies_the_fallback_and_spares_the_neighbour(
    stack: EmulatedStack,
    sagemaker: Any,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
    tags: dict[str, str],
    expected_bounds: tuple[int, int],
) -> None:
    # Given two endpoints in one batch, one with a bad tag value
    resources.create_realtime_endpoint(sagemaker, "broken-tags", tags=tags)
    resources.create_realtime_endpoint(sagemaker, "neighbour", tags={"autoscaler:max-capacity": "7"})
    stack.publish(
        aws_events.endpoint_state_change("broken-tags", "IN_SERVICE"),
        aws_events.endpoint_state_change("neighbour", "IN_SERVICE"),
    )
    stack.drain()
    state = describe_scaling()
    # Then the bad one gets the documented fallback, the neighbour its own tags
    assert (
        state["endpoint/broken-tags/variant/AllTraffic"]["min"],
        state["endpoint/broken-tags/variant/AllTraffic"]["max"],
    ) == expected_bounds
    assert state["endpoint/neighbour/variant/AllTraffic"]["max"] == 7
    # And the problem is an ERROR line naming the tag, and an InvalidTagValues metric
    errors = [line for line in logs.with_key("config_problem") if line["level"] == "ERROR"]
    assert errors and all(line["config_problem"]["setting"] in tags for line in errors)
    assert emitted_metrics(capsys.readouterr().out)["InvalidTagValues"] == len(errors)


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_a_malformed_message_is_rejected_once_changes_nothing_and_spares_the_batch(
    stack: EmulatedStack,
    sagemaker: Any,
    aws: CallRecorder,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
    case: dict[str, Any],
) -> None:
    # Given a malformed message and a good event in the same batch
    resources.create_realtime_endpoint(sagemaker, "chat")
    aws.clear()
    stack.send_raw(message_body(case))
    stack.publish(aws_events.endpoint_state_change("chat", "IN_SERVICE"))
    report = stack.drain()
    # Then the malformed one is rejected with its reason, counted, and not retried...
    assert report.failed_messages == 0 and stack.pending() == 0 and stack.dead_letters() == []
    [rejection] = [line for line in logs.lines if line["message"] == "rejected malformed event"]
    assert rejection["level"] == "ERROR" and case["error"] in rejection["error"]
    assert emitted_metrics(capsys.readouterr().out)["MalformedEvents"] == 1
    # ...and the good event in the same batch was handled
    assert set(describe_scaling()) == {"endpoint/chat/variant/AllTraffic", "_alarms"}
    assert len(aws.writes()) == 2


def test_an_unknown_status_changes_nothing(stack: EmulatedStack, sagemaker: Any, aws: CallRecorder) -> None:
    resources.create_realtime_endpoint(sagemaker, "chat")
    aws.clear()
    stack.publish(aws_events.endpoint_state_change("chat", "EXPLODED"))  # no rule matches it...
    stack.send_raw(
        json.dumps({**_as_event(aws_events.endpoint_state_change("chat", "EXPLODED"))})
    )  # ...forced
    stack.drain()
    assert aws.writes() == []
    assert describe_scaling() == {"_alarms": []}


def _as_event(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": "0",
        "id": "forced-1",
        "source": entry["Source"],
        "detail-type": entry["DetailType"],
        "time": "2026-03-02T09:15:04Z",
        "detail": entry["Detail"],
    }


def test_settings_that_do_not_load_fail_the_message_loudly_and_it_is_retried(
    stack: EmulatedStack, sagemaker: Any, logs: LogCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a deployment whose default business hours do not parse
    monkeypatch.setenv("AUTOSCALER_SCHEDULE", "weekdays 9 to 5")
    stack.reset_dependencies()
    resources.create_realtime_endpoint(sagemaker, "chat")
    # When an event arrives
    stack.publish(aws_events.endpoint_state_change("chat", "IN_SERVICE"))
    report = stack.drain()
    # Then the message fails (SQS keeps it for a retry), an ERROR line says why, and nothing changed
    assert report.failed_messages == 1 and stack.pending() == 1
    [line] = [line for line in logs.lines if line["message"] == "the function's settings do not load"]
    assert line["level"] == "ERROR" and "weekdays" in line["error"]
    assert describe_scaling() == {"_alarms": []}
