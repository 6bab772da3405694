"""The pure planner: what a resource is, plus its configuration, gives the scaling it should have.

What each kind gets is the table in ``kinds``; the scheduled actions come from ``scheduled_actions``; the
maximum passes through the ``capacity_guard``. This module puts them together for one resource.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec.structs import replace

from sagemaker_autoscaler.core.capacity_guard import CAPACITY_PROTECTED, Running, guard_maximum
from sagemaker_autoscaler.core.domain import (
    TARGET_TRACKING_POLICY,
    AlarmSpec,
    ConfigProblem,
    DesiredScaling,
    Phases,
    Plan,
    PlanWarning,
    PolicySpec,
    ResourceKind,
    ScalableResource,
    ScheduledActionSpec,
    Severity,
    TargetSpec,
)
from sagemaker_autoscaler.core.kinds import RULES, KindRules, default_metric, wake_alarm, wake_policy
from sagemaker_autoscaler.core.overrides import (
    KEEP_ON_UNTIL,
    MAX_CAPACITY,
    METRIC,
    MIN_CAPACITY,
    PAUSED,
    TARGET_VALUE,
    ResourceConfig,
    resolve_config,
)
from sagemaker_autoscaler.core.scheduled_actions import HOLIDAY_HORIZON_DAYS, scheduled_actions
from sagemaker_autoscaler.core.schedules import is_open
from sagemaker_autoscaler.core.settings import MetricChoice, OffHoursMode, Settings

__all__ = ["CAPACITY_PROTECTED", "plan_resource"]

# A keep-on-until further ahead than the scheduled actions look is a typo (9999-12-31), not an exception.
KEEP_ON_HORIZON = timedelta(days=HOLIDAY_HORIZON_DAYS)
Bounds = tuple[int, int]


def plan_resource(
    resource: ScalableResource, settings: Settings, now: datetime, capacity_floor: int | None = None
) -> Plan:
    """Decide the scaling one resource should have, from its tags, the account settings and the time
    (which decides whether it is in business hours now).

    ``capacity_floor`` is the maximum the capacity guard recorded on the app's target earlier; with
    ``resource.running_capacity`` it keeps the app from lowering a maximum below what the resource runs
    at, unless the resource's own max-capacity tag asks for it."""
    if resource.kind is ResourceKind.COMPONENT_HOST_VARIANT:
        return Plan(resource, None, "hosts inference components: its instances follow their copies")
    if resource.kind is ResourceKind.SERVERLESS_VARIANT and not resource.provisioned_concurrency:
        return Plan(resource, None, "serverless without provisioned concurrency: nothing to scale")
    config, problems = resolve_config(resource.tags, settings)
    if not config.enabled:
        return Plan(resource, None, settings.unmanaged_reason, problems)
    planner = _Planner(resource, config, settings, now, capacity_floor)
    desired = planner.desired()
    return Plan(
        resource,
        desired,
        planner.reason(),
        problems + tuple(planner.problems),
        expired_tags=planner.expired_tags(),
        warnings=tuple(planner.warnings),
        phases=planner.phases,
    )


