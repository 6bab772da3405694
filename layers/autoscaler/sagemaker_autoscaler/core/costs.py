"""What the app's scaling saves, counted at the unit that costs money. Pure.

SageMaker bills an instance-based variant (real-time, async, or the host of inference components) per
instance-hour, and a serverless variant's provisioned concurrency per provisioned memory-time. An
inference component costs nothing by itself: only the instances of its host that can be given back
save money, so components are counted through their host.

Each billing unit is compared with "always on": the capacity it runs at now, all week (or one unit, or
its business-hours minimum, while its schedule holds it lower). Two figures follow:

* scheduled: the most it can run, whatever the traffic, under the scheduled maxima. What this saves
  against always-on is certain.
* idle: what it would run if every stretch idled at its minimum. The difference is an upper bound of
  what traffic may add to the saving, never counted as saved.

How a component host keeps its instances is in ``host_costs``. Business-hours scale-out above today's
capacity is not counted either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct

from sagemaker_autoscaler.core.domain import Plan, ResourceKind
from sagemaker_autoscaler.core.stretches import Stretch, bounds_over, constant

HOURS_PER_WEEK = 168
HOURS_PER_MONTH = 730  # how AWS's pricing examples count a month


class Price(Struct, frozen=True):
    """US dollars per unit-hour (an instance-hour, or one provisioned concurrency for an hour), and
    where the figure comes from."""

    usd: float
    source: str


class UnitHours(Struct, frozen=True):
    always_on: float  # unit-hours at the always-on capacity
    scheduled: float  # unit-hours at most, under the scheduled maxima
    idle: float  # unit-hours if idle wherever the minima allow
    reduced_hours: float  # hours the scheduled maxima hold it below always-on
    zero_hours: float  # hours the scheduled maxima hold it at zero
    zero_when_idle_hours: float  # more hours at zero, if idle

    @property
    def saved(self) -> float:
        return self.always_on - self.scheduled

    @property
    def more_if_idle(self) -> float:
        return self.scheduled - self.idle


def unit_hours(baseline: int, pieces: Iterable[tuple[float, int, int]]) -> UnitHours:
    """``pieces``: (hours, units at most, units if idle)."""
    rows = list(pieces)
    return UnitHours(
        always_on=sum(hours * baseline for hours, _, _ in rows),
        scheduled=sum(hours * most for hours, most, _ in rows),
        idle=sum(hours * least for hours, _, least in rows),
        reduced_hours=sum(hours for hours, most, _ in rows if most < baseline),
        zero_hours=sum(hours for hours, most, _ in rows if most == 0),
        zero_when_idle_hours=sum(hours for hours, most, least in rows if least == 0 < most),
    )


class Saving(Struct, frozen=True):
    """One billing unit's week: a variant's instances, or a serverless variant's provisioned
    concurrency."""

    endpoint: str
    variant: str
    kind: str
    unit: str  # "instance" or "provisioned concurrency"
    instance_type: str | None
    baseline: int
    hours: UnitHours
    price: Price | None  # None: no cited price for this instance type in this Region
    reasons: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    # A host's hours if its always-on components followed business hours too (None: no such sibling).
    without_always_on: UnitHours | None = None

    def usd(self, unit_hours: float) -> float | None:
        return None if self.price is None else unit_hours * self.price.usd

    @property
    def saved_usd_week(self) -> float | None:
        return self.usd(self.hours.saved)


def baseline_of(running: int | None, phases_low: int) -> int:
    """Always-on capacity: what it runs now; while a schedule holds it lower, its business-hours
    minimum, and at least one unit."""
    return max(running or 0, phases_low, 1)


def timeline_of(plan: Plan, running: int, start: datetime, end: datetime) -> list[Stretch]:
    if plan.desired is None or plan.phases is None:
        return constant(start, end, running)
    return bounds_over(plan.phases, start, end)


def variant_saving(
    plan: Plan, instance_type: str | None, price: Price | None, start: datetime, end: datetime
) -> Saving:
    """A real-time, async or serverless variant: its own capacity is what is billed."""
    resource = plan.resource
    low = plan.phases.open_bounds[0] if plan.phases else 0
    running = resource.running_capacity
    if resource.kind is ResourceKind.SERVERLESS_VARIANT:
        running = running or resource.provisioned_concurrency
    baseline = baseline_of(running, low)
    timeline = timeline_of(plan, baseline, start, end)
    hours = unit_hours(baseline, ((s.hours, min(baseline, s.high), min(baseline, s.low)) for s in timeline))
    serverless = resource.kind is ResourceKind.SERVERLESS_VARIANT
    return Saving(
        resource.endpoint_name,
        resource.variant_name,
        resource.kind.value,
        "provisioned concurrency" if serverless else "instance",
        None if serverless else instance_type,
        baseline,
        hours,
        price,
        variant_reasons(plan),
    )


def variant_reasons(plan: Plan) -> tuple[str, ...]:
    """Why a variant saves less than all of its off-hours."""
    if plan.desired is None or plan.phases is None:
        return (f"not managed: {plan.reason}",)
    phases, kind = plan.phases, plan.resource.kind
    if phases.schedule is None:
        return ("no business hours: the same bounds all week",)
    reasons = []
    if kind is ResourceKind.REALTIME_VARIANT and phases.closed_bounds[0] >= 1:
        reasons.append("real-time floor: at least 1 instance outside business hours")
    if kind is ResourceKind.SERVERLESS_VARIANT:
        reasons.append("provisioned concurrency keeps its floor of 1 outside business hours")
    if phases.closed_bounds[1] > phases.closed_bounds[0]:
        reasons.append(
            f"off-hours mode idle: outside business hours the maximum stays {phases.closed_bounds[1]}, "
            "so only what traffic lets idle is saved"
        )
    return tuple(reasons)
