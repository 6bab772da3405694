"""The deployment settings the design relies on are in the template."""

from __future__ import annotations

from typing import Any

from tests.template.helpers import FUNCTION_ID, TEMPLATE_FILE

POWERTOOLS_LAYER = (
    "arn:${AWS::Partition}:lambda:${AWS::Region}:017000801446:layer:"
    "AWSLambdaPowertoolsPythonV3-python313-arm64:${PowertoolsLayerVersion}"
)


def test_functions_share_runtime_architecture_tracing_and_layers(template: dict[str, Any]) -> None:
    # Given the function globals
    globals_function = template["Globals"]["Function"]

    # When they are read
    # Then every function runs python3.13 on arm64, traced, with Powertools and the autoscaler layer
    assert globals_function["Runtime"] == "python3.13"
    assert globals_function["Architectures"] == ["arm64"]
    assert globals_function["Tracing"] == "Active"
    assert globals_function["Layers"] == [{"Fn::Sub": POWERTOOLS_LAYER}, {"Ref": "AutoscalerLayer"}]
    assert globals_function["LoggingConfig"]["LogFormat"] == "JSON"


def test_the_layer_is_built_for_the_runtime(resources: dict[str, Any]) -> None:
    # Given the layer
    layer = resources["AutoscalerLayer"]

    # When its build settings are read
    # Then SAM builds it with python3.13 for arm64 from layers/autoscaler/
    assert layer["Properties"]["ContentUri"] == "layers/autoscaler/"
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]
    assert layer["Metadata"] == {"BuildMethod": "python3.13", "BuildArchitecture": "arm64"}
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
    # alarm, which notifies only when a topic was given
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
    assert alarm["AlarmActions"] == {
        "Fn::If": ["HasAlarmAction", [{"Ref": "AlarmActionArn"}], {"Ref": "AWS::NoValue"}]
    }


def test_both_rules_deliver_to_the_events_queue(resources: dict[str, Any]) -> None:
    # Given the rules
    rules = {key: value for key, value in resources.items() if value["Type"] == "AWS::Events::Rule"}

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
        "AutoscalerLayerArn",
    } <= outputs
