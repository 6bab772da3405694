"""The action log: one structured line and one metric for every change the app makes, or declines to make.

Every AWS write goes through ``Journal.change`` so the log is complete by construction; the demo also reads
``entries`` to print the run's actions.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from .model import ConfigProblem, PlanWarning, Severity
from .observability import logger, metrics


class MetricName:
    MESSAGES = "MessagesProcessed"
    CHANGES = "ScalingChanges"
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


# A warm container keeps its Journal across invocations: remember only the recent past.
MAX_ENTRIES = 10_000


@dataclass
class Journal:
    entries: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=MAX_ENTRIES))

    def count(self, name: str, value: float = 1) -> None:
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)

    def change(
        self,
        action: str,
        resource_id: str,
        *,
        dimension: str | None,
        old: Any,
        new: Any,
        outcome: str,
    ) -> None:
        entry = {
            "action": action,
            "resource_id": resource_id,
            "dimension": dimension,
            "old": old,
            "new": new,
            "outcome": outcome,
        }
        self.entries.append(entry)
        logger.info(f"{action} {resource_id}: {outcome}", extra={"scaling_change": entry})
        self.count(MetricName.CHANGES)

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

    def failure(self, resource_id: str, error: BaseException) -> None:
        """One resource failed; the run goes on. ERROR line and metric, so it never passes unseen."""
        reason = f"{type(error).__name__}: {error}"
        entry = {"action": "Decision", "resource_id": resource_id, "decision": "failed", "reason": reason}
        self.entries.append(entry)
        logger.error(f"{resource_id}: failed ({reason})", extra={"decision": entry})
        self.count(MetricName.ERRORS)
