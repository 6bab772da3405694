"""An in-memory account behind the app's own adapters, for measuring the app's CPU alone.

The emulator (moto) costs far more CPU than the app, so its time hides how the app's own work grows with
an account's size. These fakes answer the adapter calls the periodic run makes from dictionaries, keep
what it writes, and count every call, so a run's calls and its own CPU can be measured at thousands of
resources. Only the behaviour the periodic run relies on is modelled; correctness is the emulator's job.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sagemaker_autoscaler.core.domain import (
    OWNER_TAG_KEY,
    OWNER_TAG_VALUE,
    AlarmSpec,
    PolicySpec,
    ScheduledActionSpec,
    TargetSpec,
)

ACCOUNT = "arn:aws:sagemaker:eu-west-1:123456789012"


class Calls(Counter[str]):
    """How many calls of each operation, and how many AWS requests they would be at the real page sizes."""

    def pages(self, operation: str, items: int, page_size: int) -> None:
        self[operation] += max(1, -(-items // page_size))


class FakeSageMaker:
    def __init__(self, endpoints: int, calls: Calls) -> None:
        self.calls = calls
        self.endpoints: dict[str, dict[str, Any]] = {}
        self.configs: dict[str, dict[str, Any]] = {}
        for index in range(endpoints):
            name = f"Model-{index:05d}"
            variant = {
                "VariantName": "AllTraffic",
                "ModelName": f"{name}-model",
                "InstanceType": "ml.g5.xlarge",
            }
            self.configs[f"{name}-config"] = {
                "EndpointConfigName": f"{name}-config",
                "ProductionVariants": [variant],
            }
            if index % 2:
                self.configs[f"{name}-config"]["AsyncInferenceConfig"] = {"OutputConfig": {}}
            self.endpoints[name] = {
                "EndpointName": name,
                "EndpointArn": f"{ACCOUNT}:endpoint/{name.lower()}",
                "EndpointConfigName": f"{name}-config",
                "EndpointStatus": "InService",
                "LastModifiedTime": 1,
                "ProductionVariants": [
                    {"VariantName": "AllTraffic", "CurrentInstanceCount": 1, "DesiredInstanceCount": 1}
                ],
            }

    def list_endpoints(self) -> list[dict[str, Any]]:
        self.calls.pages("ListEndpoints", len(self.endpoints), 100)
        return [dict(e) for e in self.endpoints.values()]

    def list_all_inference_components(self) -> list[dict[str, Any]]:
        self.calls.pages("ListInferenceComponents", 0, 100)
        return []

    def describe_endpoint_cached(self, name: str, _: object) -> dict[str, Any] | None:
        return self.endpoints.get(name)  # cached by a warm container: no call

    def describe_endpoint_config_cached(self, name: str) -> dict[str, Any] | None:
        return self.configs.get(name)

    def describe_endpoint(self, name: str) -> dict[str, Any] | None:
        self.calls["DescribeEndpoint"] += 1
        return self.endpoints.get(name)

    def list_tags(self, arn: str) -> dict[str, str]:
        self.calls["ListTags"] += 1
        return {"team": "search"}


class FakeTagging:
    def __init__(self, sagemaker: FakeSageMaker, calls: Calls) -> None:
        self.sagemaker, self.calls = sagemaker, calls

    def sagemaker_tags(self) -> dict[str, dict[str, str]]:
        self.calls.pages("GetResources", len(self.sagemaker.endpoints), 100)
        return {e["EndpointArn"]: {"team": "search"} for e in self.sagemaker.endpoints.values()}


class FakeAutoScaling:
    def __init__(self, calls: Calls) -> None:
        self.calls = calls
        self.targets: dict[tuple[str, str], dict[str, Any]] = {}
        self.policies: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.actions: dict[tuple[str, str, str], dict[str, Any]] = {}

    def describe_targets(self, resource_ids: Any = None) -> list[dict[str, Any]]:
        self.calls.pages("DescribeScalableTargets", len(self.targets), 50)
        return [dict(t) for t in self.targets.values()]

    def describe_all_policies(self) -> list[dict[str, Any]]:
        self.calls.pages("DescribeScalingPolicies", len(self.policies), 10)
        return [dict(p) for p in self.policies.values()]

    def describe_all_scheduled_actions(self) -> list[dict[str, Any]]:
        self.calls.pages("DescribeScheduledActions", len(self.actions), 50)
        return [dict(a) for a in self.actions.values()]

    def target_tags(self, arn: str, *, fresh: bool = False) -> dict[str, str]:
        return {OWNER_TAG_KEY: OWNER_TAG_VALUE}  # cached by a warm container: no call

    def is_owned(self, arn: str) -> bool:
        return True

    def register_target(self, spec: TargetSpec, previous_arn: str | None) -> str:
        arn = f"arn:aws:application-autoscaling:eu-west-1:123456789012:scalable-target/{len(self.targets)}"
        self.targets[(spec.resource_id, spec.dimension.value)] = {
            "ResourceId": spec.resource_id,
            "ScalableDimension": spec.dimension.value,
            "MinCapacity": spec.min_capacity,
            "MaxCapacity": spec.max_capacity,
            "ScalableTargetARN": arn,
            "SuspendedState": {},
        }
        return arn

    def put_policy(self, resource_id: str, dimension: str, spec: PolicySpec) -> str:
        arn = f"policy/{resource_id}/{spec.name}"
        self.policies[(resource_id, dimension, spec.name)] = {
            "PolicyName": spec.name,
            "PolicyARN": arn,
            "ResourceId": resource_id,
            "ScalableDimension": dimension,
            "PolicyType": spec.policy_type,
            spec.configuration_key: dict(spec.configuration),
        }
        return arn

    def put_scheduled_action(self, resource_id: str, dimension: str, spec: ScheduledActionSpec) -> None:
        self.actions[(resource_id, dimension, spec.name)] = {
            "ScheduledActionName": spec.name,
            "ResourceId": resource_id,
        }


class FakeCloudWatch:
    def __init__(self, calls: Calls) -> None:
        self.calls = calls
        self.alarms: dict[str, dict[str, Any]] = {}

    def describe_alarms(self, prefix: str) -> list[dict[str, Any]]:
        self.calls.pages("DescribeAlarms", len(self.alarms), 100)
        return [dict(a) for name, a in self.alarms.items() if name.startswith(prefix)]

    def put_alarm(self, spec: AlarmSpec, policy_arn: str) -> None:
        self.alarms[spec.name] = {
            "AlarmName": spec.name,
            "Namespace": spec.namespace,
            "MetricName": spec.metric_name,
            "Dimensions": [{"Name": n, "Value": v} for n, v in spec.dimensions],
            "Statistic": spec.statistic,
            "Period": spec.period,
            "EvaluationPeriods": spec.evaluation_periods,
            "Threshold": spec.threshold,
            "ComparisonOperator": spec.comparison,
            "TreatMissingData": spec.treat_missing_data,
            "AlarmActions": [policy_arn],
        }
