"""What a host of inference components saves: its instances follow the copies of all its components.

An inference component's host, with managed instance scaling, releases the instances that hold no copy
(AWS's API reference, ``ProductionVariantManagedInstanceScalingScaleInPolicy``: ``IDLE_RELEASE``
"releases instances that have no hosted inference component copies"; ``CONSOLIDATION`` releases more),
down to ``MinInstanceCount``. Which instances the remaining copies sit on is not documented, so a host is
counted as keeping one instance per copy (at most what it runs): a bound that holds whatever the
placement, and that consolidation can only beat. Without managed instance scaling it keeps every
instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from msgspec import Struct

from sagemaker_autoscaler.core.costs import Price, Saving, UnitHours, timeline_of, unit_hours
from sagemaker_autoscaler.core.domain import ManagedInstanceScaling, Plan
from sagemaker_autoscaler.core.stretches import Stretch, aligned


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
    names = tuple(str(c.plan.resource.component_name) for c in components)
    span = (end - start).total_seconds() / 3600
    if unseen:
        return _counted_as_kept(host, instance_type, running, names + tuple(unseen), unseen, price, span)
    always_on = [c for c in components if c.plan.phases is None or c.plan.phases.schedule is None]
    scheduled = [c for c in components if c not in always_on]

    def hours_with(present: Sequence[HostedComponent]) -> UnitHours:
        if not present:
            empty = host_instances(0, running, scaling)
            return unit_hours(empty, [(span, empty, empty)])
        timelines = [timeline_of(c.plan, c.copies, start, end) for c in present]
        return _host_hours(present, running, scaling, timelines)

    baseline = host_instances(sum(c.copies for c in components), running, scaling)
    without = hours_with(scheduled) if always_on and scheduled else None
    return _host_unit(
        host,
        instance_type,
        baseline,
        hours_with(components),
        price,
        host_reasons(components, scaling),
        names,
        without,
    )


def _counted_as_kept(
    host: Plan,
    instance_type: str | None,
    running: int,
    names: tuple[str, ...],
    unseen: Sequence[str],
    price: Price | None,
    span: float,
) -> Saving:
    """A host some of whose components are unknown now: every instance it runs is counted as kept
    for the ``span`` hours."""
    why = f"component(s) {', '.join(unseen)} not readable or changing now: every instance counted as kept"
    kept = unit_hours(running, [(span, running, running)])
    return _host_unit(host, instance_type, running, kept, price, (why,), names)


def _host_unit(
    host: Plan,
    instance_type: str | None,
    baseline: int,
    hours: UnitHours,
    price: Price | None,
    reasons: tuple[str, ...],
    names: tuple[str, ...],
    without: UnitHours | None = None,
) -> Saving:
    resource = host.resource
    return Saving(
        resource.endpoint_name,
        resource.variant_name,
        resource.kind.value,
        "instance",
        instance_type,
        baseline,
        hours,
        price,
        reasons,
        names,
        without,
    )
