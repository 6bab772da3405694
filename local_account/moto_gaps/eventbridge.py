"""EventBridge: a disabled rule delivers nothing, and PutEvents refuses a request over 256 KB.

WHY: moto's ``Rule.send_to_targets`` ignores the rule's state, so ``DisableRule`` has no effect on
delivery. The uninstall path switches the stack's rules off before cleaning up precisely so that no
late event can re-create scaling; without this fix that could not be tested.

moto enforces PutEvents' 10 entries a request but not its size limit: "the total entry size must be
less than 256KB" (PutEvents API reference), an entry's size counted as the user guide's "Calculating
PutEvents event entry size" says. AWS does not document the error it answers for a larger request; the
emulator takes the stricter reading and refuses the whole request with a ValidationException.
"""

from __future__ import annotations

from typing import Any

from moto.events.exceptions import ValidationException
from moto.events.models import EventsBackend, Rule

# The same limit and arithmetic as the app's (sagemaker_autoscaler/core/change_events.py), written
# again here from the documentation so that the emulator does not simply agree with the app.
MAX_REQUEST_BYTES = 256 * 1024


def request_size(entries: list[dict[str, Any]]) -> int:
    total = 0
    for entry in entries:
        total += 14 if entry.get("Time") is not None else 0
        for key in ("Source", "DetailType", "Detail"):
            total += len(str(entry.get(key) or "").encode("utf-8"))
        total += sum(len(str(item).encode("utf-8")) for item in entry.get("Resources") or [])
    return total


def _only_when_enabled(original: Any) -> Any:
    def send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
        if self.state != "ENABLED":
            return
        original(self, original_event, transform_input)

    send_to_targets.__gap_patched__ = True  # type: ignore[attr-defined]
    return send_to_targets


def _within_size_limit(original: Any) -> Any:
    def put_events(self: EventsBackend, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        size = request_size(events)
        if size >= MAX_REQUEST_BYTES:
            raise ValidationException(
                f"Total size of the entries in the request is {size} bytes; it must be less than "
                f"{MAX_REQUEST_BYTES} bytes"
            )
        return original(self, events)  # type: ignore[no-any-return]

    put_events.__gap_patched__ = True  # type: ignore[attr-defined]
    return put_events


def install() -> None:
    current = Rule.send_to_targets
    if not getattr(current, "__gap_patched__", False):
        Rule.send_to_targets = _only_when_enabled(current)  # type: ignore[method-assign]
    if not getattr(EventsBackend.put_events, "__gap_patched__", False):
        EventsBackend.put_events = _within_size_limit(EventsBackend.put_events)  # type: ignore[method-assign]
