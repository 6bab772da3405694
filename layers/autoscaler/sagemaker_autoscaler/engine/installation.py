"""Install and uninstall, as a CloudFormation custom resource.

Create/Update: reconcile the whole account at once, so endpoints that existed before the stack are
covered immediately rather than at the first scheduled run. Delete: remove everything the app created
(unless the stack says to keep it), after switching off the stack's event rules so that no event can
re-create scaling half-way. Whatever happens, CloudFormation gets an answer: a failed clean-up is
logged and counted, never allowed to hang or fail the stack's deletion.
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from sagemaker_autoscaler.core.installation_options import InstallationOptions
from sagemaker_autoscaler.engine.account_run import reconcile_account, release_orphan
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.environment import dependencies_from_environment
from sagemaker_autoscaler.engine.runner import DEFAULT_RESERVE_MS, Runner, RunSummary, WorkItem
from sagemaker_autoscaler.engine.state import ScalingSnapshot
from sagemaker_autoscaler.telemetry.journal import MetricName
from sagemaker_autoscaler.telemetry.powertools import logger, metrics

PHYSICAL_RESOURCE_ID = "sagemaker-autoscaler-installation"
Responder = Callable[[Mapping[str, Any], str, dict[str, Any], str], None]


def uninstall(
    deps: Dependencies, remaining_ms: Callable[[], int], reserve_ms: int = DEFAULT_RESERVE_MS
) -> RunSummary:
    """Release every target, policy, scheduled action and alarm the app owns, whatever its resource,
    stopping in time to answer CloudFormation (what is left is counted as deferred and logged)."""
    snapshot = ScalingSnapshot(deps)
    reason = "sagemaker-autoscaler is being uninstalled"
    # Reads (the target's tags) and writes of one resource fail alone: the clean-up goes on.
    items = [
        WorkItem(key[0], partial(release_orphan, key, snapshot, deps, reason), orphan=True)
        for key in sorted(snapshot.candidate_orphans())
    ]
    summary = Runner(deps, remaining_ms=remaining_ms, reserve_ms=reserve_ms).run(items)
    if summary.deferred:
        left = [item.resource_id for item in items[len(items) - summary.deferred :]]
        logger.error("uninstall ran out of time", extra={"left_in_place": left})
    return summary


def http_respond(event: Mapping[str, Any], status: str, data: dict[str, Any], reason: str) -> None:
    """Answer CloudFormation through the pre-signed ResponseURL (an S3 PUT)."""
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason[:900],
            "PhysicalResourceId": event.get("PhysicalResourceId") or PHYSICAL_RESOURCE_ID,
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data,
        }
    ).encode()
    request = urllib.request.Request(
        event["ResponseURL"],
        data=body,
        method="PUT",
        headers={"Content-Type": "", "Content-Length": str(len(body))},
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def handle_stack_event(
    event: Mapping[str, Any],
    make_deps: Callable[[], Dependencies],
    remaining_ms: Callable[[], int],
    *,
    keep_on_uninstall: bool,
    disable_rules: Callable[[], None],
    respond: Responder = http_respond,
) -> dict[str, Any]:
    request = event.get("RequestType")
    data: dict[str, Any] = {}
    reason = ""
    try:
        # Inside the try: even settings that do not load must not leave CloudFormation waiting.
        deps = make_deps()
        deps.journal.count(MetricName.STACK_EVENTS)
        if request in ("Create", "Update"):
            data = reconcile_account(deps, remaining_ms).as_dict()
            reason = f"reconciled the account: {data}"
        elif request == "Delete" and keep_on_uninstall:
            reason = "KeepScalingOnUninstall is true: the app's scaling configuration was left in place"
        elif request == "Delete":
            try:
                disable_rules()
            except Exception:  # noqa: BLE001 - the clean-up matters more than stopping late events
                deps.journal.count(MetricName.ERRORS)
                logger.exception("could not disable the event rules; cleaning up anyway")
            data = uninstall(deps, remaining_ms).as_dict()
            reason = f"removed the app's scaling configuration: {data}"
        else:
            reason = f"nothing to do for request type {request!r}"
    except Exception as error:  # noqa: BLE001 - CloudFormation must always get an answer
        metrics.add_metric(name=MetricName.ERRORS, unit=MetricUnit.Count, value=1)
        logger.exception("installation step failed; answering SUCCESS so the stack is not blocked")
        follow_up = (
            "some of the app's scaling configuration may be left; see the logs"
            if request == "Delete"
            else "the periodic reconcile will catch up"
        )
        reason = f"{request} failed ({type(error).__name__}: {error}); {follow_up}"
    logger.info("custom resource answered", extra={"request_type": request, "reason": reason, "data": data})
    # SUCCESS even after a failure: a failed install must not roll the stack back, and a failed
    # uninstall must not leave it stuck in DELETE_FAILED. The logs and the error metric say what went wrong.
    respond(event, "SUCCESS", {k: str(v) for k, v in data.items()}, reason or "ok")
    return {"Status": "SUCCESS", "Reason": reason, "Data": data}


def handle_installation(
    event: Mapping[str, Any], remaining_ms: Callable[[], int], respond: Responder = http_respond
) -> dict[str, Any]:
    """The custom resource's request, with the function's own settings (its environment) and clients."""
    options = InstallationOptions.from_environment(os.environ)
    return handle_stack_event(
        event,
        dependencies_from_environment,
        remaining_ms,
        keep_on_uninstall=options.keep_on_uninstall,
        # The functions' own EventBridge client (one per service), which also publishes the changes.
        disable_rules=lambda: dependencies_from_environment().events.disable(options.event_rules),
        respond=respond,
    )
