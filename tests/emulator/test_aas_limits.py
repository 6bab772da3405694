"""Application Auto Scaling limits stated only in AWS's prose: page sizes, the provisioned-concurrency
floor and the quotas (see ``local_account/moto_gaps/application_autoscaling_limits.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_account import moto_gaps
from local_account.emulated import REGION
from tests.emulator.emulator_support import (
    IC_DIM,
    NS,
    PC_DIM,
    VARIANT_DIM,
    aas_backend,
    error_code,
    error_message,
    fill_targets,
    http_status,
    serverless_endpoint,
)
from tests.support.recording import CallRecorder

IC_ID = "inference-component/chat"


@pytest.fixture
def chat(aws: CallRecorder) -> str:
    """An InService component ``chat`` on endpoint ``host`` (made in the backend, no API calls)."""
    moto_gaps.make_endpoint("host", region=REGION)
    moto_gaps.make_inference_component("chat", "host", region=REGION)
    return IC_ID


def register(aas: Any, resource_id: str = IC_ID, dimension: str = IC_DIM, **extra: Any) -> str:
    params: dict[str, Any] = {"MinCapacity": 0, "MaxCapacity": 4}
    params.update(extra)
    response = aas.register_scalable_target(
        ServiceNamespace=NS, ResourceId=resource_id, ScalableDimension=dimension, **params
    )
    return str(response["ScalableTargetARN"])


def step_policy(aas: Any, name: str, resource_id: str = IC_ID) -> None:
    aas.put_scaling_policy(
        PolicyName=name,
        ServiceNamespace=NS,
        ResourceId=resource_id,
        ScalableDimension=IC_DIM,
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}],
        },
    )


def scheduled(aas: Any, name: str, resource_id: str = IC_ID, dimension: str = IC_DIM, **extra: Any) -> None:
    params: dict[str, Any] = {
        "Schedule": "cron(0 20 ? * MON-FRI *)",
        "ScalableTargetAction": {"MinCapacity": 1},
    }
    params.update(extra)
    aas.put_scheduled_action(
        ServiceNamespace=NS,
        ScheduledActionName=name,
        ResourceId=resource_id,
        ScalableDimension=dimension,
        **params,
    )


def fill_policies(count: int, resource_id: str = IC_ID) -> None:
    backend = aas_backend()
    body = {"AdjustmentType": "ChangeInCapacity", "StepAdjustments": [{"ScalingAdjustment": 1}]}
    for index in range(count):
        backend.put_scaling_policy(f"filler-{index}", NS, resource_id, IC_DIM, body, "StepScaling")


def fill_scheduled_actions(count: int, resource_id: str = IC_ID) -> None:
    backend = aas_backend()
    for index in range(count):
        backend.put_scheduled_action(
            NS,
            "rate(1 hour)",
            None,
            f"filler-{index}",
            resource_id,
            IC_DIM,
            None,
            None,
            {"MinCapacity": 1},  # type: ignore[arg-type]
        )


# --- page sizes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "largest"),
    [
        ("describe_scaling_policies", 10),
        ("describe_scalable_targets", 50),
        ("describe_scheduled_actions", 50),
    ],
)
def test_page_size_outside_the_documented_range_is_refused(
    raw_aas: Any, operation: str, largest: int
) -> None:
    # Given a client that does not check locally
    call = getattr(raw_aas, operation)
    # When a page one larger than documented, or of 0, is asked for
    for size, bound in ((largest + 1, f"less than or equal to {largest}"), (0, "greater than or equal to 1")):
        with pytest.raises(ClientError) as exc:
            call(ServiceNamespace=NS, MaxResults=size)
        # Then it is a ValidationException naming maxResults
        assert error_code(exc) == "ValidationException"
        assert "'maxResults'" in error_message(exc)
        assert bound in error_message(exc)
    # And the largest documented page is accepted
    assert call(ServiceNamespace=NS, MaxResults=largest)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_scaling_policies_come_ten_a_page_by_default_and_paginate(aas: Any, chat: str) -> None:
    # Given a target with 12 policies
    register(aas)
    fill_policies(12)
    # When policies are described without MaxResults
    first = aas.describe_scaling_policies(ServiceNamespace=NS)
    # Then 10 come back with a NextToken
    assert len(first["ScalingPolicies"]) == 10
    assert "NextToken" in first
    # And a paginator with the largest page size sees all 12, once each
    pages = aas.get_paginator("describe_scaling_policies").paginate(
        ServiceNamespace=NS, PaginationConfig={"PageSize": 10}
    )
    names = [p["PolicyName"] for page in pages for p in page["ScalingPolicies"]]
    assert sorted(names) == sorted(f"filler-{i}" for i in range(12))
    # But a paginator page size of 50 is refused, as in a real account
    with pytest.raises(ClientError) as exc:
        list(
            aas.get_paginator("describe_scaling_policies").paginate(
                ServiceNamespace=NS, PaginationConfig={"PageSize": 50}
            )
        )
    assert error_code(exc) == "ValidationException"


def test_scalable_targets_come_fifty_a_page_by_default_and_paginate(aas: Any) -> None:
    # Given 51 targets
    fill_targets(51)
    # When targets are described without MaxResults, then 50 come back with a NextToken
    first = aas.describe_scalable_targets(ServiceNamespace=NS)
    assert len(first["ScalableTargets"]) == 50
    second = aas.describe_scalable_targets(ServiceNamespace=NS, NextToken=first["NextToken"])
    assert len(second["ScalableTargets"]) == 1
    assert "NextToken" not in second
    # And a paginator with page size 50 sees all of them
    pages = aas.get_paginator("describe_scalable_targets").paginate(
        ServiceNamespace=NS, PaginationConfig={"PageSize": 50}
    )
    assert sum(len(page["ScalableTargets"]) for page in pages) == 51


def test_scheduled_actions_come_fifty_a_page_by_default(aas: Any, chat: str) -> None:
    register(aas)
    fill_scheduled_actions(51)
    first = aas.describe_scheduled_actions(ServiceNamespace=NS)
    assert len(first["ScheduledActions"]) == 50
    assert "NextToken" in first
    pages = aas.get_paginator("describe_scheduled_actions").paginate(
        ServiceNamespace=NS, PaginationConfig={"PageSize": 7}
    )
    assert sum(len(page["ScheduledActions"]) for page in pages) == 51


def test_more_than_fifty_resource_ids_are_refused(raw_aas: Any) -> None:
    ids = [f"inference-component/ic-{i}" for i in range(51)]
    with pytest.raises(ClientError) as exc:
        raw_aas.describe_scalable_targets(ServiceNamespace=NS, ResourceIds=ids)
    assert error_code(exc) == "ValidationException"
    assert "resourceIds" in error_message(exc)
    assert (
        raw_aas.describe_scalable_targets(ServiceNamespace=NS, ResourceIds=ids[:50])["ScalableTargets"] == []
    )


# --- serverless provisioned concurrency ---------------------------------------------------------------


@pytest.mark.parametrize(("low", "high"), [(0, 1), (0, 0), (1, 0)])
def test_provisioned_concurrency_target_below_one_is_refused(
    aas: Any, raw_aas: Any, sagemaker: Any, low: int, high: int
) -> None:
    # Given a serverless endpoint with provisioned concurrency
    resource_id = serverless_endpoint(sagemaker)
    # When it is registered with a bound below 1
    with pytest.raises(ClientError) as exc:
        register(raw_aas, resource_id, PC_DIM, MinCapacity=low, MaxCapacity=high)
    # Then it is refused, and nothing is registered
    assert error_code(exc) == "ValidationException"
    assert aas.describe_scalable_targets(ServiceNamespace=NS)["ScalableTargets"] == []


def test_provisioned_concurrency_floor_also_holds_when_updating_one_bound(aas: Any, sagemaker: Any) -> None:
    # Given a PC target registered at 1..1 (the floor; accepted)
    resource_id = serverless_endpoint(sagemaker)
    register(aas, resource_id, PC_DIM, MinCapacity=1, MaxCapacity=1)
    # When only MinCapacity is updated to 0, then it is refused
    with pytest.raises(ClientError) as exc:
        aas.register_scalable_target(
            ServiceNamespace=NS, ResourceId=resource_id, ScalableDimension=PC_DIM, MinCapacity=0
        )
    assert error_code(exc) == "ValidationException"


def test_instance_variant_may_still_go_to_zero(aas: Any) -> None:
    # (async variants scale to zero: the floor of 1 is only for provisioned concurrency)
    moto_gaps.make_endpoint("variant-ep", region=REGION)
    register(aas, "endpoint/variant-ep/variant/AllTraffic", VARIANT_DIM, MinCapacity=0, MaxCapacity=2)


@pytest.mark.parametrize(
    "bounds", [{"MinCapacity": 0}, {"MinCapacity": 0, "MaxCapacity": 0}, {"MaxCapacity": 0}]
)
def test_provisioned_concurrency_scheduled_action_below_one_is_refused(
    aas: Any, sagemaker: Any, bounds: dict[str, int]
) -> None:
    # Given a PC target
    resource_id = serverless_endpoint(sagemaker)
    register(aas, resource_id, PC_DIM, MinCapacity=1, MaxCapacity=4)
    # When a scheduled action would take a bound below 1, then it is refused
    with pytest.raises(ClientError) as exc:
        scheduled(aas, "night", resource_id, PC_DIM, ScalableTargetAction=bounds)
    assert error_code(exc) == "ValidationException"
    # And the floor itself is accepted
    scheduled(aas, "night", resource_id, PC_DIM, ScalableTargetAction={"MinCapacity": 1, "MaxCapacity": 1})


# --- quotas ------------------------------------------------------------------------------------------


def test_the_default_quota_is_500_targets_per_resource_type(aas: Any, chat: str) -> None:
    # Given the default quota and 500 component targets already registered
    assert moto_gaps.get_scalable_target_quota() == moto_gaps.DEFAULT_SCALABLE_TARGET_QUOTA == 500
    fillers = fill_targets(500)
    # When a 501st is registered through the API
    with pytest.raises(ClientError) as exc:
        register(aas)
    # Then it is LimitExceededException, HTTP 400
    assert error_code(exc) == "LimitExceededException"
    assert http_status(exc) == 400
    # But one of the 500 can still be updated
    moto_gaps.make_inference_component("filler-0", "host", region=REGION)
    aas.register_scalable_target(
        ServiceNamespace=NS, ResourceId=fillers[0], ScalableDimension=IC_DIM, MaxCapacity=3
    )


def test_variants_and_components_count_against_separate_quotas(aas: Any, sagemaker: Any, chat: str) -> None:
    # Given a quota of 2 and two component targets
    moto_gaps.set_scalable_target_quota(2)
    fill_targets(2)
    # When a variant target is registered, then it is accepted (another resource type)
    moto_gaps.make_endpoint("llm", region=REGION)
    register(aas, "endpoint/llm/variant/AllTraffic", VARIANT_DIM, MinCapacity=1)
    # And a provisioned-concurrency variant counts as a variant too: the second one is accepted...
    pc_id = serverless_endpoint(sagemaker)
    register(aas, pc_id, PC_DIM, MinCapacity=1)
    # ... and the third variant target of either dimension is refused
    moto_gaps.make_endpoint("llm-2", region=REGION)
    with pytest.raises(ClientError) as exc:
        register(aas, "endpoint/llm-2/variant/AllTraffic", VARIANT_DIM, MinCapacity=1)
    assert error_code(exc) == "LimitExceededException"
    # And a third component target is refused as well
    with pytest.raises(ClientError) as exc:
        register(aas)
    assert error_code(exc) == "LimitExceededException"


def test_reset_restores_the_default_quota(aws: CallRecorder) -> None:
    moto_gaps.set_scalable_target_quota(3)
    moto_gaps.reset()
    assert moto_gaps.get_scalable_target_quota() == 500
    with pytest.raises(ValueError):
        moto_gaps.set_scalable_target_quota(-1)


def test_fifty_policies_per_target(aas: Any, chat: str) -> None:
    # Given a target with 50 policies
    register(aas)
    fill_policies(50)
    # When a 51st is put, then it is LimitExceededException
    with pytest.raises(ClientError) as exc:
        step_policy(aas, "one-too-many")
    assert error_code(exc) == "LimitExceededException"
    assert http_status(exc) == 400
    # But an existing one can still be updated
    step_policy(aas, "filler-0")


def test_two_hundred_scheduled_actions_per_target(aas: Any, chat: str) -> None:
    # Given a target with 200 scheduled actions
    register(aas)
    fill_scheduled_actions(200)
    # When a 201st is put, then it is LimitExceededException
    with pytest.raises(ClientError) as exc:
        scheduled(aas, "one-too-many")
    assert error_code(exc) == "LimitExceededException"
    # But an existing one can still be updated
    scheduled(aas, "filler-0", Schedule="rate(2 hours)")
