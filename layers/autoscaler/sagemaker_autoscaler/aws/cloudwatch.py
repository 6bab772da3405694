"""CloudWatch alarms the app owns: the ones that drive its step-scaling (wake-from-zero) policies.

Target tracking makes and deletes its own alarms; step scaling does not, so these are the app's to clean up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.aws.errors import done_unless_gone
from sagemaker_autoscaler.core.domain import OWNER_TAG_KEY, OWNER_TAG_VALUE, AlarmSpec

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch import CloudWatchClient


class CloudWatch:
    def __init__(self, client: CloudWatchClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> CloudWatchClient:
        if self._client is None:
            self._client = make_client("cloudwatch")
        return self._client

    def describe_alarms(self, name_prefix: str) -> list[dict[str, Any]]:
        paginator = self.client.get_paginator("describe_alarms")
        alarms: list[dict[str, Any]] = []
        for page in paginator.paginate(AlarmNamePrefix=name_prefix, AlarmTypes=["MetricAlarm"]):
            alarms.extend(
                dict(a) for a in page.get("MetricAlarms", []) if a["AlarmName"].startswith(name_prefix)
            )
        return alarms

    def put_alarm(self, spec: AlarmSpec, policy_arn: str) -> None:
        self.client.put_metric_alarm(
            AlarmName=spec.name,
            AlarmDescription=f"Fires the {spec.policy_name} scaling policy (managed by sagemaker-autoscaler)",
            Namespace=spec.namespace,
            MetricName=spec.metric_name,
            Dimensions=[{"Name": name, "Value": value} for name, value in spec.dimensions],
            Statistic=spec.statistic,  # type: ignore[arg-type]
            Period=spec.period,
            EvaluationPeriods=spec.evaluation_periods,
            Threshold=spec.threshold,
            ComparisonOperator=spec.comparison,  # type: ignore[arg-type]
            TreatMissingData=spec.treat_missing_data,
            AlarmActions=[policy_arn],
            Tags=[{"Key": OWNER_TAG_KEY, "Value": OWNER_TAG_VALUE}],
        )

    def delete_alarm(self, name: str) -> bool:
        """False when the alarm was already gone (DeleteAlarms answers ResourceNotFound)."""
        return done_unless_gone(self.client.delete_alarms, AlarmNames=[name])
