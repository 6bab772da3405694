"""SQS: re-enqueue a "not ready yet" recheck with a delay instead of waiting inside the Lambda."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sagemaker_autoscaler.aws import make_client

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# SQS caps a message's delay at 15 minutes.
MAX_DELAY_SECONDS = 900


class Queue:
    def __init__(self, queue_url: str | None, client: SQSClient | None = None) -> None:
        self.queue_url = queue_url
        self._client = client

    @property
    def client(self) -> SQSClient:
        if self._client is None:
            self._client = make_client("sqs")
        return self._client

    def send_later(self, message: dict[str, Any], delay_seconds: int) -> None:
        if not self.queue_url:
            raise RuntimeError("AUTOSCALER_QUEUE_URL is not set: cannot schedule a recheck")
        self.client.send_message(
            QueueUrl=self.queue_url,
            MessageBody=json.dumps(message),
            DelaySeconds=max(0, min(delay_seconds, MAX_DELAY_SECONDS)),
        )
