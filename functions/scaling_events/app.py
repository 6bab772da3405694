"""Scaling events: SQS batches of EventBridge events (and the app's own rechecks) -> reconcile.

Thin on purpose: hand each message of the batch to the shared package, and report the failed ones
(`ReportBatchItemFailures`) so that only those are retried. The loop is written out rather than taken
from Powertools' BatchProcessor, whose import (asyncio and every Powertools event class) would add a
tenth of boto3's import time to every cold start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sagemaker_autoscaler.engine.environment import publish_pending_changes, settings_or_log
from sagemaker_autoscaler.engine.messages import handle_message
from sagemaker_autoscaler.telemetry.powertools import logger, metrics

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[dict[str, str]]]:
    failures: list[dict[str, str]] = []
    try:
        for record in event["Records"]:
            try:
                handle_message(record["body"], settings_or_log())
            except Exception:  # noqa: BLE001 - logged by handle_message; SQS retries only this message
                failures.append({"itemIdentifier": record["messageId"]})
    finally:
        publish_pending_changes()  # never raises: publishing cannot fail the batch
    return {"batchItemFailures": failures}
