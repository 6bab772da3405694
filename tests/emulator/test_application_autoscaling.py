"""Application Auto Scaling through boto3, asserting real AAS behaviour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_account.emulated import ACCOUNT_ID, REGION
from tests.emulator.emulator_support import ensure_resource, error_code, error_message

IC_DIM = "sagemaker:inference-component:DesiredCopyCount"
IC_ID = "inference-component/chat"
VARIANT_DIM = "sagemaker:variant:DesiredInstanceCount"
VARIANT_ID = "endpoint/llm/variant/AllTraffic"
NS = "sagemaker"


def register(aas: Any, resource_id: str = IC_ID, dimension: str = IC_DIM, **extra: Any) -> str:
    """Register a target on ``resource_id``, which is made to exist first (see ``ensure_resource``)."""
    ensure_resource(resource_id, dimension)
    params: dict[str, Any] = {"MinCapacity": 0, "MaxCapacity": 4}
    params.update(extra)
    response = aas.register_scalable_target(
        ServiceNamespace=NS, ResourceId=resource_id, ScalableDimension=dimension, **params
    )
    return str(response["ScalableTargetARN"])


def describe_target(aas: Any, resource_id: str = IC_ID, dimension: str = IC_DIM) -> dict[str, Any]:
    targets = aas.describe_scalable_targets(
        ServiceNamespace=NS, ResourceIds=[resource_id], ScalableDimension=dimension
    )["ScalableTargets"]
    assert len(targets) == 1
    return dict(targets[0])


def step_policy(
    aas: Any, name: str = "scale-out-from-zero", resource_id: str = IC_ID, dimension: str = IC_DIM
) -> str:
    response = aas.put_scaling_policy(
        PolicyName=name,
        ServiceNamespace=NS,
        ResourceId=resource_id,
        ScalableDimension=dimension,
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}],
            "Cooldown": 60,
        },
    )
    return str(response["PolicyARN"])


def scheduled(aas: Any, name: str = "night", resource_id: str = IC_ID, **extra: Any) -> None:
    params: dict[str, Any] = {
        "Schedule": "cron(0 20 ? * MON-FRI *)",
        "ScalableTargetAction": {"MinCapacity": 0},
    }
    params.update(extra)
    aas.put_scheduled_action(
        ServiceNamespace=NS,
        ScheduledActionName=name,
        ResourceId=resource_id,
        ScalableDimension=IC_DIM,
        **params,
    )


# --- dimensions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_id", "dimension"),
    [
        (IC_ID, IC_DIM),
        ("endpoint/serverless/variant/AllTraffic", "sagemaker:variant:DesiredProvisionedConcurrency"),
        (VARIANT_ID, VARIANT_DIM),
    ],
)
def test_sagemaker_dimensions_are_accepted(aas: Any, resource_id: str, dimension: str) -> None:
    # When a SageMaker target is registered for each documented dimension
    arn = register(aas, resource_id, dimension, MinCapacity=1, MaxCapacity=3)
    # Then it is described with its ARN, capacities and the default SuspendedState
    target = describe_target(aas, resource_id, dimension)
    assert target["ScalableTargetARN"] == arn
    assert arn.startswith(f"arn:aws:application-autoscaling:{REGION}:{ACCOUNT_ID}:scalable-target/")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (1, 3)
    assert target["SuspendedState"] == {
        "DynamicScalingInSuspended": False,
        "DynamicScalingOutSuspended": False,
        "ScheduledScalingSuspended": False,
    }


def test_mismatched_resource_id_and_dimension_is_refused(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        register(aas, VARIANT_ID, IC_DIM)
    assert error_code(exc) == "ValidationException"


def test_unknown_dimension_is_refused_naming_the_parameter(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        register(aas, IC_ID, "sagemaker:inference-component:Copies")
    assert error_code(exc) == "ValidationException"
    assert "scalableDimension" in error_message(exc)


# --- deregister cascade ------------------------------------------------------------------


def test_deregister_deletes_policies_and_scheduled_actions_but_not_alarms(aas: Any, cloudwatch: Any) -> None:
    # Given a target with a step policy, its caller-made alarm and a scheduled action
    register(aas)
    policy_arn = step_policy(aas)
    cloudwatch.put_metric_alarm(
        AlarmName="chat-no-capacity",
        Namespace="AWS/SageMaker",
        MetricName="NoCapacityInvocationFailures",
        Dimensions=[{"Name": "InferenceComponentName", "Value": "chat"}],
        Statistic="Maximum",
        Period=30,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[policy_arn],
    )
    scheduled(aas)
    # And another target whose things must survive
    register(aas, "inference-component/chat-2")
    step_policy(aas, resource_id="inference-component/chat-2")
    scheduled(aas, resource_id="inference-component/chat-2")
    # When the first target is deregistered
    aas.deregister_scalable_target(ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM)
    # Then its policies and actions are gone, the other target's are kept, and the alarm stays
    assert aas.describe_scaling_policies(ServiceNamespace=NS, ResourceId=IC_ID)["ScalingPolicies"] == []
    assert aas.describe_scheduled_actions(ServiceNamespace=NS, ResourceId=IC_ID)["ScheduledActions"] == []
    assert len(aas.describe_scaling_policies(ServiceNamespace=NS)["ScalingPolicies"]) == 1
    assert len(aas.describe_scheduled_actions(ServiceNamespace=NS)["ScheduledActions"]) == 1
    alarms = cloudwatch.describe_alarms(AlarmNames=["chat-no-capacity"])["MetricAlarms"]
    assert [a["AlarmName"] for a in alarms] == ["chat-no-capacity"]


def test_deregister_of_missing_target_is_object_not_found(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        aas.deregister_scalable_target(ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM)
    assert error_code(exc) == "ObjectNotFoundException"


# --- describe scaling policies -----------------------------------------------------------


def test_describe_scaling_policies_matches_resource_id_exactly(aas: Any) -> None:
    # Given policies on "chat" and on "chat-2" (which contains "chat")... and the reverse
    for name in ("chat", "chat-2"):
        register(aas, f"inference-component/{name}")
        step_policy(aas, resource_id=f"inference-component/{name}")
    # When policies are described for one resource id
    found = aas.describe_scaling_policies(ServiceNamespace=NS, ResourceId="inference-component/chat-2")
    found_short = aas.describe_scaling_policies(ServiceNamespace=NS, ResourceId="inference-component/chat")
    # Then only that resource's policy comes back
    assert [p["ResourceId"] for p in found["ScalingPolicies"]] == ["inference-component/chat-2"]
    assert [p["ResourceId"] for p in found_short["ScalingPolicies"]] == ["inference-component/chat"]


def test_describe_scaling_policies_filters_by_policy_names(aas: Any) -> None:
    register(aas)
    step_policy(aas, "a")
    step_policy(aas, "b")
    found = aas.describe_scaling_policies(ServiceNamespace=NS, PolicyNames=["b"])["ScalingPolicies"]
    assert [p["PolicyName"] for p in found] == ["b"]


def test_putting_a_policy_again_keeps_its_arn(aas: Any) -> None:
    register(aas)
    first = step_policy(aas)
    second = step_policy(aas)
    assert first == second
    assert len(aas.describe_scaling_policies(ServiceNamespace=NS)["ScalingPolicies"]) == 1


def test_policy_on_unregistered_target_is_object_not_found(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        step_policy(aas)
    assert error_code(exc) == "ObjectNotFoundException"


def test_target_tracking_on_inference_component_round_trips(aas: Any) -> None:
    register(aas)
    config = {
        "TargetValue": 4.0,
        "PredefinedMetricSpecification": {
            "PredefinedMetricType": "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
        },
        "ScaleInCooldown": 300,
        "ScaleOutCooldown": 60,
    }
    aas.put_scaling_policy(
        PolicyName="tt",
        ServiceNamespace=NS,
        ResourceId=IC_ID,
        ScalableDimension=IC_DIM,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=config,
    )
    policy = aas.describe_scaling_policies(ServiceNamespace=NS, ResourceId=IC_ID)["ScalingPolicies"][0]
    assert policy["TargetTrackingScalingPolicyConfiguration"] == config


def test_delete_of_missing_policy_and_action_is_object_not_found(aas: Any) -> None:
    register(aas)
    with pytest.raises(ClientError) as exc:
        aas.delete_scaling_policy(
            PolicyName="x", ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM
        )
    assert error_code(exc) == "ObjectNotFoundException"
    with pytest.raises(ClientError) as exc:
        aas.delete_scheduled_action(
            ScheduledActionName="x", ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM
        )
    assert error_code(exc) == "ObjectNotFoundException"


# --- tags --------------------------------------------------------------------------------


def test_tags_on_register_and_tag_calls_by_target_arn(aas: Any) -> None:
    # Given a target registered with tags
    arn = register(aas, Tags={"managed-by": "sagemaker-autoscaler", "team": "nlp"})
    # When tags are added and removed by ARN
    aas.tag_resource(ResourceARN=arn, Tags={"team": "search", "env": "dev"})
    aas.untag_resource(ResourceARN=arn, TagKeys=["env"])
    # Then ListTagsForResource shows the result
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {
        "managed-by": "sagemaker-autoscaler",
        "team": "search",
    }


def test_re_register_keeps_arn_and_tags(aas: Any) -> None:
    arn = register(aas, Tags={"managed-by": "sagemaker-autoscaler"})
    again = register(aas, MaxCapacity=8)
    assert again == arn
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"managed-by": "sagemaker-autoscaler"}


@pytest.mark.parametrize("tags", [{"team": "search"}, {"managed-by": "sagemaker-autoscaler"}])
def test_re_register_with_tags_is_refused_and_changes_nothing(aas: Any, tags: dict[str, str]) -> None:
    # Given a target registered with a tag
    arn = register(aas, MaxCapacity=4, Tags={"managed-by": "sagemaker-autoscaler"})
    # When it is registered again with Tags (even the same ones)
    with pytest.raises(ClientError) as exc:
        register(aas, MaxCapacity=8, Tags=tags)
    # Then AAS refuses it: Tags only apply when the target is created; TagResource tags an existing one
    assert error_code(exc) == "ValidationException"
    assert "use the TagResource API" in error_message(exc)
    # And neither the tags nor the capacities changed
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"managed-by": "sagemaker-autoscaler"}
    assert describe_target(aas)["MaxCapacity"] == 4


def test_registered_again_after_deregister_is_a_new_target_without_the_old_tags(aas: Any) -> None:
    # Given a target registered with a tag, then deregistered
    old_arn = register(aas, Tags={"managed-by": "sagemaker-autoscaler"})
    aas.deregister_scalable_target(ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM)
    # When the same resource is registered again without tags
    new_arn = register(aas)
    # Then it has a new ARN and no tags, and the old ARN names nothing
    assert new_arn != old_arn
    assert describe_target(aas)["ScalableTargetARN"] == new_arn
    assert aas.list_tags_for_resource(ResourceARN=new_arn)["Tags"] == {}
    with pytest.raises(ClientError) as exc:
        aas.list_tags_for_resource(ResourceARN=old_arn)
    assert error_code(exc) == "ResourceNotFoundException"


def test_tag_calls_on_a_target_registered_without_tags(aas: Any) -> None:
    arn = register(aas)
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {}
    aas.tag_resource(ResourceARN=arn, Tags={"managed-by": "sagemaker-autoscaler"})
    aas.tag_resource(ResourceARN=arn, Tags={"managed-by": "someone-else", "team": "nlp"})
    aas.untag_resource(ResourceARN=arn, TagKeys=["team", "never-there"])
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {"managed-by": "someone-else"}


def test_invalid_tags_are_refused_by_the_service_model(raw_aas: Any) -> None:
    arn = register(raw_aas)
    with pytest.raises(ClientError) as exc:
        raw_aas.tag_resource(ResourceARN=arn, Tags={"k" * 129: "v"})
    assert error_code(exc) == "ValidationException"
    with pytest.raises(ClientError) as exc:
        raw_aas.untag_resource(ResourceARN=arn, TagKeys=[""])
    assert error_code(exc) == "ValidationException"


@pytest.mark.parametrize("value", ["", "  "])
def test_blank_tag_values_are_refused(aas: Any, value: str) -> None:
    with pytest.raises(ClientError) as exc:
        register(aas, Tags={"managed-by": value})
    assert error_code(exc) == "ValidationException"
    assert error_message(exc) == "Tag values cannot be empty or blank"
    arn = register(aas)
    with pytest.raises(ClientError) as exc:
        aas.tag_resource(ResourceARN=arn, Tags={"team": value})
    assert error_code(exc) == "ValidationException"
    assert aas.list_tags_for_resource(ResourceARN=arn)["Tags"] == {}


def test_tags_of_unknown_target_arn_are_resource_not_found(aas: Any) -> None:
    arn = f"arn:aws:application-autoscaling:{REGION}:{ACCOUNT_ID}:scalable-target/0123456789abcdef"
    with pytest.raises(ClientError) as exc:
        aas.list_tags_for_resource(ResourceARN=arn)
    assert error_code(exc) == "ResourceNotFoundException"


def test_tags_are_gone_after_deregister(aas: Any) -> None:
    arn = register(aas, Tags={"a": "b"})
    aas.deregister_scalable_target(ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM)
    with pytest.raises(ClientError) as exc:
        aas.list_tags_for_resource(ResourceARN=arn)
    assert error_code(exc) == "ResourceNotFoundException"


# --- register: suspended state, capacities, validation -----------------------------------


def test_suspended_state_is_stored_and_kept_when_omitted(aas: Any) -> None:
    # Given a target registered with dynamic scale-in suspended
    register(aas, SuspendedState={"DynamicScalingInSuspended": True})
    # When it is re-registered without SuspendedState
    register(aas, MinCapacity=1)
    # Then the suspension is still there
    assert describe_target(aas)["SuspendedState"] == {
        "DynamicScalingInSuspended": True,
        "DynamicScalingOutSuspended": False,
        "ScheduledScalingSuspended": False,
    }


def test_re_register_with_only_one_capacity_keeps_the_other(aas: Any) -> None:
    register(aas, MinCapacity=1, MaxCapacity=4)
    aas.register_scalable_target(
        ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM, MaxCapacity=6
    )
    assert (describe_target(aas)["MinCapacity"], describe_target(aas)["MaxCapacity"]) == (1, 6)
    aas.register_scalable_target(
        ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM, MinCapacity=0
    )
    assert (describe_target(aas)["MinCapacity"], describe_target(aas)["MaxCapacity"]) == (0, 6)


def test_min_greater_than_max_is_refused(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        register(aas, MinCapacity=5, MaxCapacity=2)
    assert error_code(exc) == "ValidationException"
    # also when the merge with the stored value makes min > max
    register(aas, MinCapacity=1, MaxCapacity=2)
    with pytest.raises(ClientError) as exc:
        aas.register_scalable_target(
            ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM, MinCapacity=3
        )
    assert error_code(exc) == "ValidationException"
    assert (describe_target(aas)["MinCapacity"], describe_target(aas)["MaxCapacity"]) == (1, 2)


def test_negative_capacity_is_refused(raw_aas: Any) -> None:
    # (variant dimension: plain moto accepts it, so this checks the capacity rule alone)
    with pytest.raises(ClientError) as exc:
        register(raw_aas, VARIANT_ID, VARIANT_DIM, MinCapacity=-1)
    assert error_code(exc) == "ValidationException"


def test_new_target_needs_both_capacities(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        aas.register_scalable_target(
            ServiceNamespace=NS, ResourceId=IC_ID, ScalableDimension=IC_DIM, MaxCapacity=2
        )
    assert error_code(exc) == "ValidationException"


def test_missing_required_parameter_names_it(raw_aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        raw_aas.register_scalable_target(
            ServiceNamespace=NS, ScalableDimension=IC_DIM, MinCapacity=0, MaxCapacity=1
        )
    assert error_code(exc) == "ValidationException"
    assert "resourceId" in error_message(exc)


def test_describe_scalable_targets_paginates(aas: Any) -> None:
    for index in range(5):
        register(aas, f"inference-component/ic-{index}")
    seen: list[str] = []
    for page in aas.get_paginator("describe_scalable_targets").paginate(
        ServiceNamespace=NS, PaginationConfig={"PageSize": 2}
    ):
        seen += [t["ResourceId"] for t in page["ScalableTargets"]]
    assert sorted(seen) == [f"inference-component/ic-{index}" for index in range(5)]


# --- scheduled actions -------------------------------------------------------------------


def test_scheduled_action_round_trips_exactly(aas: Any) -> None:
    # Given a target
    register(aas)
    start = dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC)
    end = dt.datetime(2026, 10, 1, 0, 0, tzinfo=dt.UTC)
    # When a scheduled action with every optional field is put
    scheduled(
        aas,
        Schedule="cron(0 19 ? * MON-FRI *)",
        Timezone="Europe/Berlin",
        StartTime=start,
        EndTime=end,
        ScalableTargetAction={"MinCapacity": 0, "MaxCapacity": 0},
    )
    # Then it is described exactly as given
    action = aas.describe_scheduled_actions(ServiceNamespace=NS, ResourceId=IC_ID)["ScheduledActions"][0]
    assert action["ScheduledActionName"] == "night"
    assert action["Schedule"] == "cron(0 19 ? * MON-FRI *)"
    assert action["Timezone"] == "Europe/Berlin"
    assert action["StartTime"] == start
    assert action["EndTime"] == end
    assert action["ScalableTargetAction"] == {"MinCapacity": 0, "MaxCapacity": 0}
    assert action["ScalableDimension"] == IC_DIM


def test_updating_a_scheduled_action_clears_omitted_start_and_end_times(aas: Any) -> None:
    # Given a scheduled action with a time zone, a start and an end time
    register(aas)
    start = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    scheduled(aas, Timezone="Europe/Berlin", StartTime=start, EndTime=end)
    # When it is put again with only a new ScalableTargetAction
    aas.put_scheduled_action(
        ServiceNamespace=NS,
        ScheduledActionName="night",
        ResourceId=IC_ID,
        ScalableDimension=IC_DIM,
        ScalableTargetAction={"MinCapacity": 1, "MaxCapacity": 2},
    )
    # Then "if you don't specify start and end times, the old values are deleted"...
    actions = aas.describe_scheduled_actions(ServiceNamespace=NS)["ScheduledActions"]
    assert len(actions) == 1
    assert "StartTime" not in actions[0]
    assert "EndTime" not in actions[0]
    # ... while the other omitted fields keep their values
    assert actions[0]["Timezone"] == "Europe/Berlin"
    assert actions[0]["Schedule"] == "cron(0 20 ? * MON-FRI *)"
    assert actions[0]["ScalableTargetAction"] == {"MinCapacity": 1, "MaxCapacity": 2}


def test_updating_a_scheduled_action_with_one_time_keeps_only_that_one(aas: Any) -> None:
    register(aas)
    start = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    scheduled(aas, StartTime=start, EndTime=end)
    later_end = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    scheduled(aas, EndTime=later_end)
    action = aas.describe_scheduled_actions(ServiceNamespace=NS)["ScheduledActions"][0]
    assert "StartTime" not in action
    assert action["EndTime"] == later_end


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 20 * * MON-FRI *)",  # neither day field is ?
        "cron(0 20 ? * ? *)",  # both are ?
        "cron(0 20 ? * MON-FRI)",  # five fields
        "cron(0 20 ? * MON-FRI * *)",  # seven fields
        "at(2026-03-02 09:00:00)",
        "at(2026-13-02T09:00:00)",
        "rate(5)",
        "rate(five minutes)",
        "rate(5 weeks)",
        "every day",
    ],
)
def test_invalid_schedules_are_refused(aas: Any, schedule: str) -> None:
    register(aas)
    with pytest.raises(ClientError) as exc:
        scheduled(aas, Schedule=schedule)
    assert error_code(exc) == "ValidationException"


@pytest.mark.parametrize(
    "schedule",
    [
        "cron(0 20 ? * MON-FRI *)",
        "cron(30 6 1 * ? *)",
        "at(2026-03-02T09:00:00)",
        "rate(1 hour)",
        "rate(15 minutes)",
    ],
)
def test_valid_schedules_are_accepted(aas: Any, schedule: str) -> None:
    register(aas)
    scheduled(aas, Schedule=schedule)
    assert aas.describe_scheduled_actions(ServiceNamespace=NS)["ScheduledActions"][0]["Schedule"] == schedule


def test_invalid_timezone_is_refused(aas: Any) -> None:
    register(aas)
    with pytest.raises(ClientError) as exc:
        scheduled(aas, Timezone="Europe/Atlantis")
    assert error_code(exc) == "ValidationException"


@pytest.mark.parametrize("name", ["a:b", "a/b", "a|b"])
def test_scheduled_action_names_with_separators_are_refused(aas: Any, name: str) -> None:
    register(aas)
    with pytest.raises(ClientError) as exc:
        scheduled(aas, name=name)
    assert error_code(exc) == "ValidationException"
    assert "scheduledActionName" in error_message(exc)


def test_scheduled_action_on_unregistered_target_is_object_not_found(aas: Any) -> None:
    with pytest.raises(ClientError) as exc:
        scheduled(aas)
    assert error_code(exc) == "ObjectNotFoundException"


def test_scheduled_action_with_min_above_max_is_refused(aas: Any) -> None:
    register(aas)
    with pytest.raises(ClientError) as exc:
        scheduled(aas, ScalableTargetAction={"MinCapacity": 3, "MaxCapacity": 1})
    assert error_code(exc) == "ValidationException"


def test_describe_scaling_activities_is_answered(aas: Any) -> None:
    # moto does not implement it; the emulator never scales, so there are no activities
    register(aas)
    assert aas.describe_scaling_activities(ServiceNamespace=NS, ResourceId=IC_ID)["ScalingActivities"] == []
