"""Periodic reconcile: on a schedule, bring every endpoint and inference component to its desired scaling.

Thin on purpose: the shared package does the work; the handler supplies the deadline and observability.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import EventBridgeEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from sagemaker_autoscaler.engine.entrypoints import run_periodic_reconcile, settings_or_log
from sagemaker_autoscaler.telemetry.powertools import logger, metrics, tracer


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_source(data_class=EventBridgeEvent)
def lambda_handler(event: EventBridgeEvent, context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(event.get_id)
    summary = run_periodic_reconcile(settings_or_log(), context.get_remaining_time_in_millis)
    return summary.as_dict()
