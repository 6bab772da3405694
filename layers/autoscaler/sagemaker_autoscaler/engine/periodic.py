"""The periodic function's run: one account-wide reconcile, its summary logged and emitted as metrics."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.metrics import MetricUnit

from sagemaker_autoscaler.engine.account_run import reconcile_account
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.runner import RunSummary
from sagemaker_autoscaler.telemetry.powertools import logger, metrics


def run_periodic_reconcile(deps: Dependencies, remaining_ms: Callable[[], int]) -> RunSummary:
    """One scheduled, account-wide reconcile; its summary is logged and emitted as metrics."""
    summary = reconcile_account(deps, remaining_ms)
    logger.info("reconcile run finished", extra={"summary": summary.as_dict()})
    for name, value in summary.as_dict().items():
        metric = "Reconcile" + "".join(part.capitalize() for part in name.split("_"))
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=value)
    return summary
