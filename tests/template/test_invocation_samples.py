"""The samples for `sam local invoke` of the scheduled and the install/uninstall functions.

`events/scheduled/` holds what the schedule rule sends the periodic function; `events/cloudformation/`
what CloudFormation sends the lifecycle function for the Installation custom resource. They must read
through the Powertools data classes the handlers use, and carry the properties the template sets.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.data_classes import CloudFormationCustomResourceEvent, EventBridgeEvent

from tests.template.helpers import EVENTS_DIR

REQUEST_TYPES = ["Create", "Update", "Delete"]


def load(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS_DIR / path).read_text())
    return data


def test_the_scheduled_sample_is_what_the_schedule_rule_sends() -> None:
    # Given the scheduled-event sample
    event = EventBridgeEvent(load("scheduled/periodic-reconcile.json"))

    # When it is read as the periodic handler reads it
    # Then it is an EventBridge scheduled event with the id the handler uses as correlation id
    assert event.source == "aws.events"
    assert event.detail_type == "Scheduled Event"
    assert event.get_id
    (rule,) = event.resources
    assert rule.startswith("arn:aws:events:eu-west-1:123456789012:rule/")


@pytest.mark.parametrize("request_type", REQUEST_TYPES)
def test_a_custom_resource_sample_carries_what_the_handler_and_the_answer_need(
    request_type: str, resources: dict[str, Any]
) -> None:
    # Given a CloudFormation request sample for the Installation
    raw = load(f"cloudformation/installation-{request_type.lower()}.json")
    event = CloudFormationCustomResourceEvent(raw)
    installation = resources["Installation"]

    # When it is read as the lifecycle handler (and its answer to CloudFormation) reads it
    properties = event.resource_properties

    # Then it has the request type, the answer's fields, and the template's properties
    assert event.request_type == request_type
    assert event.request_id and event.stack_id and event.response_url.startswith("https://")
    assert event.logical_resource_id == "Installation"
    assert event.resource_type == installation["Type"]
    assert set(properties) == set(installation["Properties"])
    assert set(properties["Settings"]) == set(installation["Properties"]["Settings"])
    if request_type == "Create":
        assert "PhysicalResourceId" not in raw
    else:
        assert event.physical_resource_id == "sagemaker-autoscaler-installation"


def test_the_update_sample_differs_from_its_old_properties() -> None:
    # Given the Update sample
    event = load("cloudformation/installation-update.json")

    # When its new and old properties are compared
    # Then they differ (CloudFormation sends Update only when a property changed)
    assert event["ResourceProperties"] != event["OldResourceProperties"]
