"""The capacity guard: a maximum the app writes never lowers the capacity a resource runs at, unless the
resource's own max-capacity tag asks for it (or the guard is switched off: ProtectRunningCapacity=false).

Where the resource runs (or, by the floor recorded on its target, ran) above the configured maximum, the
maximum is raised to it and the floor is to be recorded; a configured maximum that covers the floor makes
it unnecessary.
"""

from __future__ import annotations

from msgspec import Struct

from sagemaker_autoscaler.core.domain import PlanWarning

CAPACITY_PROTECTED = "CapacityProtected"  # the warning (and metric) of the guard's raise
CAPACITY_LOWERED_BY_TAG = "CapacityLoweredByTag"


class Running(Struct, frozen=True):
    """What the guard knows of the resource's capacity."""

    now: int | None  # what it runs at (None: not read)
    recorded_floor: int | None  # what the app recorded on its target earlier
    unit: str  # instances, copies, provisioned concurrency


class GuardedMaximum(Struct, frozen=True):
    maximum: int
    floor: int | None  # the floor to record on the target (None: none needed)
    warning: PlanWarning | None


def guard_maximum(
    configured: int, running: Running, *, tag_key: str, requested: bool, protect: bool, ceiling: int | None
) -> GuardedMaximum:
    """``tag_key``: the max-capacity tag's key; ``requested``: the maximum comes from that tag (a request
    to lower, honoured as written)."""
    if requested or not protect:
        lowered = requested and running.now is not None and running.now > configured
        warning = (
            PlanWarning(
                CAPACITY_LOWERED_BY_TAG,
                f"tag {tag_key}={configured} is below the {running.now} {running.unit} it runs at: "
                "Application Auto Scaling will scale it in",
            )
            if lowered
            else None
        )
        return GuardedMaximum(configured, None, warning)
    floor = max(running.now or 0, running.recorded_floor or 0)
    if ceiling is not None:
        floor = min(floor, ceiling)
    if floor <= configured:
        return GuardedMaximum(configured, None, None)
    return GuardedMaximum(
        floor,
        floor,
        PlanWarning(
            CAPACITY_PROTECTED,
            f"maximum raised from {configured} to {floor}: it runs (or ran) {floor} {running.unit}, and the "
            f"app does not scale a resource in by itself; tag {tag_key} to lower it",
        ),
    )