class _Planner:
    """One resource's plan: its kind's rules applied to its configuration, at ``now``."""

    def __init__(
        self,
        resource: ScalableResource,
        config: ResourceConfig,
        settings: Settings,
        now: datetime,
        recorded_floor: int | None,
    ) -> None:
        self.resource, self.config, self.settings, self.now = resource, config, settings, now
        self.rules: KindRules = RULES[resource.kind]
        self.recorded_floor = recorded_floor
        self.capacity_floor: int | None = None
        self.problems: list[ConfigProblem] = []
        self.warnings: list[PlanWarning] = []
        self.in_business_hours = True
        self.phases: Phases | None = None
        self.keep_on_until = self._checked_keep_on_until()

    def _note(self, setting: str, value: object, severity: Severity, message: str) -> None:
        self.problems.append(ConfigProblem(self.settings.tag_prefix + setting, str(value), severity, message))

    def _checked_keep_on_until(self) -> datetime | None:
        until = self.config.keep_on_until
        if until is not None and until > self.now + KEEP_ON_HORIZON:
            raw = self.resource.tags.get(self.settings.tag_prefix + KEEP_ON_UNTIL, until.isoformat())
            message = f"is more than {HOLIDAY_HORIZON_DAYS} days ahead; ignored (business hours apply)"
            self._note(KEEP_ON_UNTIL, raw, Severity.INVALID, message)
            return None
        return until

    def bounds(self) -> Bounds:
        low, high = self.config.min_capacity, self.config.max_capacity
        if low < self.rules.floor:
            if MIN_CAPACITY in self.config.from_tags and self.rules.floor_reason:
                self._note(MIN_CAPACITY, low, Severity.ADJUSTED, self.rules.floor_reason)
            low = self.rules.floor
        # Provisioned concurrency can never exceed the variant's MaxConcurrency.
        serverless = self.resource.kind is ResourceKind.SERVERLESS_VARIANT
        ceiling = self.resource.serverless_max_concurrency if serverless else None
        if ceiling:
            high = min(high, ceiling)
        running = Running(self.resource.running_capacity, self.recorded_floor, self.rules.unit)
        guarded = guard_maximum(
            high,
            running,
            tag_key=self.settings.tag_prefix + MAX_CAPACITY,
            requested=MAX_CAPACITY in self.config.from_tags,
            protect=self.settings.protect_running_capacity,
            ceiling=ceiling or None,
        )
        self.capacity_floor = guarded.floor
        if guarded.warning is not None:
            self.warnings.append(guarded.warning)
        return min(low, guarded.maximum), guarded.maximum

    def metric(self) -> MetricChoice | None:
        if self.rules.predefined_metrics is None:
            if self.config.metric is not None:
                message = f"{self.resource.kind.value}s use a fixed metric"
                self._note(METRIC, self.config.metric, Severity.IGNORED, message)
            return None
        return self.config.metric or default_metric(self.resource.kind, self.settings)

    def target_value(self, metric: MetricChoice | None) -> float:
        default = self.rules.default_target(self.settings, metric)
        value = self.config.target_value
        if value is None:
            return default
        if self.rules.target_ceiling is not None and value > self.rules.target_ceiling:
            message = f"provisioned-concurrency utilisation is a fraction in (0, 1]; using {default}"
            self._note(TARGET_VALUE, value, Severity.INVALID, message)
            return default
        return value

    def tracking_policy(self) -> PolicySpec:
        metric = self.metric()
        configuration = {
            "TargetValue": self.target_value(metric),
            **self.rules.metric_specification(self.resource, metric),
            "ScaleInCooldown": self.config.scale_in_cooldown,
            "ScaleOutCooldown": self.config.scale_out_cooldown,
        }
        return PolicySpec(TARGET_TRACKING_POLICY, "TargetTrackingScaling", configuration)

    def desired(self) -> DesiredScaling:
        open_bounds = self.bounds()
        tracking = self.tracking_policy()
        closed = self.off_hours_bounds(open_bounds)
        actions, current = self.schedule(open_bounds, closed)
        lowest = min(open_bounds[0], closed[0])
        self.warn_if_zero_saves_nothing(lowest)
        rid, dimension = self.resource.resource_id, self.resource.dimension
        target = TargetSpec(rid, dimension, *current, capacity_floor=self.capacity_floor)
        policies, alarms = [tracking], []
        # Room to grow from zero: not in a "zero" off-hours phase, whose maximum is 0 too.
        wake = self.wake_from_zero_alarm(lowest if closed[1] > 0 else open_bounds[0])
        if wake is not None:
            policies.append(wake_policy(self.config.scale_out_cooldown))
            alarms.append(wake)
        return DesiredScaling(target, tuple(policies), tuple(alarms), actions, paused=self.config.paused)

    def schedule(self, open_bounds: Bounds, closed: Bounds) -> tuple[tuple[ScheduledActionSpec, ...], Bounds]:
        """The scheduled actions, and the bounds the target has now (the current phase's)."""
        schedule = self.config.schedule
        if schedule is None or closed == open_bounds:
            self.phases = Phases(open_bounds, open_bounds)
            return (), open_bounds
        lead = self.config.warm_up_minutes
        schedule = replace(schedule, warm_up_minutes=self.rules.warm_up_minutes if lead is None else lead)
        keep_on = self.keep_on_until if self.keep_on_active() else None
        holidays = self.settings.holidays
        self.phases = Phases(open_bounds, closed, schedule, holidays, keep_on)
        actions, warnings = scheduled_actions(schedule, open_bounds, closed, holidays, self.now, keep_on)
        self.warnings.extend(warnings)
        self.in_business_hours = self.keep_on_active() or is_open(schedule, holidays, self.now)
        return actions, open_bounds if self.in_business_hours else closed

    def reason(self) -> str:
        if self.config.paused:
            return (
                f"paused by tag {self.settings.tag_prefix}{PAUSED}: scaling suspended, nothing else changed"
            )
        if self.config.schedule is None:
            return "managed"
        return "managed, in business hours" if self.in_business_hours else "managed, outside business hours"

    def off_hours_bounds(self, open_bounds: Bounds) -> Bounds:
        if self.config.schedule is None:
            return open_bounds
        floor, high = self.rules.floor, open_bounds[1]
        if self.rules.off_hours_floor_warning is not None:
            self.warnings.append(self.rules.off_hours_floor_warning)
        return (floor, floor) if self.config.off_hours_mode is OffHoursMode.ZERO else (floor, high)

    def keep_on_active(self) -> bool:
        return self.keep_on_until is not None and self.keep_on_until > self.now

    def expired_tags(self) -> tuple[tuple[str, str], ...]:
        until = self.keep_on_until
        if until is None or until > self.now or self.config.paused:
            return ()
        key = self.settings.tag_prefix + KEEP_ON_UNTIL
        return ((key, self.resource.tags.get(key, "")),)

    def warn_if_zero_saves_nothing(self, lowest: int) -> None:
        if not self.rules.zero_needs_host_scaling or lowest > 0:
            return
        scaling = self.resource.host_instance_scaling
        if scaling is not None and scaling.enabled and scaling.min_instance_count == 0:
            return
        resource = self.resource
        self.warnings.append(
            PlanWarning(
                "ScaleToZeroSavesNothing",
                f"{resource.component_name} can go to zero copies, but variant "
                f"{resource.endpoint_name}/{resource.variant_name} does not have managed instance "
                "scaling enabled with MinInstanceCount 0: its instances keep running and cost the same",
            )
        )

    def wake_from_zero_alarm(self, low: int) -> AlarmSpec | None:
        wake = self.rules.wake
        if wake is None or (not wake.always and low > 0):
            return None
        return wake_alarm(wake, self.resource)
