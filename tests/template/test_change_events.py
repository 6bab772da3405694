"""Change events in the template: publishing on by default with PutEvents on the default bus only, and
the copy to a central bus only when CentralEventBusArn is set, with a role limited to that bus."""

from __future__ import annotations

from typing import Any

from local_account.template import Template
from tests.template.helpers import role_statements
from tests.template.intrinsics import deployed

CENTRAL = "arn:aws:events:eu-west-1:210987654321:event-bus/sagemaker-autoscaler-central"
DEFAULT_BUS = {"Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"}
FORWARDING = {"CentralEventBusForwardingRule", "CentralEventBusForwardingRole"}


def put_events_resources(document: Template) -> dict[str, list[Any]]:
    """Role -> the resources of its statements allowing events:PutEvents."""
    return {
        role: [s["Resource"] for s in statements if "events:PutEvents" in str(s["Action"])]
        for role, statements in role_statements(document).items()
    }


def test_by_default_every_function_may_publish_on_the_default_bus_and_nothing_is_forwarded(
    template: Template,
) -> None:
    # Given the template deployed with its defaults
    document = deployed(template)

    # When the publishing permissions and the forwarding resources are looked for
    publishing = put_events_resources(document)

    # Then every function's role may put events on this account's default bus, and only there
    assert document["Parameters"]["PublishChangeEvents"]["Default"] == "true"
    for role in ("ScalingEventsFunctionRole", "PeriodicReconcileFunctionRole", "LifecycleFunctionRole"):
        assert publishing[role] == [DEFAULT_BUS], role
    # And with CentralEventBusArn empty there is no forwarding rule and no role for it
    assert FORWARDING.isdisjoint(document["Resources"])


def test_publishing_switched_off_takes_the_permission_away(template: Template) -> None:
    # Given the template deployed with PublishChangeEvents=false (and a central bus named)
    document = deployed(template, {"PublishChangeEvents": "false", "CentralEventBusArn": CENTRAL})

    # When the publishing permissions are looked for
    # Then no role may put events, and nothing is forwarded (there is nothing to forward)
    assert all(found == [] for found in put_events_resources(document).values())
    assert FORWARDING.isdisjoint(document["Resources"])


def test_publishing_planned_changes_too_keeps_the_permission_and_the_forwarding(template: Template) -> None:
    document = deployed(template, {"PublishChangeEvents": "with-planned", "CentralEventBusArn": CENTRAL})
    publishing = put_events_resources(document)
    for role in ("ScalingEventsFunctionRole", "PeriodicReconcileFunctionRole", "LifecycleFunctionRole"):
        assert publishing[role] == [DEFAULT_BUS], role
    assert set(document["Resources"]) >= FORWARDING


def test_a_central_bus_gets_a_forwarding_rule_and_a_role_for_exactly_that_bus(template: Template) -> None:
    # Given the template deployed with CentralEventBusArn set
    resources = deployed(template, {"CentralEventBusArn": CENTRAL})["Resources"]

    # When the forwarding rule and its role are read
    rule = resources["CentralEventBusForwardingRule"]["Properties"]
    role = resources["CentralEventBusForwardingRole"]["Properties"]
    (target,) = rule["Targets"]
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]

    # Then the rule matches the app's own events and targets the central bus with that role
    assert rule["EventPattern"] == {
        "source": ["sagemaker-autoscaler"],
        "detail-type": ["Scaling Change", "Scaling Failure"],
    }
    assert "EventBusName" not in rule  # the default bus, where the functions publish
    assert target["Arn"] == {"Ref": "CentralEventBusArn"}  # the parameter, set to CENTRAL here
    assert target["RoleArn"] == {"Fn::GetAtt": ["CentralEventBusForwardingRole", "Arn"]}
    # And the role is EventBridge's, may only put events on exactly that bus, and has no name
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert (statement["Action"], statement["Resource"]) == ("events:PutEvents", {"Ref": "CentralEventBusArn"})
    assert "RoleName" not in role and "Name" not in rule


def test_the_installation_outlives_the_forwarding_rule(template: Template) -> None:
    # Given a central bus: the install's and the uninstall's changes must reach it too
    installation = deployed(template, {"CentralEventBusArn": CENTRAL})["Resources"]["Installation"]
    # Then the installation refers to the rule (created before it, deleted after it)
    assert installation["Properties"]["CentralForwardingRule"] == {
        "Fn::GetAtt": ["CentralEventBusForwardingRule", "Arn"]
    }
