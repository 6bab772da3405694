"""EventBridge: a disabled rule delivers nothing.

WHY: moto's ``Rule.send_to_targets`` ignores the rule's state, so ``DisableRule`` has no effect on
delivery. The uninstall path switches the stack's rules off before cleaning up precisely so that no
late event can re-create scaling; without this fix that could not be tested.
"""

from __future__ import annotations

from typing import Any

from moto.events.models import Rule


def _only_when_enabled(original: Any) -> Any:
    def send_to_targets(self: Rule, original_event: Any, transform_input: bool = True) -> None:
        if self.state != "ENABLED":
            return
        original(self, original_event, transform_input)

    send_to_targets.__gap_patched__ = True  # type: ignore[attr-defined]
    return send_to_targets


def install() -> None:
    current = Rule.send_to_targets
    if not getattr(current, "__gap_patched__", False):
        Rule.send_to_targets = _only_when_enabled(current)  # type: ignore[method-assign]
