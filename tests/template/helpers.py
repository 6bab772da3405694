"""Paths and loaders shared by the template tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_FILE = REPO_ROOT / "template.yaml"
EVENTS_DIR = REPO_ROOT / "events"
RAW_EVENTS_DIR = EVENTS_DIR / "eventbridge"
UNMATCHED_PREFIX = "unmatched-"
FUNCTION_ID = "ScalingEventsFunction"
ROLE_ID = "ScalingEventsFunctionRole"
PERIODIC_FUNCTION_ID = "PeriodicReconcileFunction"
LIFECYCLE_FUNCTION_ID = "LifecycleFunction"
# Every function of the template -> its own role.
ROLE_OF_FUNCTION = {
    FUNCTION_ID: ROLE_ID,
    PERIODIC_FUNCTION_ID: "PeriodicReconcileFunctionRole",
    LIFECYCLE_FUNCTION_ID: "LifecycleFunctionRole",
}
# The rule SAM generates for the periodic function's Schedule event (<function id><event id>).
SCHEDULE_RULE_ID = "PeriodicReconcileFunctionReconcileSchedule"
# The event source mapping SAM generates for the events function's SQS event.
EVENT_SOURCE_MAPPING_ID = "ScalingEventsFunctionScalingEvents"


def raw_samples() -> dict[str, dict[str, Any]]:
    """Sample name (file stem) -> EventBridge event, for every file in events/eventbridge/."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(RAW_EVENTS_DIR.glob("*.json"))}
