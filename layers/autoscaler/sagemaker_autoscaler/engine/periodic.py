"""The periodic function's run: one account-wide reconcile, its summary logged and emitted as metrics."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.metrics import MetricUnit
from msgspec.structs import replace

from sagemaker_autoscaler.aws.pricing import snapshot_prices
from sagemaker_autoscaler.engine.account_run import Inventory, reconcile_account
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.runner import RunSummary
from sagemaker_autoscaler.engine.savings import account_week, in_place, running_capacity, week_totals
from sagemaker_autoscaler.telemetry.journal import Journal
from sagemaker_autoscaler.telemetry.powertools import logger, metrics

# US dollars (CloudWatch has no currency unit): priced units only, from the price snapshot.
SPEND_METRIC = "EstimatedSpendUsdPerHour"
SAVINGS_METRIC = "EstimatedSavingsUsdPerWeek"
UNPRICED_METRIC = "UnitsWithoutPrice"
NOT_IN_PLACE_METRIC = "UnitsNotInPlace"  # changes pending (WriteMode plan) or failed: not estimated
INSTANCES_METRIC = "RunningInstances"
CONCURRENCY_METRIC = "RunningProvisionedConcurrency"
SAVINGS_METRICS = (
    SPEND_METRIC,
    SAVINGS_METRIC,
    UNPRICED_METRIC,
    NOT_IN_PLACE_METRIC,
    INSTANCES_METRIC,
    CONCURRENCY_METRIC,
)


def run_periodic_reconcile(deps: Dependencies, remaining_ms: Callable[[], int]) -> RunSummary:
    """One scheduled, account-wide reconcile; its summary is logged and emitted as metrics, and so are the
    account's estimated spend and savings."""
    inventories: list[Inventory] = []
    deps.journal.not_in_place.clear()
    summary = reconcile_account(deps, remaining_ms, inventory_sink=inventories.append)
    logger.info("reconcile run finished", extra={"summary": summary.as_dict()})
    for name, value in summary.as_dict().items():
        metric = "Reconcile" + "".join(part.capitalize() for part in name.split("_"))
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=value)
    if inventories:
        emit_savings(deps, inventories[0])
    return summary


def emit_savings(deps: Dependencies, inventory: Inventory) -> None:
    """Estimated spend and savings from the price snapshot, counting only the units whose scaling is in
    place (none in WriteMode plan); never a reason for the run to fail, nor a failure of its own: a unit
    it cannot count is left out, with no ProcessingErrors and no failure event."""
    try:
        region = deps.sagemaker.client.meta.region_name
        # Its own journal: the run's counts, alarms and events are the reconcile's alone.
        quiet = replace(deps, journal=Journal(emit_metrics=False))
        week = account_week(quiet, snapshot_prices(), region, inventory)
        counted = in_place(week, deps.journal.not_in_place)
        per_hour, saved, unpriced = week_totals(counted)
    except Exception:  # noqa: BLE001 - an estimate must not fail the reconcile that already ran
        logger.exception("savings estimate failed")
        return
    waiting = len(week.savings) - len(counted.savings)
    estimate = {"spend_usd_per_hour": per_hour, "saved_usd_week": saved, "units_unpriced": unpriced}
    logger.info("savings estimate", extra={"savings": {**estimate, "units_not_in_place": waiting}})
    metrics.add_metric(name=NOT_IN_PLACE_METRIC, unit=MetricUnit.Count, value=waiting)
    metrics.add_metric(name=SPEND_METRIC, unit=MetricUnit.NoUnit, value=round(per_hour, 4))
    metrics.add_metric(name=SAVINGS_METRIC, unit=MetricUnit.NoUnit, value=round(saved, 2))
    metrics.add_metric(name=UNPRICED_METRIC, unit=MetricUnit.Count, value=unpriced)
    instances, concurrency = running_capacity(inventory)
    metrics.add_metric(name=INSTANCES_METRIC, unit=MetricUnit.Count, value=instances)
    metrics.add_metric(name=CONCURRENCY_METRIC, unit=MetricUnit.Count, value=concurrency)
