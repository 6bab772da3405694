"""Install / uninstall: the stack's custom resource. Reconciles the account on deploy, cleans up on delete.

Thin on purpose: parse, hand the request to the shared package, carry the Powertools decorators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sagemaker_autoscaler.engine.environment import publish_pending_changes
from sagemaker_autoscaler.engine.installation import handle_installation
from sagemaker_autoscaler.telemetry.powertools import logger, metrics

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # The CloudFormation request id (Powertools' event classes are not imported: see scaling_events/app.py).
    logger.set_correlation_id(event.get("RequestId"))
    try:
        return handle_installation(event, context.get_remaining_time_in_millis)
    finally:
        # After CloudFormation has its answer: publishing never delays or changes it.
        publish_pending_changes()
