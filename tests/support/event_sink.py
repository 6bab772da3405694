"""Where a test watches events arrive: an SQS queue behind a rule, as a consumer of the events would set
it up (EventBridge delivers each matching event to the queue as the event's JSON)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from local_account.emulated import REGION


class EventSink:
    """A queue that receives every event a rule on ``bus`` matches with ``pattern``."""

    def __init__(self, name: str, pattern: dict[str, Any], bus: str = "default") -> None:
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.events = boto3.client("events", region_name=REGION)
        self.url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern), State="ENABLED")
        self.events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": name, "Arn": arn}])

    def received(self) -> list[dict[str, Any]]:
        """Every event delivered so far (each read once: the queue is emptied)."""
        found: list[dict[str, Any]] = []
        while True:
            messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get("Messages", [])
            if not messages:
                return found
            for message in messages:
                found.append(json.loads(message["Body"]))
                self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
