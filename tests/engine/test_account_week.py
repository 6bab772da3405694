"""The account's week in money, read from the emulated account: one resource's failure is reported and
never stops the others; a host whose component could not be read claims no saving."""

from __future__ import annotations

from typing import Any

from freezegun import freeze_time

from local_account import resources
from local_account.demo_account import create_demo_account
from local_account.stack import EmulatedStack
from sagemaker_autoscaler.aws.pricing import snapshot_prices
from sagemaker_autoscaler.aws.sagemaker import SageMaker
from sagemaker_autoscaler.core.settings import Settings
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.savings import account_week
from sagemaker_autoscaler.telemetry.journal import Journal


class UnreadableComponent(SageMaker):
    """SageMaker, except that one component's description fails (a throttle that outlasted the retries)."""

    def __init__(self, broken: str) -> None:
        super().__init__()
        self.broken = broken

    def describe_inference_component(self, name: str) -> dict[str, Any] | None:
        if name == self.broken:
            raise RuntimeError(f"DescribeInferenceComponent {name}: ThrottlingException")
        return super().describe_inference_component(name)


@freeze_time("2026-03-03 10:00:00")
def test_a_component_that_cannot_be_read_fails_alone_and_its_host_claims_nothing(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    # Given the demo account without the opted-out sibling, and Mistral-7B's description failing
    create_demo_account(sagemaker, autoscaling)
    sagemaker.delete_inference_component(InferenceComponentName="Experimental-FT")
    journal = Journal(emit_metrics=False)
    deps = Dependencies(settings=Settings(), sagemaker=UnreadableComponent("Mistral-7B"), journal=journal)

    # When the week is counted
    week = account_week(deps, snapshot_prices(), "eu-west-1")

    # Then that component is one reported failure, its host claims no saving and says why,
    # and every other unit is counted
    assert week.failed == 1
    assert [e["resource_id"] for e in journal.entries if e.get("decision") == "failed"] == [
        "inference-component/Mistral-7B"
    ]
    savings = {s.endpoint: s for s in week.savings}
    assert savings["LLM-Shared"].hours.saved == 0
    assert "Mistral-7B not readable or changing now" in savings["LLM-Shared"].reasons[0]
    assert len(savings) == 7 and savings["Doc-Embeddings"].hours.saved > 100


@freeze_time("2026-03-03 10:00:00")
def test_on_demand_serverless_is_not_a_unit_the_app_could_save_on(
    stack: EmulatedStack, sagemaker: Any, autoscaling: Any
) -> None:
    # Given a serverless endpoint without provisioned concurrency (billed per request)
    resources.create_serverless_endpoint(sagemaker, "On-Demand", provisioned_concurrency=None)
    deps = Dependencies(settings=Settings(), journal=Journal(emit_metrics=False))
    # When the week is counted
    week = account_week(deps, snapshot_prices(), "eu-west-1")
    # Then it is not a billing unit of the report (nothing to scale, nothing always on)
    assert week.savings == [] and week.failed == 0
