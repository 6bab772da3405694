"""The deployment settings the design relies on are in the template."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.template.helpers import (
    EVENT_SOURCE_MAPPING_ID,
    FUNCTION_ID,
    LIFECYCLE_FUNCTION_ID,
    PERIODIC_FUNCTION_ID,
    ROLE_OF_FUNCTION,
    SCHEDULE_RULE_ID,
    TEMPLATE_FILE,
)


def test_functions_share_runtime_architecture_tracing_and_layers(template: dict[str, Any]) -> None:
    # Given the function globals
    globals_function = template["Globals"]["Function"]

    # When they are read
    # Then every function runs python3.13 on arm64, traced, with Powertools and the autoscaler layer
    # (and, opted in with AdotLayerArn, the OpenTelemetry layer last: test_tracing.py)
    layers = [{"Ref": "PowertoolsLayerArn"}, {"Ref": "AutoscalerLayer"}]
    assert globals_function["Runtime"] == "python3.13"
    assert globals_function["Architectures"] == ["arm64"]
    assert globals_function["Tracing"] == "Active"
    assert globals_function["Layers"] == {
        "Fn::If": ["HasAdotLayer", [*layers, {"Ref": "AdotLayerArn"}], layers]
    }
    assert globals_function["LoggingConfig"]["LogFormat"] == "JSON"


def test_the_layer_is_built_for_the_runtime(resources: dict[str, Any]) -> None:
    # Given the layer
    layer = resources["AutoscalerLayer"]

    # When its build settings are read
    # Then SAM builds it for python3.13 on arm64 from layers/autoscaler/, with that folder's Makefile
    # (byte code included: test_layer_build.py)
    assert layer["Properties"]["ContentUri"] == "layers/autoscaler/"
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    assert (TEMPLATE_FILE.parent / "layers" / "autoscaler" / "sagemaker_autoscaler" / "__init__.py").exists()


def test_the_queue_feeds_the_function_in_small_partial_batches(resources: dict[str, Any]) -> None:
    # Given the function and its queue
    function = resources[FUNCTION_ID]["Properties"]
    queue = resources["ScalingEventsQueue"]["Properties"]

    # When the event source is read
    (source,) = function["Events"].values()

    # Then batches report item failures, concurrency is bounded, and the visibility timeout is six
    # times the function timeout
    assert source["Type"] == "SQS"
    assert source["Properties"]["Queue"] == {"Fn::GetAtt": ["ScalingEventsQueue", "Arn"]}
    assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert source["Properties"]["BatchSize"] == 10
    assert source["Properties"]["ScalingConfig"] == {"MaximumConcurrency": 2}
    assert function["Timeout"] == 60
    assert function["MemorySize"] == 256
    assert queue["VisibilityTimeout"] == 6 * function["Timeout"]
    assert queue["SqsManagedSseEnabled"] is True


def test_failures_end_in_an_alarmed_dead_letter_queue(resources: dict[str, Any]) -> None:
    # Given the queues and the alarm
    queue = resources["ScalingEventsQueue"]["Properties"]
    dead_letters = resources["ScalingEventsDeadLetterQueue"]["Properties"]
    alarm = resources["DeadLetterQueueAlarm"]["Properties"]

    # When their settings are read
    # Then messages move to the dead-letter queue after 5 receives, stay 14 days, and raise the
    # alarm (whose destination test_alerting.py checks with every other alarm's)
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["ScalingEventsDeadLetterQueue", "Arn"]},
        "maxReceiveCount": 5,
    }
    assert dead_letters["MessageRetentionPeriod"] == 14 * 24 * 3600
    assert dead_letters["SqsManagedSseEnabled"] is True
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["ScalingEventsDeadLetterQueue", "QueueName"]}}
    ]
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 1)
    assert alarm["TreatMissingData"] == "notBreaching"
    assert "AlarmActions" in alarm and "OKActions" in alarm


def test_both_rules_deliver_to_the_events_queue(resources: dict[str, Any]) -> None:
    # Given the rules (but the optional copy of the change events to a central bus: test_change_events)
    rules = {
        key: value
        for key, value in resources.items()
        if value["Type"] == "AWS::Events::Rule" and key != "CentralEventBusForwardingRule"
    }

    # When their targets are read
    # Then each has the events queue as its only target, with the dead-letter queue as fallback
    for rule in rules.values():
        (target,) = rule["Properties"]["Targets"]
        assert target["Arn"] == {"Fn::GetAtt": ["ScalingEventsQueue", "Arn"]}
        assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["ScalingEventsDeadLetterQueue", "Arn"]}}


def test_the_trail_exists_only_on_request(resources: dict[str, Any], template: dict[str, Any]) -> None:
    # Given the trail resources
    trail_resources = ["TrailBucket", "TrailBucketPolicy", "Trail"]

    # When their conditions are read
    # Then they are all created only when CreateCloudTrailTrail is true, off by default
    assert all(resources[name]["Condition"] == "CreateTrail" for name in trail_resources)
    assert template["Parameters"]["CreateCloudTrailTrail"]["Default"] == "false"
    assert resources["Trail"]["Properties"]["EventSelectors"] == [
        {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}
    ]


def test_the_outputs_name_what_operators_need(template: dict[str, Any]) -> None:
    # Given / When the outputs are listed
    outputs = set(template["Outputs"])

    # Then queues, function and layer are all there
    assert {
        "ScalingEventsQueueUrl",
        "ScalingEventsQueueArn",
        "ScalingEventsDeadLetterQueueUrl",
        "ScalingEventsDeadLetterQueueArn",
        "ScalingEventsFunctionName",
        "PeriodicReconcileFunctionName",
        "LifecycleFunctionName",
        "AutoscalerLayerArn",
    } <= outputs
    assert template["Outputs"]["PeriodicReconcileFunctionName"]["Value"] == {"Ref": PERIODIC_FUNCTION_ID}
    assert template["Outputs"]["LifecycleFunctionName"]["Value"] == {"Ref": LIFECYCLE_FUNCTION_ID}


def test_the_periodic_reconcile_runs_alone_on_the_schedule_parameter(
    resources: dict[str, Any], template: dict[str, Any]
) -> None:
    # Given the periodic function and the schedule parameter
    function = resources[PERIODIC_FUNCTION_ID]["Properties"]
    parameter = template["Parameters"]["ReconcileSchedule"]

    # When its event source and limits are read
    (event,) = function["Events"].values()

    # Then it runs every 15 minutes by default, enabled, one run at a time, for up to 10 minutes
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == {"Ref": "ReconcileSchedule"}
    assert event["Properties"]["State"] == "ENABLED"
    assert parameter["Default"] == "rate(15 minutes)"
    assert re.fullmatch(parameter["AllowedPattern"], parameter["Default"])
    assert re.fullmatch(parameter["AllowedPattern"], "cron(0/10 * * * ? *)")
    assert not re.fullmatch(parameter["AllowedPattern"], "every 15 minutes")
    assert function["ReservedConcurrentExecutions"] == {
        "Fn::If": ["ReservePeriodicConcurrency", 1, {"Ref": "AWS::NoValue"}]
    }
    assert (function["Timeout"], function["MemorySize"]) == (600, 512)
    assert function["CodeUri"] == "functions/periodic_reconcile/"
    assert function["Handler"] == "app.lambda_handler"
    assert "Environment" not in function  # the shared settings come from Globals; no queue


def test_the_lifecycle_function_answers_within_its_timeout(resources: dict[str, Any]) -> None:
    # Given the lifecycle function and the custom resource it backs
    function = resources[LIFECYCLE_FUNCTION_ID]["Properties"]
    installation = resources["Installation"]

    # When their settings are read
    # Then CloudFormation calls the function, which has 300 s, and waits no longer than 600 s
    # for an answer even if the function crashed (instead of the default hour)
    assert installation["Type"] == "Custom::SageMakerAutoscalerInstallation"
    assert installation["Properties"]["ServiceToken"] == {"Fn::GetAtt": [LIFECYCLE_FUNCTION_ID, "Arn"]}
    assert function["Timeout"] == 300
    assert installation["Properties"]["ServiceTimeout"] > function["Timeout"]
    assert function["CodeUri"] == "functions/lifecycle/"
    assert function["Handler"] == "app.lambda_handler"
    assert function["EventInvokeConfig"] == {"MaximumRetryAttempts": 0}


def test_the_keep_on_uninstall_parameter_is_off_by_default(template: dict[str, Any]) -> None:
    # Given the parameter and the lifecycle function's environment
    parameter = template["Parameters"]["KeepScalingOnUninstall"]
    variables = template["Resources"][LIFECYCLE_FUNCTION_ID]["Properties"]["Environment"]["Variables"]

    # When they are read
    # Then deleting the stack cleans up unless asked otherwise, and the function is told
    assert parameter["Default"] == "false"
    assert parameter["AllowedValues"] == ["false", "true"]
    assert variables["AUTOSCALER_KEEP_ON_UNINSTALL"] == {"Ref": "KeepScalingOnUninstall"}


def test_the_installation_is_deleted_before_what_the_uninstall_needs(resources: dict[str, Any]) -> None:
    # Given the custom resource
    installation = resources["Installation"]
    lifecycle_role = ROLE_OF_FUNCTION[LIFECYCLE_FUNCTION_ID]

    # When its explicit dependencies are read (CloudFormation deletes in reverse order)
    depends_on = set(installation["DependsOn"])

    # Then the rules it disables, the queue and its event source mapping, its function's role and
    # every policy that role attaches all outlive its Delete
    attached = {arn["Ref"] for arn in resources[lifecycle_role]["Properties"]["ManagedPolicyArns"]}
    assert {
        "EndpointStateChangeRule",
        "SageMakerApiCallRule",
        SCHEDULE_RULE_ID,
        "ScalingEventsQueue",
        EVENT_SOURCE_MAPPING_ID,
        lifecycle_role,
    } | attached == depends_on


NOT_PLANNING = {"AUTOSCALER_PUBLISH_CHANGE_EVENTS", "AUTOSCALER_ACCOUNT_ID"}


def test_an_update_reconciles_whenever_a_setting_changes(template: dict[str, Any]) -> None:
    # Given the custom resource's properties and the shared settings of the functions
    properties = template["Resources"]["Installation"]["Properties"]
    shared = template["Globals"]["Function"]["Environment"]["Variables"]

    # When the settings it carries are compared with the Globals (but the two that change no plan:
    # whether changes are published, and the account those events name)
    autoscaler_settings = {
        name: value
        for name, value in shared.items()
        if name.startswith("AUTOSCALER_") and name not in NOT_PLANNING
    }

    # Then they are identical (a changed parameter changes a property, so CloudFormation sends an
    # Update and the account is reconciled), and a new layer version does the same
    assert properties["Settings"] == autoscaler_settings
    assert properties["AutoscalerLayerVersion"] == {"Ref": "AutoscalerLayer"}


@pytest.mark.parametrize("function_id", list(ROLE_OF_FUNCTION))
def test_every_function_logs_to_a_retained_group_with_retention(
    resources: dict[str, Any], function_id: str
) -> None:
    # Given a function's log group
    log_group_id = resources[function_id]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    log_group = resources[log_group_id]

    # When its settings are read
    # Then it keeps logs for the configured days, survives the stack, and no two functions share one
    assert log_group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert log_group["DeletionPolicy"] == log_group["UpdateReplacePolicy"] == "Retain"
    groups = {resources[f]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"] for f in ROLE_OF_FUNCTION}
    assert len(groups) == len(ROLE_OF_FUNCTION)
