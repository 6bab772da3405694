"""A safety net that never goes down: in the periodic run, the install and the uninstall, every step for
one resource (its reads, its plan, its writes) fails alone, with an ERROR line naming it and a metric,
and quota errors are final at once instead of being retried as throttling."""

from __future__ import annotations

from typing import Any

import pytest
from freezegun import freeze_time

from local_account import moto_gaps, resources
from local_account.stack import EmulatedStack, describe_scaling
from tests.integration.test_tags_and_bad_input import emitted_metrics
from tests.reconcile.fleet_support import run_reconcile
from tests.support.faults import FaultInjector
from tests.support.recording import CallRecorder, LogCapture

HOURS = {"autoscaler:schedule": "Mon-Fri 08:00-19:00 Europe/Berlin", "autoscaler:off-hours": "zero"}


@pytest.fixture
def faults(aws: CallRecorder) -> Any:
    injector = FaultInjector(seed=7).install()
    yield injector
    injector.uninstall()


def endpoints(sagemaker: Any, count: int = 20) -> list[str]:
    """Endpoints of the three instance-or-concurrency kinds; their resource ids, in name order."""
    for index in range(count):
        name = f"Model-{index:02d}"
        if index % 3 == 0:
            resources.create_realtime_endpoint(sagemaker, name)
        elif index % 3 == 1:
            resources.create_async_endpoint(sagemaker, name, tags=HOURS)
        else:
            resources.create_serverless_endpoint(sagemaker, name, provisioned_concurrency=2)
    return [f"endpoint/Model-{index:02d}/variant/AllTraffic" for index in range(count)]


def errors(logs: LogCapture) -> list[dict[str, Any]]:
    return [line for line in logs.lines if line["level"] == "ERROR"]


