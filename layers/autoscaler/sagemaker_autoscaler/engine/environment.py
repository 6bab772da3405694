"""The functions' dependencies, built from their environment once per Lambda container."""

from __future__ import annotations

import os
from functools import cache

from aws_lambda_powertools.metrics import MetricUnit

from sagemaker_autoscaler.aws.sqs import Queue
from sagemaker_autoscaler.core.settings import Settings, SettingsError
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.telemetry.journal import MetricName
from sagemaker_autoscaler.telemetry.powertools import logger, metrics


@cache
def dependencies_from_environment() -> Dependencies:
    """Built once per Lambda container, on the first invocation (clients stay lazy until first use)."""
    settings = Settings.from_environment(os.environ)
    return Dependencies(settings=settings, queue=Queue(settings.queue_url))


def settings_or_log() -> Dependencies:
    """The cached dependencies; a deployment whose settings do not load says so at ERROR, every time."""
    try:
        return dependencies_from_environment()
    except SettingsError as error:
        logger.error("the function's settings do not load", extra={"error": str(error)})
        metrics.add_metric(name=MetricName.FAILED_MESSAGES, unit=MetricUnit.Count, value=1)
        raise
