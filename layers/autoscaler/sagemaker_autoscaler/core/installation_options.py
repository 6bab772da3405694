"""What only the installation (the stack's custom resource) needs to know, read from its environment."""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct


class InstallationOptions(Struct, frozen=True):
    # KeepScalingOnUninstall: deleting the stack leaves the app's scaling configuration in place.
    keep_on_uninstall: bool = False
    # The stack's rules (event rules and the periodic schedule), disabled before an uninstall.
    event_rules: tuple[str, ...] = ()

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> InstallationOptions:
        rules = tuple(
            name.strip() for name in env.get("AUTOSCALER_EVENT_RULES", "").split(",") if name.strip()
        )
        keep = env.get("AUTOSCALER_KEEP_ON_UNINSTALL", "false").strip().lower() == "true"
        return cls(keep_on_uninstall=keep, event_rules=rules)
