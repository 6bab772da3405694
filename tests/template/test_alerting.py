"""Alarms reach a person: every alarm notifies one SNS topic, AlarmActionArn or one made for AlertEmail."""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Any

import msgspec.structs
import pytest

from local_account.template import Template
from tests.template.helpers import PERIODIC_FUNCTION_ID
from tests.template.intrinsics import deployed

DESTINATION = {
    "Fn::If": [
        "HasAlarmDestination",
        [{"Fn::If": ["HasAlarmAction", {"Ref": "AlarmActionArn"}, {"Ref": "AlertTopic"}]}],
        {"Ref": "AWS::NoValue"},
    ]
}
TOPIC_RESOURCES = {"AlertTopic", "AlertEmailSubscription", "AlertTopicPolicy"}
TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:team-pager"
EMAIL = "ml-platform@example.com"
# Every alarm of the stack: what it watches, and when it fires.
ALARMS = {
    "DeadLetterQueueAlarm": ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 300),
    "PeriodicReconcileErrorsAlarm": ("AWS/Lambda", "Errors", "Sum", 300),
    "PeriodicReconcileStoppedAlarm": ("AWS/Lambda", "Invocations", "Sum", 3600),
    "ReconcileResourcesFailedAlarm": ("SageMakerAutoscaler", "ReconcileResourcesFailed", "Sum", 300),
    "ProcessingErrorsAlarm": ("SageMakerAutoscaler", "ProcessingErrors", "Sum", 300),
    "RecheckGaveUpAlarm": ("SageMakerAutoscaler", "RecheckGaveUp", "Sum", 300),
}
EMF_ALARMS = [name for name, (namespace, *_) in ALARMS.items() if namespace == "SageMakerAutoscaler"]
STACK_NAMES = ["sagemaker-autoscaler", "sagemaker-autoscaler-dev", "SageMaker-Autoscaler-prod", "x"]


def alarms(template: Template) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
    }


def render(sub: Any, stack_name: str) -> str:
    """An alarm name's Fn::Sub as the deployed stack would render it."""
    assert set(sub) == {"Fn::Sub"} and isinstance(sub["Fn::Sub"], str), sub
    text: str = sub["Fn::Sub"].replace("${AWS::StackName}", stack_name)
    assert "${" not in text, text
    return text


def test_the_stack_has_exactly_these_alarms(template: Template) -> None:
    # Given / When the template's alarms are listed
    # Then they are the dead letters, the periodic run's errors and silence, and the app's failure
    # metrics, each on the metric, statistic and period it is meant to watch
    found = {
        name: (p["Namespace"], p["MetricName"], p["Statistic"], p["Period"])
        for name, p in alarms(template).items()
    }
    assert found == ALARMS


@pytest.mark.parametrize("name", list(ALARMS))
def test_every_alarm_notifies_the_one_destination_on_alarm_and_ok(template: Template, name: str) -> None:
    # Given an alarm
    properties = alarms(template)[name]

    # When its actions are read
    # Then ALARM and OK go to the same single topic, and the alarm is never named by CloudFormation
    assert properties["AlarmActions"] == DESTINATION
    assert properties["OKActions"] == DESTINATION
    assert "InsufficientDataActions" not in properties
    assert "AlarmName" in properties
    assert properties.get("ActionsEnabled", True) is True


