"""Install / uninstall: the stack's custom resource. Reconciles the account on deploy, cleans up on delete.

Thin on purpose: the shared package decides; the handler reads the two settings that only matter here.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from aws_lambda_powertools.utilities.data_classes import CloudFormationCustomResourceEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext

from sagemaker_autoscaler.aws import CLIENT_CONFIG
from sagemaker_autoscaler.engine.entrypoints import dependencies_from_environment
from sagemaker_autoscaler.engine.installation import handle_stack_event
from sagemaker_autoscaler.telemetry.powertools import logger, metrics, tracer


def disable_event_rules() -> None:
    """Stop new events before the clean-up, so none can re-create what is being removed."""
    events = boto3.client("events", config=CLIENT_CONFIG)
    for name in filter(None, os.environ.get("AUTOSCALER_EVENT_RULES", "").split(",")):
        events.disable_rule(Name=name.strip())


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_source(data_class=CloudFormationCustomResourceEvent)
def lambda_handler(event: CloudFormationCustomResourceEvent, context: LambdaContext) -> dict[str, Any]:
    logger.set_correlation_id(event.request_id)
    return handle_stack_event(
        event.raw_event,
        dependencies_from_environment,
        context.get_remaining_time_in_millis,
        keep_on_uninstall=os.environ.get("AUTOSCALER_KEEP_ON_UNINSTALL", "false").lower() == "true",
        disable_rules=disable_event_rules,
    )
