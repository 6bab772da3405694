"""The deployed stack, wired inside an emulated account: the template's own rules deliver events to the
events queue, and the real handler (``functions/scaling_events/app.py``) consumes it in batches, with
partial-batch failures, retries and the dead-letter queue behaving as SQS makes them behave.

Used by the tests (in-process moto) and by the demo (moto server on 127.0.0.1).
"""

from __future__ import annotations

import importlib.util
import json
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3

from .emulated import ACCOUNT_ID, REGION
from .template import event_rule_patterns, function_environment

ROOT = Path(__file__).resolve().parent.parent
EVENTS_FUNCTION = "ScalingEventsFunction"
QUEUE_NAME = "sagemaker-autoscaler-events"
DEAD_LETTER_QUEUE_NAME = "sagemaker-autoscaler-events-dlq"
MAX_RECEIVE_COUNT = 5


def load_function(folder: str) -> ModuleType:
    """Import ``functions/<folder>/app.py`` as Lambda would, under a unique module name."""
    path = ROOT / "functions" / folder / "app.py"
    spec = importlib.util.spec_from_file_location(f"functions_{folder}_app", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class FakeLambdaContext:
    function_name: str = "sagemaker-autoscaler-ScalingEventsFunction"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = (
        f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:sagemaker-autoscaler-ScalingEventsFunction"
    )
    aws_request_id: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


@dataclass
class DeliveryReport:
    """What one drain of the queue did."""

    invocations: int = 0
    messages: int = 0
    failed_messages: int = 0


class EmulatedStack:
    def __init__(self, region: str = REGION, environment_overrides: dict[str, str] | None = None) -> None:
        self.region = region
        self.sqs = boto3.client("sqs", region_name=region)
        self.events = boto3.client("events", region_name=region)
        dlq_url = self.sqs.create_queue(QueueName=DEAD_LETTER_QUEUE_NAME)["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.dead_letter_queue_url = dlq_url
        self.queue_url = self.sqs.create_queue(
            QueueName=QUEUE_NAME,
            Attributes={
                "VisibilityTimeout": "360",
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT}
                ),
            },
        )["QueueUrl"]
        queue_arn = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        # The rules exactly as the template writes them: a pattern change there changes what arrives here.
        self.rule_names = []
        for logical_id, pattern in event_rule_patterns().items():
            self.events.put_rule(Name=logical_id, EventPattern=json.dumps(pattern), State="ENABLED")
            self.events.put_targets(Rule=logical_id, Targets=[{"Id": "events-queue", "Arn": queue_arn}])
            self.rule_names.append(logical_id)

        environment = {
            name: value
            for name, value in function_environment(EVENTS_FUNCTION).items()
            if not value.startswith("<")
        }
        environment.update(
            AUTOSCALER_QUEUE_URL=self.queue_url,
            AUTOSCALER_ACCOUNT_ID=ACCOUNT_ID,
            POWERTOOLS_TRACE_DISABLED="true",
            AWS_DEFAULT_REGION=region,
        )
        environment.update(environment_overrides or {})
        self.environment = environment
        os.environ.update(environment)
        self.handler = load_function("scaling_events")
        self.reset_dependencies()

    def reset_dependencies(self) -> None:
        """Forget the cached settings and clients, as a new Lambda container would."""
        from sagemaker_autoscaler.engine.environment import dependencies_from_environment

        dependencies_from_environment.cache_clear()

    @property
    def journal_entries(self) -> Sequence[dict[str, Any]]:
        from sagemaker_autoscaler.engine.environment import dependencies_from_environment

        return dependencies_from_environment().journal.entries

    def publish(self, *entries: dict[str, Any]) -> None:
        """Put events on the default bus, as SageMaker or CloudTrail would."""
        batch: list[Any] = [{**entry, "Detail": json.dumps(entry["Detail"])} for entry in entries]
        for start in range(0, len(batch), 10):
            response = self.events.put_events(Entries=batch[start : start + 10])
            assert response["FailedEntryCount"] == 0, response

    def send_raw(self, body: str) -> None:
        """Put a message straight on the queue (for malformed input that no rule would produce)."""
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=body)

    def drain(self, max_invocations: int = 50) -> DeliveryReport:
        """Invoke the handler with batches of up to 10 visible messages until the queue has none."""
        report = DeliveryReport()
        while report.invocations < max_invocations:
            received = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=10,
                AttributeNames=["All"],
            ).get("Messages", [])
            if not received:
                break
            event = {"Records": [self._record(message) for message in received]}
            report.invocations += 1
            report.messages += len(received)
            try:
                response = self.handler.lambda_handler(
                    event, FakeLambdaContext(aws_request_id=str(uuid.uuid4()))
                )
                failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
            except Exception:  # noqa: BLE001 - a failed invocation returns the whole batch to the queue
                failed = {message["MessageId"] for message in received}
            report.failed_messages += len(failed)
            for message in received:
                # As the Lambda poller does: a failed message stays on the queue, invisible until its
                # visibility timeout passes, then is retried, and after maxReceiveCount is dead-lettered.
                if message["MessageId"] not in failed:
                    self.sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return report

    def _record(self, message: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:{self.region}:{ACCOUNT_ID}:{QUEUE_NAME}",
            "awsRegion": self.region,
        }

    def dead_letters(self) -> list[str]:
        messages = self.sqs.receive_message(
            QueueUrl=self.dead_letter_queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages", [])
        return [message["Body"] for message in messages]

    def pending(self) -> int:
        """Messages still to be handled: visible, delayed, or in flight (failed, awaiting a retry)."""
        names: list[Any] = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesDelayed",
            "ApproximateNumberOfMessagesNotVisible",
        ]
        attributes = self.sqs.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=names)[
            "Attributes"
        ]
        return sum(int(attributes[name]) for name in names)


