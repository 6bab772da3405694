"""Recording what the app does: the AWS operations it calls, the log lines it writes and the metrics it
prints."""

from __future__ import annotations

import json
import logging
from typing import Any

from sagemaker_autoscaler.telemetry.powertools import logger as app_logger

# Operations that change AWS state: every one the app makes must have its own log line.
WRITE_OPERATIONS = {
    "RegisterScalableTarget",
    "DeregisterScalableTarget",
    "PutScalingPolicy",
    "DeleteScalingPolicy",
    "PutScheduledAction",
    "DeleteScheduledAction",
    "PutMetricAlarm",
    "DeleteAlarms",
    "DeleteTags",
}


# The app's report of what it did (its change events), neither a read of the account nor a change to it.
TELEMETRY_OPERATIONS = {"PutEvents"}


class CallRecorder:
    """Counts the AWS operations made by clients of the default boto3 session (the app's clients)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, model: Any, **_: Any) -> None:
        self.calls.append((model.service_model.service_name, model.name))

    def reads(self) -> list[tuple[str, str]]:
        return [
            call
            for call in self.calls
            if call[1] not in WRITE_OPERATIONS and call[1] not in TELEMETRY_OPERATIONS
        ]

    def count(self, operation: str) -> int:
        return sum(1 for _, name in self.calls if name == operation)

    def writes(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[1] in WRITE_OPERATIONS]

    def clear(self) -> None:
        self.calls.clear()


class LogCapture(logging.Handler):
    """Keeps the app's log records as the JSON objects Powertools would print."""

    def __init__(self) -> None:
        super().__init__()
        self.powertools = app_logger
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.powertools.registered_formatter.format(record)))

    def changes(self) -> list[dict[str, Any]]:
        return [line["scaling_change"] for line in self.lines if "scaling_change" in line]

    def with_key(self, key: str) -> list[dict[str, Any]]:
        return [line for line in self.lines if key in line]


def emitted_metrics(output: str) -> dict[str, float]:
    """Sum the EMF metrics Powertools printed."""
    totals: dict[str, float] = {}
    for line in output.splitlines():
        if '"_aws"' not in line:
            continue
        document = json.loads(line)
        for definition in document["_aws"]["CloudWatchMetrics"]:
            for metric in definition["Metrics"]:
                values = document[metric["Name"]]
                totals[metric["Name"]] = totals.get(metric["Name"], 0) + sum(
                    values if isinstance(values, list) else [values]
                )
    return totals
