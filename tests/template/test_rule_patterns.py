"""The EventBridge rules of the template select exactly the events the function handles.

Patterns are matched with moto's own EventBridge matcher, the one the local account delivers with,
first directly and then end to end (put_events -> rule -> SQS).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.events.models import EventPattern, EventPatternParser

from local_account.template import event_rule_patterns
from tests.template.helpers import UNMATCHED_PREFIX, raw_samples

ENDPOINT_RULE = "EndpointStateChangeRule"
API_CALL_RULE = "SageMakerApiCallRule"

# Which rule must deliver each handled sample, by the sample's name prefix.
EXPECTED_RULE_BY_PREFIX = {"endpoint-": ENDPOINT_RULE, "cloudtrail-": API_CALL_RULE}

SAMPLES = raw_samples()
HANDLED = sorted(name for name in SAMPLES if not name.startswith(UNMATCHED_PREFIX))
UNMATCHED = sorted(name for name in SAMPLES if name.startswith(UNMATCHED_PREFIX))


def expected_rule(sample_name: str) -> str:
    for prefix, rule in EXPECTED_RULE_BY_PREFIX.items():
        if sample_name.startswith(prefix):
            return rule
    raise AssertionError(
        f"sample {sample_name!r} has no expected rule: name it endpoint-*, cloudtrail-* or unmatched-*"
    )


def matching_rules(event: dict[str, Any]) -> set[str]:
    return {
        logical_id
        for logical_id, pattern in event_rule_patterns().items()
        if EventPattern(json.dumps(pattern), pattern).matches_event(event)
    }


def test_the_template_has_the_two_rules() -> None:
    # Given / When the template's rule patterns are read
    patterns = event_rule_patterns()

    # Then there are exactly the endpoint and the API-call rule, each valid for EventBridge
    assert set(patterns) == {ENDPOINT_RULE, API_CALL_RULE}
    for pattern in patterns.values():
        assert EventPatternParser(json.dumps(pattern)).parse() == pattern


def test_the_patterns_are_literal_json() -> None:
    # Given the rule patterns as written in the template
    patterns = event_rule_patterns()

    # When they are serialised
    text = json.dumps(patterns)

    # Then no intrinsic function hides in them (tests and emulator could not evaluate it)
    assert "Fn::" not in text
    assert '"Ref"' not in text


def test_there_are_samples_of_both_kinds() -> None:
    # Given / When the samples are grouped
    kinds = {expected_rule(name) for name in HANDLED}

    # Then each rule has samples, and there are negative samples too
    assert kinds == {ENDPOINT_RULE, API_CALL_RULE}
    assert len(UNMATCHED) >= 5


@pytest.mark.parametrize("sample_name", HANDLED)
def test_a_handled_sample_is_matched_by_exactly_its_rule(sample_name: str) -> None:
    # Given a sample the function handles
    event = SAMPLES[sample_name]

    # When every rule pattern is evaluated against it
    matched = matching_rules(event)

    # Then only the rule meant for it matches (a second match would deliver it twice)
    assert matched == {expected_rule(sample_name)}


@pytest.mark.parametrize("sample_name", UNMATCHED)
def test_an_unmatched_sample_is_matched_by_no_rule(sample_name: str) -> None:
    # Given a sample the function must never see
    event = SAMPLES[sample_name]

    # When every rule pattern is evaluated against it
    matched = matching_rules(event)

    # Then no rule matches
    assert matched == set()


def test_a_failed_api_call_is_excluded_only_by_its_error_code() -> None:
    # Given the failed CreateInferenceComponent sample, and the same call without its error
    failed = SAMPLES["unmatched-cloudtrail-create-inference-component-error"]
    succeeded = json.loads(json.dumps(failed))
    del succeeded["detail"]["errorCode"]
    del succeeded["detail"]["errorMessage"]

    # When both are matched
    # Then the "errorCode exists: false" filter is what tells them apart
    assert matching_rules(failed) == set()
    assert matching_rules(succeeded) == {API_CALL_RULE}


@mock_aws
def test_put_events_delivers_exactly_the_handled_samples_to_the_queue() -> None:
    # Given the template's rules in an emulated account, each targeting one queue
    region = "eu-west-1"
    events = boto3.client("events", region_name=region)
    sqs = boto3.client("sqs", region_name=region)
    queue_url = sqs.create_queue(QueueName="scaling-events")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
    queue_arn = attributes["QueueArn"]
    for logical_id, pattern in event_rule_patterns().items():
        events.put_rule(Name=logical_id, EventPattern=json.dumps(pattern), State="ENABLED")
        events.put_targets(Rule=logical_id, Targets=[{"Id": "queue", "Arn": queue_arn}])

    # When every sample is put on the default bus
    for sample in SAMPLES.values():
        response = events.put_events(
            Entries=[
                {
                    "Source": sample["source"],
                    "DetailType": sample["detail-type"],
                    "Detail": json.dumps(sample["detail"]),
                    "Resources": sample["resources"],
                }
            ]
        )
        assert response["FailedEntryCount"] == 0

    # Then the queue holds one message per handled sample, and nothing else
    delivered: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            break
        delivered.extend(json.loads(message["Body"]) for message in batch)
    delivered_details = sorted(json.dumps(event["detail"], sort_keys=True) for event in delivered)
    expected_details = sorted(json.dumps(SAMPLES[name]["detail"], sort_keys=True) for name in HANDLED)
    assert delivered_details == expected_details