@pytest.mark.parametrize(
    ("overrides", "actions", "topic"),
    [
        ({}, None, False),
        ({"AlertEmail": EMAIL}, [{"Ref": "AlertTopic"}], True),
        ({"AlarmActionArn": TOPIC_ARN}, [{"Ref": "AlarmActionArn"}], False),
        ({"AlarmActionArn": TOPIC_ARN, "AlertEmail": EMAIL}, [{"Ref": "AlarmActionArn"}], False),
    ],
    ids=["neither", "email only", "topic only", "both: the topic wins"],
)
def test_the_destination_is_the_given_topic_else_one_made_for_the_email(
    template: Template, overrides: dict[str, str], actions: list[Any] | None, topic: bool
) -> None:
    # Given the stack deployed with these alerting parameters
    stack = deployed(template, overrides)

    # When its alarms and topic resources are read
    found_actions = {name: (p.get("AlarmActions"), p.get("OKActions")) for name, p in alarms(stack).items()}
    topic_resources = TOPIC_RESOURCES & set(stack["Resources"])

    # Then every alarm notifies that destination (or nothing at all), and the stack makes a topic
    # only for an email address with no topic given
    assert found_actions == dict.fromkeys(ALARMS, (actions, actions))
    assert topic_resources == (TOPIC_RESOURCES if topic else set())
    assert ("AlertTopicArn" in stack["Outputs"]) == topic


def test_the_description_says_the_topic_wins_over_the_email(template: Template) -> None:
    # Given / When the two parameters' descriptions are read
    topic = template["Parameters"]["AlarmActionArn"]["Description"]
    email = template["Parameters"]["AlertEmail"]["Description"]

    # Then both say which one is used when both are set
    assert "this one wins" in topic
    assert "Ignored when AlarmActionArn is set" in email


def test_the_email_is_subscribed_to_the_created_topic(template: Template) -> None:
    # Given the stack deployed with only an email address
    resources = deployed(template, {"AlertEmail": EMAIL})["Resources"]

    # When the subscription is read
    subscription = resources["AlertEmailSubscription"]["Properties"]

    # Then that address gets email from the created topic
    assert subscription == {
        "TopicArn": {"Ref": "AlertTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlertEmail"},
    }


