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


def raw_samples() -> dict[str, dict[str, Any]]:
    """Sample name (file stem) -> EventBridge event, for every file in events/eventbridge/."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(RAW_EVENTS_DIR.glob("*.json"))}
