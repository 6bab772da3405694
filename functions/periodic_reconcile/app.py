"""Periodic reconcile: on a schedule, bring every endpoint and inference component to its desired scaling.

Thin on purpose: the shared package does the work; the handler supplies the deadline and observability.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sagemaker_autoscaler.engine.environment import publish_pending_changes, settings_or_log
from sagemaker_autoscaler.engine.periodic import run_periodic_reconcile
from sagemaker_autoscaler.telemetry.powertools import logger, metrics

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # The EventBridge event's id (Powertools' event classes are not imported: see scaling_events/app.py).
    logger.set_correlation_id(event.get("id"))
    try:
        summary = run_periodic_reconcile(settings_or_log(), context.get_remaining_time_in_millis)
    finally:
        publish_pending_changes()  # never raises: publishing cannot fail the run
    return summary.as_dict()
