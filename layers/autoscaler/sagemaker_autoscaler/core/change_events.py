"""The app's own events on the account's default bus: one per change (or planned change) and one per
failed resource, batched as PutEvents accepts them.

The limits are AWS's (EventBridge API reference, PutEvents): at most 10 entries a request, and a total
entry size under 256 KB, where an entry's size is the UTF-8 length of its Source, DetailType, Detail and
each Resources item, plus 14 bytes for a Time ("Calculating PutEvents event entry size").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

# The app's name, as its logs and metrics already name the service (POWERTOOLS_SERVICE_NAME).
SOURCE = "sagemaker-autoscaler"
CHANGE = "Scaling Change"
FAILURE = "Scaling Failure"
DETAIL_TYPES = (CHANGE, FAILURE)

MAX_ENTRIES_PER_REQUEST = 10
MAX_REQUEST_BYTES = 256 * 1024  # the total must stay below this

Entry = dict[str, Any]


def event_entry(detail_type: str, fields: Mapping[str, Any], account: str, region: str) -> Entry:
    """A PutEvents entry for the default bus: the journal line's fields plus where it happened."""
    detail = {**fields, "account": account, "region": region}
    return {"Source": SOURCE, "DetailType": detail_type, "Detail": json.dumps(detail, default=str)}


def is_planned(detail_type: str, fields: Mapping[str, Any]) -> bool:
    """A change logged but not made (WriteMode plan)."""
    return detail_type == CHANGE and fields.get("outcome") == "planned"


def entry_size(entry: Mapping[str, Any]) -> int:
    size = 14 if entry.get("Time") is not None else 0
    for key in ("Source", "DetailType", "Detail"):
        size += len(str(entry.get(key) or "").encode())
    return size + sum(len(str(item).encode()) for item in entry.get("Resources") or ())


def batches(entries: Iterable[Entry]) -> list[list[Entry]]:
    """Consecutive groups of at most 10 entries whose total size stays under 256 KB.

    An entry too big for any request on its own still gets a batch of its own: EventBridge refuses it,
    and the refusal is counted like any other failed entry."""
    groups: list[list[Entry]] = []
    current: list[Entry] = []
    size = 0
    for entry in entries:
        grown = size + entry_size(entry)
        if current and (len(current) == MAX_ENTRIES_PER_REQUEST or grown >= MAX_REQUEST_BYTES):
            groups.append(current)
            current, grown = [], entry_size(entry)
        current.append(entry)
        size = grown
    if current:
        groups.append(current)
    return groups
