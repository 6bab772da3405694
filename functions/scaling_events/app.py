"""Scaling events: SQS batches of EventBridge events (and the app's own rechecks) -> reconcile.

Thin on purpose: parse the batch, hand each message to the shared package, report partial failures so
only the failed messages are retried.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from sagemaker_autoscaler.engine.entrypoints import handle_message, settings_or_log
from sagemaker_autoscaler.telemetry.powertools import logger, metrics, tracer

# Report failures item by item even when every record failed, rather than failing the invocation.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@tracer.capture_method
def record_handler(record: SQSRecord) -> None:
    handle_message(record.body, settings_or_log())


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
