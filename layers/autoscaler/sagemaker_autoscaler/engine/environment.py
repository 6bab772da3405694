"""The functions' dependencies, built from their environment once per Lambda container."""

from __future__ import annotations

import os
from functools import cache, partial

from aws_lambda_powertools.metrics import MetricUnit

from sagemaker_autoscaler.aws.sqs import Queue
from sagemaker_autoscaler.core.settings import Settings, SettingsError
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.publishing import ChangePublisher, publish_changes
from sagemaker_autoscaler.telemetry.journal import MetricName
from sagemaker_autoscaler.telemetry.powertools import logger, metrics


@cache
def dependencies_from_environment() -> Dependencies:
    """Built once per Lambda container, on the first invocation (clients stay lazy until first use)."""
    settings = Settings.from_environment(os.environ)
    deps = Dependencies(settings=settings, queue=Queue(settings.queue_url))
    publish = os.environ.get("AUTOSCALER_PUBLISH_CHANGE_EVENTS", "true").strip().lower()
    if publish != "false":
        # Lambda sets AWS_REGION; the account comes from the template (AWS::AccountId).
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
        account = os.environ.get("AUTOSCALER_ACCOUNT_ID", "")
        deps.publisher = ChangePublisher(deps.events, account, region, with_planned=publish == "with-planned")
    deps.journal.flush = partial(publish_changes, deps.publisher, deps.journal)
    return deps


def publish_pending_changes() -> None:
    """The end of an invocation: publish what it journalled. Settings that did not load journalled
    nothing (and were reported already)."""
    try:
        deps = dependencies_from_environment()
    except SettingsError:
        return
    publish_changes(deps.publisher, deps.journal)


def settings_or_log() -> Dependencies:
    """The cached dependencies; a deployment whose settings do not load says so at ERROR, every time."""
    try:
        return dependencies_from_environment()
    except SettingsError as error:
        logger.error("the function's settings do not load", extra={"error": str(error)})
        metrics.add_metric(name=MetricName.FAILED_MESSAGES, unit=MetricUnit.Count, value=1)
        raise
