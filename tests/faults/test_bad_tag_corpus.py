"""Every bad tag value in tests/data/bad_tag_values.json, through the real path (rule -> queue -> handler):
a log line naming the tag, the metrics, the documented fallback, and a healthy neighbour in the same batch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from local_account import aws_events, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.support.builders import create_endpoint
from tests.support.recording import LogCapture, emitted_metrics

CORPUS = json.loads((Path(__file__).parents[1] / "data" / "bad_tag_values.json").read_text())["cases"]
PREFIX = "autoscaler:"
TRACKING = "sagemaker-autoscaler-target-tracking"


@pytest.fixture(autouse=True)
def business_hours() -> Iterator[None]:
    # A Tuesday morning: a resource with a (valid) schedule is in its business phase.
    with freeze_time("2026-03-03 10:00:00"):
        yield


def create(sagemaker: Any, kind: str, tags: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The resource with the bad tag; returns its resource id and the event that announces it."""
    if kind == "component":
        resources.create_component_endpoint(sagemaker, "llm-host")
        resources.create_inference_component(sagemaker, "broken-tags", "llm-host", tags=tags)
        event = aws_events.component_call("CreateInferenceComponent", "broken-tags", "llm-host")
        return "inference-component/broken-tags", event
    create_endpoint(sagemaker, "broken-tags", kind=kind, tags=tags)
    return "endpoint/broken-tags/variant/AllTraffic", aws_events.endpoint_state_change(
        "broken-tags", "IN_SERVICE"
    )


def tracked_metric(policy: dict[str, Any]) -> str:
    configuration = policy["configuration"]
    if "PredefinedMetricSpecification" in configuration:
        return str(configuration["PredefinedMetricSpecification"]["PredefinedMetricType"])
    return str(configuration["CustomizedMetricSpecification"]["MetricName"])


def assert_fallback(state: dict[str, Any], rid: str, fallback: dict[str, Any]) -> None:
    target = state["targets"].get(rid)
    if "managed" in fallback:
        assert (target is not None) is fallback["managed"]
    assert target is not None
    if "min" in fallback:
        assert (target["min"], target["max"]) == (fallback["min"], fallback["max"])
    if "suspended" in fallback:
        assert any(target["suspended"].values()) is fallback["suspended"]
    policy = state["policies"][f"{rid}:{TRACKING}"]
    if "target_value" in fallback:
        assert policy["configuration"]["TargetValue"] == pytest.approx(fallback["target_value"])
    if "metric" in fallback:
        assert tracked_metric(policy) == fallback["metric"]
    if "scale_in_cooldown" in fallback:
        assert policy["configuration"]["ScaleInCooldown"] == fallback["scale_in_cooldown"]
    if "scale_out_cooldown" in fallback:
        assert policy["configuration"]["ScaleOutCooldown"] == fallback["scale_out_cooldown"]
    actions = {key: value for key, value in state["scheduled_actions"].items() if key.startswith(f"{rid}:")}
    if "scheduled_actions" in fallback:
        assert len(actions) == fallback["scheduled_actions"], sorted(actions)
    if "close_bounds" in fallback:
        [closing] = [value for key, value in actions.items() if "-close-" in key]
        assert [closing["bounds"]["MinCapacity"], closing["bounds"]["MaxCapacity"]] == fallback[
            "close_bounds"
        ]


def test_the_corpus_is_large_and_every_value_is_a_legal_sagemaker_tag_value() -> None:
    assert len(CORPUS) >= 30
    assert len({case["name"] for case in CORPUS}) == len(CORPUS)
    legal = set("_.:/=+-@ ")
    for case in CORPUS:
        assert all(ch.isalnum() or ch in legal for ch in case["value"]), case["name"]
        assert case["severity"] in {"invalid", "ignored", "adjusted"}


@pytest.mark.parametrize("case", CORPUS, ids=[case["name"] for case in CORPUS])
def test_a_bad_tag_value_is_reported_falls_back_and_spares_its_neighbour(
    stack: EmulatedStack,
    sagemaker: Any,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
    case: dict[str, Any],
) -> None:
    # Given a resource with the bad tag value and a healthy neighbour, announced in one batch
    tags = {PREFIX + key: value for key, value in case["other_tags"].items()}
    tags[PREFIX + case["setting"]] = case["value"]
    rid, event = create(sagemaker, case["kind"], tags)
    resources.create_realtime_endpoint(sagemaker, "neighbour", tags={"autoscaler:max-capacity": "7"})
    stack.publish(event, aws_events.endpoint_state_change("neighbour", "IN_SERVICE"))
    # When the batch is handled
    report = stack.drain()
    assert report.invocations == 1 and report.failed_messages == 0
    # Then a log line at the severity's level names the tag and says what is wrong with it
    problems = [
        line for line in logs.with_key("config_problem") if line["config_problem"]["resource_id"] == rid
    ]
    level = "ERROR" if case["severity"] == "invalid" else "WARNING"
    named = [line for line in problems if line["config_problem"]["setting"] == PREFIX + case["setting"]]
    assert named, problems
    assert all(line["level"] == level and case["error"] in line["message"] for line in named), named
    assert all(line["config_problem"]["severity"] == case["severity"] for line in named)
    # And it is counted: every problem in ConfigProblems, invalid values also in InvalidTagValues
    metrics = emitted_metrics(capsys.readouterr().out)
    errors = sum(1 for line in problems if line["level"] == "ERROR")
    assert metrics.get("ConfigProblems") == len(problems)
    assert metrics.get("InvalidTagValues", 0) == errors
    if case["severity"] == "invalid":
        assert errors >= 1
    # And the documented fallback applies
    state = describe_scaling(full=True)
    assert_fallback(state, rid, case["fallback"])
    # And the neighbour got its own configuration, with no problem reported
    neighbour = "endpoint/neighbour/variant/AllTraffic"
    assert (state["targets"][neighbour]["min"], state["targets"][neighbour]["max"]) == (1, 7)
    assert state["policies"][f"{neighbour}:{TRACKING}"]["configuration"]["TargetValue"] == 70.0
    assert [
        line for line in logs.with_key("config_problem") if line["config_problem"]["resource_id"] == neighbour
    ] == []
