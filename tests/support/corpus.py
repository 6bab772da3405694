"""The malformed-events corpus (tests/data/malformed_events.json) as message bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MALFORMED_EVENTS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "data" / "malformed_events.json").read_text()
)["cases"]


def message_body(case: dict[str, Any]) -> str:
    """A string event is sent as it is and anything else as its JSON; ``nested_depth`` builds a body
    nested that deep at the ``<nested>`` mark of ``event`` (too large to write out in the file)."""
    if "nested_depth" in case:
        depth = int(case["nested_depth"])
        return str(case["event"]).replace("<nested>", "[" * depth + "]" * depth)
    event = case["event"]
    return event if isinstance(event, str) else json.dumps(event)
