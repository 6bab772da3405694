"""The pure planner: what a resource is, plus its configuration, gives the scaling it should have."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sagemaker_autoscaler.core.domain import (
    NAME_PREFIX,
    TARGET_TRACKING_POLICY,
    WAKE_FROM_ZERO_POLICY,
    AlarmSpec,
    ConfigProblem,
    DesiredScaling,
    Plan,
    PlanWarning,
    PolicySpec,
    ResourceKind,
    ScalableResource,
    ScheduledActionSpec,
    Severity,
    TargetSpec,
    alarm_prefix_for,
)
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
from sagemaker_autoscaler.core.schedules import Schedule, is_open, opening_segments, transitions
from sagemaker_autoscaler.core.settings import MetricChoice, OffHoursMode, Settings

CAPACITY_PROTECTED = "CapacityProtected"  # the warning (and metric) of the capacity guard's raise
HOLIDAY_HORIZON_DAYS = 366
# A keep-on-until further ahead than this is a typo (9999-12-31), not an exception to business hours;
# it is also as far as the holiday segments of the scheduled actions look.
KEEP_ON_HORIZON = timedelta(days=HOLIDAY_HORIZON_DAYS)
MAX_SCHEDULED_ACTIONS = 200  # Application Auto Scaling's quota per scalable target

SAGEMAKER_NAMESPACE = "AWS/SageMaker"

_PREDEFINED_METRIC = {
    (ResourceKind.REALTIME_VARIANT, MetricChoice.INVOCATIONS): "SageMakerVariantInvocationsPerInstance",
    (
        ResourceKind.REALTIME_VARIANT,
        MetricChoice.CONCURRENCY,
    ): "SageMakerVariantConcurrentRequestsPerModelHighResolution",
    (
        ResourceKind.INFERENCE_COMPONENT,
        MetricChoice.INVOCATIONS,
    ): "SageMakerInferenceComponentInvocationsPerCopy",
    (
        ResourceKind.INFERENCE_COMPONENT,
        MetricChoice.CONCURRENCY,
    ): "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
}


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
        return Plan(resource, None, _disabled_reason(settings), problems)

    builder = _KindRules(resource, config, settings, now, capacity_floor)
    desired = builder.desired()
    return Plan(
        resource,
        desired,
        builder.reason(),
        problems + tuple(builder.problems),
        expired_tags=builder.expired_tags(),
        warnings=tuple(builder.warnings),
    )


def _disabled_reason(settings: Settings) -> str:
    key = f"{settings.tag_prefix}enabled"
    if settings.mode.value == "opt-in":
        return f"not opted in (opt-in mode: tag {key}=true to manage)"
    return f"opted out by tag {key}"


class _KindRules:
    """The per-kind rules: bounds, metric and the policies each kind of resource gets."""

    def __init__(
        self,
        resource: ScalableResource,
        config: ResourceConfig,
        settings: Settings,
        now: datetime,
        recorded_floor: int | None,
    ) -> None:
        self.resource = resource
        self.config = config
        self.settings = settings
        self.now = now
        self.recorded_floor = recorded_floor
        self.capacity_floor: int | None = None
        self.problems: list[ConfigProblem] = []
        self.warnings: list[PlanWarning] = []
        self.in_business_hours = True
        self.keep_on_until = self.checked_keep_on_until()

    def checked_keep_on_until(self) -> datetime | None:
        until = self.config.keep_on_until
        if until is not None and until > self.now + KEEP_ON_HORIZON:
            self.note(
                KEEP_ON_UNTIL,
                self.resource.tags.get(self.settings.tag_prefix + KEEP_ON_UNTIL, until.isoformat()),
                Severity.INVALID,
                f"is more than {HOLIDAY_HORIZON_DAYS} days ahead; ignored (business hours apply)",
            )
            return None
        return until

    def note(self, setting: str, value: object, severity: Severity, message: str) -> None:
        self.problems.append(ConfigProblem(self.settings.tag_prefix + setting, str(value), severity, message))

    def bounds(self) -> tuple[int, int]:
        low, high = self.config.min_capacity, self.config.max_capacity
        kind = self.resource.kind
        if kind in _FLOOR_OF_ONE and low < 1:
            # A real-time instance variant cannot run on zero instances (the endpoint would stop
            # answering), and provisioned concurrency is at least 1 (SageMaker guide: "Set MinCapacity
            # to at least 1"). One is the floor.
            if MIN_CAPACITY in self.config.from_tags:
                self.note(MIN_CAPACITY, low, Severity.ADJUSTED, _FLOOR_OF_ONE[kind])
            low = 1
        ceiling = None
        if kind is ResourceKind.SERVERLESS_VARIANT and self.resource.serverless_max_concurrency:
            # Provisioned concurrency can never exceed the variant's MaxConcurrency.
            ceiling = self.resource.serverless_max_concurrency
            high = min(high, ceiling)
        high = self.guarded_max(high, ceiling)
        return min(low, high), high

    def guarded_max(self, high: int, ceiling: int | None = None) -> int:
        """The capacity guard: a maximum the app writes never lowers the capacity a resource runs at,
        unless the resource's own max-capacity tag asks for it (or the guard is switched off)."""
        running = self.resource.running_capacity
        explicit = MAX_CAPACITY in self.config.from_tags
        if explicit or not self.settings.protect_running_capacity:
            if explicit and running is not None and running > high:
                self.warnings.append(
                    PlanWarning(
                        "CapacityLoweredByTag",
                        f"tag {self.settings.tag_prefix}{MAX_CAPACITY}={high} is below the {running} "
                        f"{self.unit()} it runs at: Application Auto Scaling will scale it in",
                    )
                )
            return high
        floor = max(running or 0, self.recorded_floor or 0)
        if ceiling is not None:
            floor = min(floor, ceiling)
        if floor <= high:
            return high
        self.capacity_floor = floor
        self.warnings.append(
            PlanWarning(
                CAPACITY_PROTECTED,
                f"maximum raised from {high} to {floor}: it runs (or ran) {floor} {self.unit()}, and the app "
                f"does not scale a resource in by itself; tag {self.settings.tag_prefix}{MAX_CAPACITY} "
                "to lower it",
            )
        )
        return floor

    def unit(self) -> str:
        kind = self.resource.kind
        if kind is ResourceKind.INFERENCE_COMPONENT:
            return "copies"
        if kind is ResourceKind.SERVERLESS_VARIANT:
            return "provisioned concurrency"
        return "instances"

    def metric(self) -> MetricChoice | None:
        kind = self.resource.kind
        if kind in (ResourceKind.ASYNC_VARIANT, ResourceKind.SERVERLESS_VARIANT):
            if self.config.metric is not None:
                self.note(METRIC, self.config.metric, Severity.IGNORED, f"{kind.value}s use a fixed metric")
            return None
        if self.config.metric is not None:
            return self.config.metric
        if kind is ResourceKind.INFERENCE_COMPONENT:
            return self.settings.component_metric
        return self.settings.realtime_metric

    def target_value(self, metric: MetricChoice | None) -> float:
        kind = self.resource.kind
        if kind is ResourceKind.SERVERLESS_VARIANT:
            default = self.settings.target_provisioned_utilization
        elif kind is ResourceKind.ASYNC_VARIANT:
            default = self.settings.target_backlog
        elif metric is MetricChoice.CONCURRENCY:
            default = self.settings.target_concurrency
        else:
            default = self.settings.target_invocations
        value = self.config.target_value
        if value is None:
            return default
        if kind is ResourceKind.SERVERLESS_VARIANT and value > 1:
            self.note(
                TARGET_VALUE,
                value,
                Severity.INVALID,
                f"provisioned-concurrency utilisation is a fraction in (0, 1]; using {default}",
            )
            return default
        return value

    def desired(self) -> DesiredScaling:
        low, high = self.bounds()
        metric = self.metric()
        tracking = PolicySpec(
            TARGET_TRACKING_POLICY,
            "TargetTrackingScaling",
            {
                "TargetValue": self.target_value(metric),
                **self.metric_specification(metric),
                "ScaleInCooldown": self.config.scale_in_cooldown,
                "ScaleOutCooldown": self.config.scale_out_cooldown,
            },
        )
        closed = self.off_hours_bounds(low, high)
        actions: tuple[ScheduledActionSpec, ...] = ()
        current = (low, high)
        schedule = self.config.schedule
        if schedule is not None and closed != (low, high):
            actions = self.scheduled_actions(schedule, (low, high), closed)
            self.in_business_hours = self.keep_on_active() or is_open(
                schedule, self.settings.holidays, self.now
            )
            current = (low, high) if self.in_business_hours else closed
        self.warn_if_zero_saves_nothing(min(low, closed[0]))
        target = TargetSpec(
            self.resource.resource_id, self.resource.dimension, *current, capacity_floor=self.capacity_floor
        )
        policies = [tracking]
        alarms: list[AlarmSpec] = []
        # Components wake from zero only where zero copies are allowed with room to grow (not in a
        # "zero" off-hours phase, whose maximum is 0 too); async variants always get the wake policy,
        # since their backlog alarm is how they leave zero instances at all.
        wake = self.wake_from_zero_alarm(min(low, closed[0]) if closed[1] > 0 else low)
        if wake is not None:
            policies.append(_wake_policy(self.config.scale_out_cooldown))
            alarms.append(wake)
        return DesiredScaling(target, tuple(policies), tuple(alarms), actions, paused=self.config.paused)

    def reason(self) -> str:
        if self.config.paused:
            return (
                f"paused by tag {self.settings.tag_prefix}{PAUSED}: scaling suspended, nothing else changed"
            )
        if self.config.schedule is None:
            return "managed"
        return "managed, in business hours" if self.in_business_hours else "managed, outside business hours"

    def off_hours_bounds(self, low: int, high: int) -> tuple[int, int]:
        if self.config.schedule is None:
            return low, high
        zero = self.config.off_hours_mode is OffHoursMode.ZERO
        floor_warning = _OFF_HOURS_FLOOR.get(self.resource.kind)
        if floor_warning is not None:
            # Neither kind can go to zero: outside business hours they keep their floor of one.
            self.warnings.append(floor_warning)
            return (1, 1) if zero else (1, high)
        return (0, 0) if zero else (0, high)

    def keep_on_active(self) -> bool:
        until = self.keep_on_until
        return until is not None and until > self.now

    def expired_tags(self) -> tuple[tuple[str, str], ...]:
        until = self.keep_on_until
        if until is None or until > self.now or self.config.paused:
            return ()
        key = self.settings.tag_prefix + KEEP_ON_UNTIL
        return ((key, self.resource.tags.get(key, "")),)

    def scheduled_actions(
        self, schedule: Schedule, open_bounds: tuple[int, int], closed: tuple[int, int]
    ) -> tuple[ScheduledActionSpec, ...]:
        """Openings (split around holidays) and closings (held back while keep-on-until is in force)."""
        zone = schedule.timezone
        keep_on = self.keep_on_until if self.keep_on_active() else None
        actions: list[ScheduledActionSpec] = []
        segments = opening_segments(self.upcoming_holidays(), zone, self.now)
        for transition in transitions(schedule):
            name = NAME_PREFIX + transition.name
            if transition.kind == "close":
                actions.append(ScheduledActionSpec(name, transition.cron, zone, *closed, start_time=keep_on))
                continue
            for segment in segments:
                suffix = (
                    ""
                    if segment.start is None
                    else segment.start.astimezone(schedule.zone).strftime("-from-%Y%m%d")
                )
                actions.append(
                    ScheduledActionSpec(
                        name + suffix, transition.cron, zone, *open_bounds, segment.start, segment.end
                    )
                )
        if keep_on is not None and not is_open(schedule, self.settings.holidays, keep_on):
            # The held-back closing happens when the exception ends, not at the next regular closing.
            local = keep_on.astimezone(schedule.zone).strftime("%Y-%m-%dT%H:%M:%S")
            actions.append(
                ScheduledActionSpec(f"{NAME_PREFIX}keep-on-until-end", f"at({local})", zone, *closed)
            )
        return tuple(actions)

    def upcoming_holidays(self) -> tuple[date, ...]:
        """The next year's holidays, as many as fit in AAS's 200 scheduled actions per target (each
        holiday adds one opening action per opening time); the nearest ones win."""
        horizon = self.now.date() + timedelta(days=HOLIDAY_HORIZON_DAYS)
        upcoming = [day for day in self.settings.holidays if self.now.date() <= day <= horizon]
        schedule = self.config.schedule
        if schedule is None:
            return tuple(upcoming)
        openings = sum(1 for t in transitions(schedule) if t.kind == "open")
        closings = len(transitions(schedule)) - openings
        room = (MAX_SCHEDULED_ACTIONS - closings - 1) // max(openings, 1) - 1
        if len(upcoming) > room:
            self.warnings.append(
                PlanWarning(
                    "TooManyHolidays",
                    f"only the next {room} of {len(upcoming)} holidays fit in Application Auto Scaling's "
                    f"{MAX_SCHEDULED_ACTIONS} scheduled actions per target; the later ones apply later",
                )
            )
            upcoming = upcoming[: max(room, 0)]
        return tuple(upcoming)

    def warn_if_zero_saves_nothing(self, lowest: int) -> None:
        if self.resource.kind is not ResourceKind.INFERENCE_COMPONENT or lowest > 0:
            return
        scaling = self.resource.host_instance_scaling
        if scaling is not None and scaling.enabled and scaling.min_instance_count == 0:
            return
        self.warnings.append(
            PlanWarning(
                "ScaleToZeroSavesNothing",
                f"{self.resource.component_name} can go to zero copies, but variant "
                f"{self.resource.endpoint_name}/{self.resource.variant_name} does not have managed instance "
                "scaling enabled with MinInstanceCount 0: its instances keep running and cost the same",
            )
        )

    def metric_specification(self, metric: MetricChoice | None) -> Mapping[str, Any]:
        kind = self.resource.kind
        if kind is ResourceKind.ASYNC_VARIANT:
            return {
                "CustomizedMetricSpecification": {
                    "MetricName": "ApproximateBacklogSizePerInstance",
                    "Namespace": SAGEMAKER_NAMESPACE,
                    "Dimensions": [{"Name": "EndpointName", "Value": self.resource.endpoint_name}],
                    "Statistic": "Average",
                }
            }
        if kind is ResourceKind.SERVERLESS_VARIANT:
            predefined = "SageMakerVariantProvisionedConcurrencyUtilization"
        else:
            assert metric is not None
            predefined = _PREDEFINED_METRIC[(kind, metric)]
        return {"PredefinedMetricSpecification": {"PredefinedMetricType": predefined}}

    def wake_from_zero_alarm(self, low: int) -> AlarmSpec | None:
        """At zero capacity target tracking has no per-instance metric to act on, so a step policy
        fired by SageMaker's "request arrived but nothing can serve it" metric brings the first unit back."""
        kind = self.resource.kind
        if kind is ResourceKind.ASYNC_VARIANT:
            # Requests queue up in the backlog: the per-minute average says there is work waiting.
            watched = (
                "HasBacklogWithoutCapacity",
                ("EndpointName", self.resource.endpoint_name),
                "Average",
                60,
            )
        elif kind is ResourceKind.INFERENCE_COMPONENT and low == 0:
            assert self.resource.component_name is not None
            # Requests fail at once: the high-resolution maximum reacts within 30 seconds.
            dimension = ("InferenceComponentName", self.resource.component_name)
            watched = ("NoCapacityInvocationFailures", dimension, "Maximum", 30)
        else:
            return None
        metric_name, dimension, statistic, period = watched
        return AlarmSpec(
            name=alarm_prefix_for(self.resource.resource_id) + "wake-from-zero",
            policy_name=WAKE_FROM_ZERO_POLICY,
            namespace=SAGEMAKER_NAMESPACE,
            metric_name=metric_name,
            dimensions=(dimension,),
            statistic=statistic,
            period=period,
            evaluation_periods=1,
            threshold=1.0,
            comparison="GreaterThanOrEqualToThreshold",
        )


_FLOOR_OF_ONE = {
    ResourceKind.REALTIME_VARIANT: "real-time variants keep at least 1 instance",
    ResourceKind.SERVERLESS_VARIANT: "provisioned concurrency is at least 1",
}

_OFF_HOURS_FLOOR = {
    ResourceKind.REALTIME_VARIANT: PlanWarning(
        "RealtimeOffHoursFloor",
        "real-time variants cannot scale to zero: outside business hours they keep 1 instance",
    ),
    ResourceKind.SERVERLESS_VARIANT: PlanWarning(
        "ProvisionedConcurrencyOffHoursFloor",
        "provisioned concurrency cannot go below 1: outside business hours it keeps 1, and on-demand "
        "serverless capacity answers above it",
    ),
}


def _wake_policy(cooldown: int) -> PolicySpec:
    return PolicySpec(
        WAKE_FROM_ZERO_POLICY,
        "StepScaling",
        {
            "AdjustmentType": "ChangeInCapacity",
            "MetricAggregationType": "Maximum",
            "Cooldown": cooldown,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        },
    )
