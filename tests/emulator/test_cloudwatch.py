"""CloudWatch alarms as the project uses them (step-scaling alarms on AWS/SageMaker metrics)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_account.emulated import ACCOUNT_ID, REGION
from tests.emulator.emulator_support import error_code

POLICY_ARN = (
    f"arn:aws:autoscaling:{REGION}:{ACCOUNT_ID}:scalingPolicy:0b3f-11:resource/sagemaker/"
    "inference-component/chat:policyName/scale-out-from-zero"
)


def put_alarm(cloudwatch: Any, name: str, period: int = 30, **extra: Any) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/SageMaker",
        MetricName="NoCapacityInvocationFailures",
        Dimensions=[{"Name": "InferenceComponentName", "Value": "chat"}],
        Statistic="Maximum",
        Period=period,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
        AlarmActions=[POLICY_ARN],
        **extra,
    )


def alarm_names(cloudwatch: Any, **filters: Any) -> list[str]:
    return sorted(a["AlarmName"] for a in cloudwatch.describe_alarms(**filters)["MetricAlarms"])


def test_step_scaling_alarm_round_trips(cloudwatch: Any) -> None:
    # When the project's scale-from-zero alarm is put with Period 30, an action and tags
    put_alarm(
        cloudwatch, "sma-chat-no-capacity", Tags=[{"Key": "managed-by", "Value": "sagemaker-autoscaler"}]
    )
    put_alarm(cloudwatch, "sma-chat-backlog", period=60)
    # Then it is described as given, found by prefix, and tagged
    alarm = cloudwatch.describe_alarms(AlarmNames=["sma-chat-no-capacity"])["MetricAlarms"][0]
    assert alarm["Namespace"] == "AWS/SageMaker"
    assert alarm["Period"] == 30
    assert alarm["AlarmActions"] == [POLICY_ARN]
    assert alarm["Dimensions"] == [{"Name": "InferenceComponentName", "Value": "chat"}]
    assert alarm_names(cloudwatch, AlarmNamePrefix="sma-chat-") == [
        "sma-chat-backlog",
        "sma-chat-no-capacity",
    ]
    tags = cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
    assert tags == [{"Key": "managed-by", "Value": "sagemaker-autoscaler"}]


def test_tag_calls_on_alarms(cloudwatch: Any) -> None:
    put_alarm(cloudwatch, "a1", Tags=[{"Key": "k", "Value": "v"}])
    arn = cloudwatch.describe_alarms(AlarmNames=["a1"])["MetricAlarms"][0]["AlarmArn"]
    cloudwatch.tag_resource(ResourceARN=arn, Tags=[{"Key": "k", "Value": "w"}, {"Key": "x", "Value": "y"}])
    cloudwatch.untag_resource(ResourceARN=arn, TagKeys=["x"])
    assert cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "k", "Value": "w"}]


def test_updating_an_alarm_ignores_tags(cloudwatch: Any) -> None:
    # Given a tagged alarm
    put_alarm(cloudwatch, "a1", Tags=[{"Key": "k", "Value": "v"}])
    # When it is updated with other tags
    put_alarm(cloudwatch, "a1", period=60, Tags=[{"Key": "other", "Value": "z"}])
    # Then the update applies, but tags only change through TagResource
    alarm = cloudwatch.describe_alarms(AlarmNames=["a1"])["MetricAlarms"][0]
    assert alarm["Period"] == 60
    assert cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"] == [
        {"Key": "k", "Value": "v"}
    ]


def test_delete_alarms(cloudwatch: Any) -> None:
    put_alarm(cloudwatch, "a1")
    put_alarm(cloudwatch, "a2")
    cloudwatch.delete_alarms(AlarmNames=["a1", "a2"])
    assert alarm_names(cloudwatch) == []


def test_delete_alarms_with_a_missing_name_deletes_nothing(cloudwatch: Any) -> None:
    # Given one alarm
    put_alarm(cloudwatch, "a1")
    # When it is deleted together with an alarm that does not exist
    with pytest.raises(ClientError) as exc:
        cloudwatch.delete_alarms(AlarmNames=["a1", "ghost"])
    # Then CloudWatch answers ResourceNotFound and keeps the existing alarm
    assert error_code(exc) == "ResourceNotFound"
    assert alarm_names(cloudwatch) == ["a1"]


def test_recreated_alarm_does_not_inherit_old_tags(cloudwatch: Any) -> None:
    put_alarm(cloudwatch, "a1", Tags=[{"Key": "old", "Value": "1"}])
    cloudwatch.delete_alarms(AlarmNames=["a1"])
    put_alarm(cloudwatch, "a1", Tags=[{"Key": "new", "Value": "2"}])
    arn = cloudwatch.describe_alarms(AlarmNames=["a1"])["MetricAlarms"][0]["AlarmArn"]
    assert cloudwatch.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "new", "Value": "2"}]


def test_list_tags_of_a_missing_alarm_is_resource_not_found(cloudwatch: Any) -> None:
    with pytest.raises(ClientError) as exc:
        cloudwatch.list_tags_for_resource(ResourceARN=f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:ghost")
    assert error_code(exc) == "ResourceNotFoundException"


@pytest.mark.parametrize("period", [10, 20, 30, 60, 300])
def test_valid_periods_are_accepted(cloudwatch: Any, period: int) -> None:
    put_alarm(cloudwatch, "a1", period=period)
    assert cloudwatch.describe_alarms(AlarmNames=["a1"])["MetricAlarms"][0]["Period"] == period


@pytest.mark.parametrize("period", [15, 45, 90])
def test_invalid_periods_are_refused(cloudwatch: Any, period: int) -> None:
    with pytest.raises(ClientError) as exc:
        put_alarm(cloudwatch, "a1", period=period)
    assert error_code(exc) == "ValidationError"
    assert alarm_names(cloudwatch) == []
