"""The action log: one structured line and one metric for every change the app makes, or declines to make.

Every AWS write goes through ``Journal.change`` so the log is complete by construction; the demo also reads
``entries`` to print the run's actions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.metrics import MetricUnit
from msgspec import Struct, field

from sagemaker_autoscaler.core.change_events import CHANGE, FAILURE, is_planned
from sagemaker_autoscaler.core.domain import ConfigProblem, PlanWarning, Severity
from sagemaker_autoscaler.telemetry.powertools import logger, metrics

if TYPE_CHECKING:
    from sagemaker_autoscaler.engine.apply import ChangeRecord


class MetricName:
    MESSAGES = "MessagesProcessed"
    CHANGES = "ScalingChanges"
    PLANNED = "PlannedChanges"  # changes logged but not made (WriteMode plan)
    QUOTA = "QuotaExceeded"  # a write AWS refused because a quota is full
    ACTIVATED = "ResourcesActivated"
    RELEASED = "ResourcesReleased"
    SKIPPED = "ResourcesSkipped"
    UNCHANGED = "ResourcesUnchanged"
    CONFIG_PROBLEMS = "ConfigProblems"
    INVALID_TAG_VALUES = "InvalidTagValues"
    MALFORMED_EVENTS = "MalformedEvents"
    IGNORED_EVENTS = "IgnoredEvents"
    ERRORS = "ProcessingErrors"  # one per failed resource
    FAILED_MESSAGES = "FailedMessages"  # one per message returned to the queue for a retry
    RECHECKS = "RechecksScheduled"
    RECHECK_GAVE_UP = "RecheckGaveUp"
    STACK_EVENTS = "StackLifecycleEvents"
    EVENTS_PUBLISHED = "ChangeEventsPublished"  # change and failure events accepted by the default bus
    EVENTS_FAILED = "ChangeEventsFailed"  # events the bus refused twice, or could not be sent at all


# The decisions of a resource that could not be handled (an ERROR line, a failure event).
FAILED, QUOTA = "failed", "quota"

# A warm container keeps its Journal across invocations: remember only the recent past.
MAX_ENTRIES = 10_000
# Events are published as they gather, this many at a time, not only at the end of the invocation: a
# first run over thousands of resources would otherwise hold (and the outbox drop) tens of thousands,
# and publish them all after the run, past its deadline.
PUBLISH_EVERY = 100


class Journal(Struct):
    entries: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_ENTRIES))
    # False for the command-line tool: it has no CloudWatch to send EMF to (Powertools would print it).
    emit_metrics: bool = True
    # Changes and failures not yet published as events: (detail type, fields). Drained at the end of
    # each invocation, so a warm container never publishes an entry twice.
    outbox: deque[tuple[str, dict[str, Any]]] = field(default_factory=lambda: deque(maxlen=MAX_ENTRIES))
    # Publishes (or, publishing off, forgets) the outbox; set by the functions' environment. None: the
    # outbox only gathers (the command-line tool, which publishes nothing).
    flush: Callable[[], None] | None = None
    # Resources with a planned (not made) change or a failure since the last clear: their scaling is not
    # in place, so the savings estimate leaves them out.
    not_in_place: set[str] = field(default_factory=set)

    def _to_outbox(self, kind: str, entry: dict[str, Any]) -> None:
        self.outbox.append((kind, entry))
        if self.flush is not None and len(self.outbox) >= PUBLISH_EVERY:
            self.flush()

    def count(self, name: str, value: float = 1) -> None:
        if self.emit_metrics:
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)

    def change(self, record: ChangeRecord, *, outcome: str) -> None:
        """One line per write (outcome: what happened) or per planned write (outcome ``planned``)."""
        entry = {
            "action": record.action,
            "resource_id": record.resource_id,
            "dimension": record.dimension,
            "old": record.old,
            "new": record.new,
            "outcome": outcome,
        }
        self.entries.append(entry)
        self._to_outbox(CHANGE, entry)
        if is_planned(CHANGE, entry):
            self.not_in_place.add(record.resource_id)
        logger.info(f"{record.action} {record.resource_id}: {outcome}", extra={"scaling_change": entry})
        self.count(MetricName.PLANNED if outcome == "planned" else MetricName.CHANGES)

    def drain_outbox(self) -> list[tuple[str, dict[str, Any]]]:
        """What is to be published since the last drain; the outbox is empty afterwards."""
        pending = list(self.outbox)
        self.outbox.clear()
        return pending

    def decision(self, resource_id: str, decision: str, reason: str, **details: Any) -> None:
        entry = {"action": "Decision", "resource_id": resource_id, "decision": decision, "reason": reason}
        entry.update(details)
        self.entries.append(entry)
        logger.info(f"{resource_id}: {decision} ({reason})", extra={"decision": entry})

    def problem(self, resource_id: str, problem: ConfigProblem) -> None:
        entry = {
            "resource_id": resource_id,
            "setting": problem.setting,
            "value": problem.value,
            "severity": problem.severity.value,
            "message": problem.message,
        }
        self.entries.append({"action": "ConfigProblem", **entry})
        tag = f"{problem.setting}={problem.value!r}"
        text = f"{resource_id}: tag {tag} {problem.severity.value}: {problem.message}"
        if problem.severity is Severity.INVALID:
            logger.error(text, extra={"config_problem": entry})
            self.count(MetricName.INVALID_TAG_VALUES)
        else:
            logger.warning(text, extra={"config_problem": entry})
        self.count(MetricName.CONFIG_PROBLEMS)

    def warning(self, resource_id: str, warning: PlanWarning) -> None:
        entry = {"resource_id": resource_id, "code": warning.code, "message": warning.message}
        self.entries.append({"action": "Warning", **entry})
        logger.warning(f"{resource_id}: {warning.message}", extra={"warning": entry})
        self.count(warning.code)

    def quota(self, resource_id: str, error: BaseException) -> None:
        """A quota refused a write: not retried (waiting does not lift it); ERROR line and metrics."""
        reason = f"{error}; raise the quota (Service Quotas) or manage fewer resources"
        self._error_decision(resource_id, QUOTA, reason)
        self.count(MetricName.QUOTA)

    def failure(self, resource_id: str, error: BaseException) -> None:
        """One resource failed; the run goes on. ERROR line and metric, so it never passes unseen."""
        self._error_decision(resource_id, FAILED, f"{type(error).__name__}: {error}")

    def _error_decision(self, resource_id: str, decision: str, reason: str) -> None:
        entry = {"action": "Decision", "resource_id": resource_id, "decision": decision, "reason": reason}
        self.entries.append(entry)
        self._to_outbox(FAILURE, entry)
        self.not_in_place.add(resource_id)
        logger.error(f"{resource_id}: {decision} ({reason})", extra={"decision": entry})
        self.count(MetricName.ERRORS)
