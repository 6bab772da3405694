"""Install / uninstall: the stack's custom resource. Reconciles the account on deploy, cleans up on delete.

Thin on purpose: parse, hand the request to the shared package, carry the Powertools decorators.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import CloudFormationCustomResourceEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from sagemaker_autoscaler.engine.installation import handle_installation
from sagemaker_autoscaler.telemetry.powertools import logger, metrics, tracer


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_source(data_class=CloudFormationCustomResourceEvent)
def lambda_handler(event: CloudFormationCustomResourceEvent, context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(event.request_id)
    return handle_installation(event.raw_event, context.get_remaining_time_in_millis)