@freeze_time("2026-03-03 10:00:00")
def test_one_poisoned_tag_one_failing_read_and_one_quota_error_spare_the_other_seventeen(
    stack: EmulatedStack,
    sagemaker: Any,
    faults: FaultInjector,
    logs: LogCapture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given twenty endpoints: one carries a tag value the planner cannot honour, one cannot be read,
    # and the account has room for only 18 more scalable targets of this type
    ids = endpoints(sagemaker)
    sagemaker.add_tags(
        ResourceArn=sagemaker.describe_endpoint(EndpointName="Model-04")["EndpointArn"],
        Tags=[{"Key": "autoscaler:keep-on-until", "Value": "9999-12-31"}],
    )
    faults.fail_requests("DescribeEndpoint", {"EndpointName": "Model-07"})
    moto_gaps.set_scalable_target_quota(18)
    capsys.readouterr()
    # When the periodic run comes
    with faults.active():
        summary = run_reconcile()
    # Then 18 are configured (the poisoned one with its fallback: business hours as if the tag were absent)
    state = describe_scaling()
    configured = [rid for rid in ids if rid in state]
    assert len(configured) == 18
    assert "endpoint/Model-07/variant/AllTraffic" not in configured
    quota_hit = sorted(set(ids) - set(configured) - {"endpoint/Model-07/variant/AllTraffic"})
    assert len(quota_hit) == 1
    assert len(state["endpoint/Model-04/variant/AllTraffic"]["scheduled_actions"]) == 2
    # And exactly three ERROR lines, one per problem, each naming its resource
    lines = errors(logs)
    assert len(lines) == 3, [line["message"] for line in lines]
    by_kind = {
        "config_problem": [line for line in lines if "config_problem" in line],
        "failed": [line for line in lines if line.get("decision", {}).get("decision") == "failed"],
        "quota": [line for line in lines if line.get("decision", {}).get("decision") == "quota"],
    }
    assert [line["config_problem"]["resource_id"] for line in by_kind["config_problem"]] == [
        "endpoint/Model-04/variant/AllTraffic"
    ]
    assert [line["decision"]["resource_id"] for line in by_kind["failed"]] == ["endpoint/Model-07"]
    assert [line["decision"]["resource_id"] for line in by_kind["quota"]] == quota_hit
    assert "LimitExceededException" in by_kind["quota"][0]["message"]
    # And the failure metrics
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["InvalidTagValues"] == 1
    assert metrics["QuotaExceeded"] == 1
    assert metrics["ProcessingErrors"] == 2
    assert metrics["ReconcileResourcesFailed"] == summary["resources_failed"] == 2
    assert summary["resources_changed"] == 18
    # And the quota answer was final at once: one request per registration, none sent again (standard
    # retry mode would retry LimitExceededException as throttling: eight attempts, about 30 s of backoff)
    assert faults.attempts["RegisterScalableTarget"] == faults.calls["RegisterScalableTarget"] == 19


@freeze_time("2026-03-03 10:00:00")
def test_a_planner_that_raises_for_one_resource_fails_only_that_resource(
    stack: EmulatedStack, sagemaker: Any, logs: LogCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a planner bug that shows for one resource only
    ids = endpoints(sagemaker, 4)
    from sagemaker_autoscaler.engine import settle as reconcile

    real = reconcile.plan_resource

    def flaky(resource: Any, *args: Any) -> Any:
        if resource.endpoint_name == "Model-02":
            raise ZeroDivisionError("a planner bug")
        return real(resource, *args)

    monkeypatch.setattr(reconcile, "plan_resource", flaky)
    # When the periodic run comes
    summary = run_reconcile()
    # Then the others are configured and the one failure is an ERROR line naming it
    state = describe_scaling()
    assert [rid for rid in ids if rid in state] == [ids[0], ids[1], ids[3]]
    assert summary["resources_failed"] == 1
    [line] = errors(logs)
    assert line["decision"]["resource_id"] == "endpoint/Model-02/variant/AllTraffic"
    assert "ZeroDivisionError" in line["message"]


def test_a_failing_owner_tag_read_fails_only_that_target(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any, faults: FaultInjector, logs: LogCapture
) -> None:
    # Given three configured endpoints, one of which has its target's tags unreadable
    ids = endpoints(sagemaker, 3)
    run_reconcile()
    target = autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker", ResourceIds=[ids[1]])
    arn = target["ScalableTargets"][0]["ScalableTargetARN"]
    stack.reset_dependencies()  # a new container: the owner tags are read again
    faults.fail_requests("ListTagsForResource", {"ResourceARN": arn})
    # When the periodic run comes
    with faults.active():
        summary = run_reconcile()
    # Then only that resource failed, loudly, and the others were looked at
    assert summary["resources_failed"] == 1
    assert summary["resources_unchanged"] == 2
    [line] = errors(logs)
    assert line["decision"]["resource_id"] == ids[1]


def test_alarms_that_only_share_the_apps_prefix_are_never_released(
    stack: EmulatedStack, cloudwatch: Any, sagemaker: Any
) -> None:
    # Given alarms named with the app's prefix that are not the app's: what CloudFormation names a stack
    # "sagemaker-autoscaler"'s own alarms, and a team's alarm
    names = ["sagemaker-autoscaler-DeadLetterQueueAlarm-1A2B3C", "sagemaker-autoscaler-team-dashboard"]
    for name in names:
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/SQS",
            MetricName="ApproximateNumberOfMessagesVisible",
            Statistic="Maximum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
        )
    endpoints(sagemaker, 2)
    # When the periodic run (and an uninstall's clean-up, which releases the same candidates) come
    run_reconcile()
    run_reconcile()
    # Then they are all still there
    alarms = cloudwatch.describe_alarms(AlarmNamePrefix="sagemaker-autoscaler-")["MetricAlarms"]
    assert set(names) <= {alarm["AlarmName"] for alarm in alarms}


def test_a_components_failing_tag_read_fails_only_that_component(
    stack: EmulatedStack, sagemaker: Any, faults: FaultInjector, logs: LogCapture
) -> None:
    # Given untagged components (the Tagging API then names none, so each one's tags are asked of
    # SageMaker) next to plain endpoints, and one component whose tags cannot be read
    ids = endpoints(sagemaker, 3)
    resources.create_component_endpoint(sagemaker, "LLM-Shared")
    for name in ("Mistral-7B", "Llama-8B"):
        resources.create_inference_component(sagemaker, name, "LLM-Shared")
    broken = sagemaker.describe_inference_component(InferenceComponentName="Llama-8B")[
        "InferenceComponentArn"
    ]
    faults.fail_requests("ListTags", {"ResourceArn": broken})
    # When the periodic run comes
    with faults.active():
        summary = run_reconcile()
    # Then everything else is configured, and the one failure is an ERROR line naming that component
    state = describe_scaling()
    assert all(rid in state for rid in [*ids, "inference-component/Mistral-7B"])
    assert "inference-component/Llama-8B" not in state
    assert summary["resources_failed"] == 1
    [line] = errors(logs)
    assert line["decision"]["resource_id"] == "inference-component/Llama-8B"