def describe_scaling(
    resource_ids: Iterable[str] | None = None, region: str = REGION, *, full: bool = False
) -> dict[str, Any]:
    """Everything Application Auto Scaling and CloudWatch hold for SageMaker, for assertions and tables:
    the one dump of an account's scaling state, in two views.

    The default view is the compact one the demo prints: per scalable target (keyed by resource id) its
    dimension, bounds, tags and the names of its policies and scheduled actions, and under ``"_alarms"``
    the names of all alarms.

    ``full=True`` is the whole state, without ARNs or timestamps, so two accounts (or one account before
    and after) compare with ``==``: ``targets`` (with their suspended state), ``policies`` and
    ``scheduled_actions`` keyed ``<resource id>:<name>`` with their configuration, and ``alarms`` with
    their metric and actions. An alarm action names its policy as ``<resource id>:<policy name>``; a
    dangling action shows as ``dangling:<arn>``.

    ``resource_ids`` keeps only those resources' targets, policies and scheduled actions (alarms are
    always all listed)."""
    autoscaling = boto3.client("application-autoscaling", region_name=region)
    cloudwatch = boto3.client("cloudwatch", region_name=region)

    def every(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            items.extend(page[key])
        return items

    kept = None if resource_ids is None else set(resource_ids)

    def sagemaker_listing(operation: str, key: str) -> list[dict[str, Any]]:
        items = every(autoscaling, operation, key, ServiceNamespace="sagemaker")
        return [item for item in items if kept is None or item["ResourceId"] in kept]

    targets = sagemaker_listing("describe_scalable_targets", "ScalableTargets")
    policies = sagemaker_listing("describe_scaling_policies", "ScalingPolicies")
    actions = sagemaker_listing("describe_scheduled_actions", "ScheduledActions")
    alarms = every(cloudwatch, "describe_alarms", "MetricAlarms")
    tags = {
        target["ResourceId"]: dict(
            autoscaling.list_tags_for_resource(ResourceARN=target["ScalableTargetARN"])["Tags"]
        )
        for target in targets
    }
    if full:
        return _full_view(targets, tags, policies, actions, alarms)
    return _compact_view(targets, tags, policies, actions, alarms)


def _compact_view(
    targets: Sequence[Mapping[str, Any]],
    tags: Mapping[str, dict[str, str]],
    policies: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
    alarms: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for target in targets:
        rid = target["ResourceId"]
        state[rid] = {
            "dimension": target["ScalableDimension"],
            "min": target["MinCapacity"],
            "max": target["MaxCapacity"],
            "tags": tags[rid],
            "policies": sorted(p["PolicyName"] for p in policies if p["ResourceId"] == rid),
            "scheduled_actions": sorted(a["ScheduledActionName"] for a in actions if a["ResourceId"] == rid),
        }
    state["_alarms"] = sorted(a["AlarmName"] for a in alarms)
    return state


def _full_view(
    targets: Sequence[Mapping[str, Any]],
    tags: Mapping[str, dict[str, str]],
    policies: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
    alarms: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    policy_names = {p["PolicyARN"]: f"{p['ResourceId']}:{p['PolicyName']}" for p in policies}
    state: dict[str, Any] = {"targets": {}, "policies": {}, "scheduled_actions": {}, "alarms": {}}
    for target in targets:
        state["targets"][target["ResourceId"]] = {
            "dimension": target["ScalableDimension"],
            "min": target["MinCapacity"],
            "max": target["MaxCapacity"],
            "suspended": dict(target.get("SuspendedState") or {}),
            "tags": tags[target["ResourceId"]],
        }
    for policy in policies:
        configuration = dict(
            policy.get("TargetTrackingScalingPolicyConfiguration")
            or policy.get("StepScalingPolicyConfiguration")
            or {}
        )
        state["policies"][f"{policy['ResourceId']}:{policy['PolicyName']}"] = {
            "type": policy["PolicyType"],
            "dimension": policy["ScalableDimension"],
            "configuration": configuration,
        }
    for action in actions:
        state["scheduled_actions"][f"{action['ResourceId']}:{action['ScheduledActionName']}"] = {
            "schedule": action["Schedule"],
            "timezone": action.get("Timezone"),
            "bounds": dict(action.get("ScalableTargetAction") or {}),
            "start": str(action.get("StartTime")),
            "end": str(action.get("EndTime")),
        }
    for alarm in alarms:
        state["alarms"][alarm["AlarmName"]] = {
            "metric": (alarm.get("Namespace"), alarm.get("MetricName"), alarm.get("Statistic")),
            "dimensions": sorted((d["Name"], d["Value"]) for d in alarm.get("Dimensions", [])),
            "period": alarm.get("Period"),
            "threshold": alarm.get("Threshold"),
            "comparison": alarm.get("ComparisonOperator"),
            "actions": [policy_names.get(arn, f"dangling:{arn}") for arn in alarm.get("AlarmActions", [])],
        }
    return state
