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

An inference component's host, with managed instance scaling, releases the instances that hold no copy
(AWS's API reference, ``ProductionVariantManagedInstanceScalingScaleInPolicy``: ``IDLE_RELEASE``
"releases instances that have no hosted inference component copies"; ``CONSOLIDATION`` releases more),
down to ``MinInstanceCount``. Which instances the remaining copies sit on is not documented, so a host is
counted as keeping one instance per copy (at most what it runs): a bound that holds whatever the
placement, and that consolidation can only beat. Without managed instance scaling it keeps every
instance. Business-hours scale-out above today's capacity is not counted either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from msgspec import Struct

from sagemaker_autoscaler.core.domain import ManagedInstanceScaling, Plan, ResourceKind
from sagemaker_autoscaler.core.stretches import Stretch, aligned, bounds_over, constant

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


class HostedComponent(Struct, frozen=True):
    plan: Plan
    copies: int  # always-on copies (see baseline_of)


def host_instances(copies: int, running: int, scaling: ManagedInstanceScaling) -> int:
    """At most how many instances a component host keeps for ``copies`` copies (see the module's note):
    an instance without a copy is released, down to MinInstanceCount."""
    if not scaling.enabled:
        return running
    return min(running, max(scaling.min_instance_count or 0, copies))


def _host_hours(
    components: Sequence[HostedComponent],
    running: int,
    scaling: ManagedInstanceScaling,
    timelines: Sequence[Sequence[Stretch]],
) -> UnitHours:
    pieces = []
    for begin, finish, in_force in aligned(timelines):
        most = sum(min(c.copies, s.high) for c, s in zip(components, in_force, strict=True))
        least = sum(min(c.copies, s.low) for c, s in zip(components, in_force, strict=True))
        hours = (finish - begin).total_seconds() / 3600
        kept = host_instances(most, running, scaling), host_instances(least, running, scaling)
        pieces.append((hours, *kept))
    return unit_hours(host_instances(sum(c.copies for c in components), running, scaling), pieces)


def host_reasons(components: Sequence[HostedComponent], scaling: ManagedInstanceScaling) -> tuple[str, ...]:
    reasons = []
    if not scaling.enabled:
        reasons.append("no managed instance scaling: the host keeps its instances whatever the copies")
    elif scaling.min_instance_count:
        reasons.append(f"MinInstanceCount {scaling.min_instance_count} keeps that many instances")
    for component in components:
        plan, name = component.plan, component.plan.resource.component_name
        if plan.desired is None or plan.phases is None:
            keeps = f"keeps up to {component.copies} of the host's instances up"
            reasons.append(f"always-on sibling {name} ({plan.reason}) {keeps}")
        elif plan.phases.schedule is None:
            reasons.append(
                f"{name} has no business hours: its copies keep up to {component.copies} instance(s)"
            )
        elif plan.phases.closed_bounds[1] > 0:
            reasons.append(f"{name} may keep copies outside business hours (off-hours mode idle)")
    return tuple(reasons)


def host_saving(
    host: Plan,
    instance_type: str | None,
    components: Sequence[HostedComponent],
    price: Price | None,
    start: datetime,
    end: datetime,
    unseen: Sequence[str] = (),
) -> Saving:
    """A variant hosting inference components: its instances follow the copies, through managed
    instance scaling. ``unseen``: components on it that could not be read or are changing now; what
    they hold is unknown, so the host is counted as keeping every instance it runs."""
    resource = host.resource
    scaling = resource.host_instance_scaling or ManagedInstanceScaling(False)
    running = max(resource.running_capacity or 0, 1)
    if unseen:
        span = (end - start).total_seconds() / 3600
        why = f"component(s) {', '.join(unseen)} not readable or changing now: every instance counted as kept"
        kept = unit_hours(running, [(span, running, running)])
        names = tuple(str(c.plan.resource.component_name) for c in components) + tuple(unseen)
        return Saving(
            resource.endpoint_name,
            resource.variant_name,
            resource.kind.value,
            "instance",
            instance_type,
            running,
            kept,
            price,
            (why,),
            names,
        )
    always_on = [c for c in components if c.plan.phases is None or c.plan.phases.schedule is None]
    scheduled = [c for c in components if c not in always_on]

    def hours_with(present: Sequence[HostedComponent]) -> UnitHours:
        if not present:
            span = (end - start).total_seconds() / 3600
            empty = host_instances(0, running, scaling)
            return unit_hours(empty, [(span, empty, empty)])
        timelines = [timeline_of(c.plan, c.copies, start, end) for c in present]
        return _host_hours(present, running, scaling, timelines)

    return Saving(
        resource.endpoint_name,
        resource.variant_name,
        resource.kind.value,
        "instance",
        instance_type,
        host_instances(sum(c.copies for c in components), running, scaling) if components else running,
        hours_with(components),
        price,
        host_reasons(components, scaling),
        tuple(str(c.plan.resource.component_name) for c in components),
        hours_with(scheduled) if always_on and scheduled else None,
    )
