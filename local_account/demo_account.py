"""The demo's account: one SageMaker resource of every kind the app handles, with the situations a real
account has (mixed-case names, a team's own scaling, a bad tag value, a busy endpoint running more
instances than the default maximum, a component still loading, one opted out). The demo and the tests
build the same account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from local_account import aws_events, moto_gaps, resources

DESCRIPTION = (
    "Chat-Assistant (real-time, New York hours), Doc-Embeddings (async, office hours with a lunch break,\n"
    "hard off outside them), Intent-Classifier (serverless, provisioned concurrency 2, Berlin hours),\n"
    "Fraud-Scoring (real-time, scaled by hand by its team), Search-Ranker (real-time, busy: 6 instances,\n"
    "above the default maximum of 4), Legacy-Ranker (real-time, a bad tag value), LLM-Shared (Berlin\n"
    "office hours, hard off at night) hosting Experimental-FT (opted out); Mistral-7B is deployed there next."
)

ENDPOINTS = (
    "Chat-Assistant",
    "Doc-Embeddings",
    "Intent-Classifier",
    "Fraud-Scoring",
    "Search-Ranker",
    "LLM-Shared",
    "Legacy-Ranker",
)
COMPONENTS = ("Mistral-7B", "Experimental-FT")
BERLIN_HOURS = "Mon-Fri 08:00-19:00 Europe/Berlin"


@dataclass(frozen=True)
class DemoAccount:
    endpoints: tuple[str, ...] = ENDPOINTS
    components: tuple[str, ...] = COMPONENTS

    def events(self) -> list[dict[str, Any]]:
        """What SageMaker and CloudTrail would announce about these resources."""
        return [aws_events.endpoint_state_change(name, "IN_SERVICE") for name in self.endpoints] + [
            aws_events.component_call("CreateInferenceComponent", name, "LLM-Shared")
            for name in self.components
        ]


def create_demo_account(sagemaker: Any, autoscaling: Any, with_mistral: bool = True) -> DemoAccount:
    """Create the resources (Mistral-7B in service, unless ``with_mistral`` is False: the demo deploys it
    later, with ``deploy_mistral``, so that it is still loading when its creation is reported)."""
    moto_gaps.set_inference_component_ready_after(0)
    resources.create_realtime_endpoint(
        sagemaker,
        "Chat-Assistant",
        tags={
            "team": "assistants",
            "autoscaler:schedule": "Mon-Sat 06:00-22:00 America/New_York",
            "autoscaler:off-hours": "zero",
        },
    )
    resources.create_async_endpoint(
        sagemaker,
        "Doc-Embeddings",
        tags={
            "autoscaler:min-capacity": "0",
            "autoscaler:schedule": "Mon-Fri 07:00-12:00 13:00-20:00 UTC",
            "autoscaler:off-hours": "zero",
        },
    )
    resources.create_serverless_endpoint(
        sagemaker,
        "Intent-Classifier",
        provisioned_concurrency=2,
        tags={"autoscaler:schedule": BERLIN_HOURS, "autoscaler:off-hours": "zero"},
    )
    resources.create_realtime_endpoint(sagemaker, "Fraud-Scoring", tags={"team": "risk"})
    # Search-Ranker serves a busy product page on 6 instances; the account default maximum is 4.
    resources.create_realtime_endpoint(sagemaker, "Search-Ranker", tags={"team": "search"})
    moto_gaps.set_variant_capacity("Search-Ranker", "AllTraffic", 6)
    # The shared LLM endpoint works office hours in Berlin; its components follow (they inherit tags).
    resources.create_component_endpoint(
        sagemaker,
        "LLM-Shared",
        tags={
            "autoscaler:min-capacity": "0",
            "autoscaler:schedule": BERLIN_HOURS,
            "autoscaler:off-hours": "zero",
        },
    )
    resources.create_inference_component(
        sagemaker, "Experimental-FT", "LLM-Shared", tags={"autoscaler:enabled": "false"}
    )
    # An instance type the price snapshot cites no price for: the report says "unknown", never $0.
    resources.create_realtime_endpoint(
        sagemaker, "Legacy-Ranker", tags={"autoscaler:max-capacity": "many"}, instance_type="ml.g5.2xlarge"
    )
    if with_mistral:
        deploy_mistral(sagemaker, loading_seconds=0)
    # The risk team scaled Fraud-Scoring by hand before the app was installed.
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/Fraud-Scoring/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=2,
        MaxCapacity=3,
    )
    return DemoAccount()


def deploy_mistral(sagemaker: Any, loading_seconds: float) -> None:
    """Mistral-7B on LLM-Shared, ``Creating`` for ``loading_seconds`` (its weights are loading)."""
    moto_gaps.set_inference_component_ready_after(loading_seconds)
    resources.create_inference_component(
        sagemaker, "Mistral-7B", "LLM-Shared", tags={"autoscaler:max-capacity": "6"}
    )