def test_only_this_stacks_alarms_in_this_account_may_publish_to_the_topic(template: Template) -> None:
    # Given the created topic's policy
    policy = template["Resources"]["AlertTopicPolicy"]["Properties"]

    # When its single statement is read
    (statement,) = policy["PolicyDocument"]["Statement"]

    # Then CloudWatch may publish, for this account (confused deputy), and only for this stack's alarms
    assert policy["Topics"] == [{"Ref": "AlertTopic"}]
    assert statement["Effect"] == "Allow"
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert statement["Action"] == "sns:Publish"
    assert statement["Resource"] == {"Ref": "AlertTopic"}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    source_arn = statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"]
    assert source_arn.startswith("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:")


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_every_alarm_may_publish_under_the_topic_policy(template: Template, stack_name: str) -> None:
    # Given the topic policy's source pattern and the alarm names, for a stack name
    statement = template["Resources"]["AlertTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]
    pattern = statement["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"].rsplit(":alarm:", 1)[1]

    # When each alarm's name is matched against it
    names = {name: render(p["AlarmName"], stack_name) for name, p in alarms(template).items()}
    refused = [
        name
        for name, rendered in names.items()
        if not fnmatchcase(rendered, render({"Fn::Sub": pattern}, stack_name))
    ]

    # Then no alarm of the stack is refused by its own topic
    assert refused == []


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_no_alarm_can_be_mistaken_for_one_the_app_owns(template: Template, stack_name: str) -> None:
    # Given the prefix by which the app finds (and releases) its own alarms
    model = pytest.importorskip("sagemaker_autoscaler.core.domain")
    prefix = model.NAME_PREFIX.lower()

    # When the stack's alarm names are rendered for a stack name
    names = [render(p["AlarmName"], stack_name) for p in alarms(template).values()]

    # Then none starts with it, in any case, so the periodic reconcile never deletes them and the
    # roles (alarm:sagemaker-autoscaler-*) cannot touch them; and no two alarms share a name
    assert [name for name in names if name.lower().startswith(prefix)] == []
    assert len(set(names)) == len(names)


def test_the_topic_is_not_encrypted_with_a_key_cloudwatch_cannot_use(template: Template) -> None:
    # Given the created topic
    topic = template["Resources"]["AlertTopic"]

    # When its encryption is read
    key = topic["Properties"].get("KmsMasterKeyId")

    # Then it is not the AWS managed key (whose policy cannot let CloudWatch publish); this stack
    # uses no key at all, as the comment above the resource explains
    assert key is None
    assert topic["Condition"] == "CreateAlertTopic"


@pytest.mark.parametrize("name", EMF_ALARMS)
def test_the_metric_alarms_watch_the_apps_own_emf_metrics(template: Template, name: str) -> None:
    # Given an alarm on one of the app's metrics, and where the functions emit them
    properties = alarms(template)[name]
    environment = template["Globals"]["Function"]["Environment"]["Variables"]

    # When its namespace and dimension are compared with the functions' Powertools settings
    # Then they are the ones the metrics are emitted under, and any count within 5 minutes fires it
    assert properties["Namespace"] == environment["POWERTOOLS_METRICS_NAMESPACE"]
    assert properties["Dimensions"] == [{"Name": "service", "Value": environment["POWERTOOLS_SERVICE_NAME"]}]
    assert (properties["ComparisonOperator"], properties["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
    assert (properties["EvaluationPeriods"], properties["TreatMissingData"]) == (1, "notBreaching")


def test_the_metric_names_are_the_ones_the_code_emits(template: Template) -> None:
    # Given the metric names the code emits
    journal = pytest.importorskip("sagemaker_autoscaler.telemetry.journal")
    fleet = pytest.importorskip("sagemaker_autoscaler.engine.account_run")
    emitted = {value for key, value in vars(journal.MetricName).items() if not key.startswith("_")}
    # (the periodic run emits one metric per summary field: resources_failed -> ReconcileResourcesFailed)
    emitted |= {
        "Reconcile" + "".join(part.capitalize() for part in field.name.split("_"))
        for field in msgspec.structs.fields(fleet.RunSummary)
    }

    # When the alarms' metric names are looked up
    watched = {alarms(template)[name]["MetricName"] for name in EMF_ALARMS}

    # Then each is one of them
    assert watched <= emitted, watched - emitted


def test_the_periodic_reconcile_alarms_watch_that_function(template: Template) -> None:
    # Given the two alarms on the periodic function
    errors = alarms(template)["PeriodicReconcileErrorsAlarm"]
    stopped = alarms(template)["PeriodicReconcileStoppedAlarm"]
    dimension = [{"Name": "FunctionName", "Value": {"Ref": PERIODIC_FUNCTION_ID}}]

    # When they are read
    # Then any failed run fires the first (no errors counted is no news); the second fires when an
    # hour passes with no run at all (no datapoint is the breach)
    assert errors["Dimensions"] == stopped["Dimensions"] == dimension
    assert (errors["ComparisonOperator"], errors["Threshold"], errors["TreatMissingData"]) == (
        "GreaterThanOrEqualToThreshold",
        1,
        "notBreaching",
    )
    assert (stopped["ComparisonOperator"], stopped["Threshold"], stopped["TreatMissingData"]) == (
        "LessThanThreshold",
        1,
        "breaching",
    )


def test_the_silence_alarm_leaves_room_for_the_default_schedule(template: Template) -> None:
    # Given the default schedule and the silence alarm's window
    schedule = template["Parameters"]["ReconcileSchedule"]["Default"]
    stopped = alarms(template)["PeriodicReconcileStoppedAlarm"]
    found = re.fullmatch(r"rate\((\d+) minutes\)", schedule)
    assert found is not None, schedule

    # When the window is compared with the interval
    interval = int(found[1]) * 60
    window = stopped["Period"] * stopped["EvaluationPeriods"]

    # Then a single late or dropped tick never fires it (the window holds several runs), and the
    # parameter's description warns about slower schedules
    assert window >= 3 * interval
    assert "30 minutes or less" in template["Parameters"]["ReconcileSchedule"]["Description"]


def test_sam_passes_the_rules_through_unchanged(template: Template, transformed: dict[str, Any]) -> None:
    # Given / When the Rules of the template and of what CloudFormation receives are compared
    # Then the transform kept them as written
    assert transformed["Rules"] == template["Rules"]
