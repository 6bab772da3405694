"""The stack's dashboard: every metric it draws is one the app emits, under the app's namespace and
service dimension, and the dead-letter queue it watches is the stack's own."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec.structs

from local_account.template import Template
from sagemaker_autoscaler.engine.periodic import SAVINGS_METRICS
from sagemaker_autoscaler.engine.runner import RunSummary
from sagemaker_autoscaler.telemetry.journal import MetricName

NAMESPACE = "SageMakerAutoscaler"
SERVICE = ["service", "sagemaker-autoscaler"]


def emitted_metrics() -> set[str]:
    """The journal's metric names, and the periodic run's summary fields as it emits them."""
    names = {value for key, value in vars(MetricName).items() if not key.startswith("_")}
    summary = {
        "Reconcile" + "".join(part.capitalize() for part in field.name.split("_"))
        for field in msgspec.structs.fields(RunSummary)
    }
    return {str(name) for name in names} | summary | set(SAVINGS_METRICS)


def dashboard_rows(template: Template) -> list[tuple[str, list[Any]]]:
    """(widget title, metric row with "." expanded) for every metric of the dashboard's body."""
    body_text = template["Resources"]["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
    assert set(re.findall(r"\$\{([^}]+)\}", body_text)) == {
        "AWS::Region",
        "ScalingEventsDeadLetterQueue.QueueName",
    }
    body = json.loads(body_text.replace("${AWS::Region}", "eu-west-1"))
    rows = []
    for widget in body["widgets"]:
        previous: list[Any] = []
        for row in widget["properties"]["metrics"]:
            # A trailing object holds the line's options (its axis), not a dimension.
            values = row[:-1] if row and isinstance(row[-1], dict) else row
            expanded = [previous[i] if value == "." else value for i, value in enumerate(values)]
            rows.append((widget["properties"]["title"], expanded))
            previous = expanded
    return rows


def test_the_dashboard_draws_only_metrics_the_app_emits(template: Template) -> None:
    # Given the dashboard's metrics
    rows = dashboard_rows(template)
    app = [row for _, row in rows if row[0] == NAMESPACE]

    # Then each of the app's is one it emits, with the dimension its EMF lines carry
    assert len(app) >= 15
    assert {row[1] for row in app} <= emitted_metrics()
    assert all(row[2:] == SERVICE for row in app)
    # And the errors, the changes and the managed resources are all there
    drawn = {row[1] for row in app}
    assert {"ProcessingErrors", "FailedMessages", "ScalingChanges", "ReconcileResourcesSeen"} <= drawn
    # And the money and the capacity
    assert set(SAVINGS_METRICS) <= drawn


def test_the_dashboard_watches_the_stacks_dead_letter_queue(template: Template) -> None:
    # Given the dashboard's metrics outside the app's namespace
    others = [(title, row) for title, row in dashboard_rows(template) if row[0] != NAMESPACE]

    # Then there is one: the depth of the stack's dead-letter queue
    assert others == [
        (
            "Dead-letter queue depth",
            [
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "QueueName",
                "${ScalingEventsDeadLetterQueue.QueueName}",
            ],
        )
    ]
