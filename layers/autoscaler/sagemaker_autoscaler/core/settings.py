"""Account-wide defaults, read from the function's environment (set from the template's parameters)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sagemaker_autoscaler.core.schedule_syntax import parse_holidays, parse_schedule
from sagemaker_autoscaler.core.schedules import ALWAYS_ON, Schedule, validate_timezone


class ManagementMode(StrEnum):
    OPT_OUT = "opt-out"  # every endpoint and component is managed unless a tag says otherwise
    OPT_IN = "opt-in"  # only resources tagged ``<prefix>enabled=true`` are managed


class MetricChoice(StrEnum):
    INVOCATIONS = "invocations"
    CONCURRENCY = "concurrency"


class OffHoursMode(StrEnum):
    ZERO = "zero"  # outside business hours: minimum and maximum 0 (hard off)
    IDLE = "idle"  # outside business hours: minimum 0, maximum unchanged (traffic wakes it)


class WriteMode(StrEnum):
    APPLY = "apply"  # make the changes
    PLAN = "plan"  # do everything but write: each change is logged as planned


class SettingsError(ValueError):
    """The deployment itself is misconfigured: nothing sensible can be done, so fail loudly."""


@dataclass(frozen=True)
class Settings:
    mode: ManagementMode = ManagementMode.OPT_OUT
    tag_prefix: str = "autoscaler:"
    min_capacity: int = 1
    max_capacity: int = 4
    realtime_metric: MetricChoice = MetricChoice.INVOCATIONS
    component_metric: MetricChoice = MetricChoice.CONCURRENCY
    target_invocations: float = 70.0
    target_concurrency: float = 4.0
    target_provisioned_utilization: float = 0.7
    target_backlog: float = 5.0
    scale_in_cooldown: int = 300
    scale_out_cooldown: int = 60
    queue_url: str | None = None
    recheck_delay_seconds: int = 60
    recheck_max_attempts: int = 40
    schedule: Schedule | None = None  # None: always on
    timezone: str = "UTC"
    off_hours_mode: OffHoursMode = OffHoursMode.IDLE
    holidays: tuple[date, ...] = ()
    write_mode: WriteMode = WriteMode.APPLY
    # Never lower the capacity a resource runs at by registering a smaller maximum (see the planner).
    protect_running_capacity: bool = True

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Settings:
        defaults = cls()

        def text(name: str, default: str) -> str:
            return env.get(f"AUTOSCALER_{name}", "").strip() or default

        def number(name: str, default: float, convert: type[int | float]) -> float:
            raw = text(name, str(default))
            try:
                value = convert(raw)
            except ValueError:
                raise SettingsError(f"AUTOSCALER_{name}={raw!r} is not a number") from None
            if value < 0:
                raise SettingsError(f"AUTOSCALER_{name}={raw!r} must not be negative")
            return value

        try:
            timezone = validate_timezone(text("TIMEZONE", defaults.timezone))
            schedule = parse_schedule(text("SCHEDULE", ALWAYS_ON), timezone)
            holidays = parse_holidays(text("HOLIDAYS", ""))
            off_hours_mode = OffHoursMode(text("OFF_HOURS_MODE", defaults.off_hours_mode).lower())
            mode = ManagementMode(text("MODE", defaults.mode))
            realtime_metric = MetricChoice(text("REALTIME_METRIC", defaults.realtime_metric))
            component_metric = MetricChoice(text("INFERENCE_COMPONENT_METRIC", defaults.component_metric))
            write_mode = WriteMode(text("WRITE_MODE", defaults.write_mode).lower())
            protect = _flag(text("PROTECT_RUNNING_CAPACITY", "true"), "AUTOSCALER_PROTECT_RUNNING_CAPACITY")
        except ValueError as error:
            raise SettingsError(str(error)) from None
        settings = cls(
            mode=mode,
            tag_prefix=text("TAG_PREFIX", defaults.tag_prefix),
            min_capacity=int(number("MIN_CAPACITY", defaults.min_capacity, int)),
            max_capacity=int(number("MAX_CAPACITY", defaults.max_capacity, int)),
            realtime_metric=realtime_metric,
            component_metric=component_metric,
            target_invocations=number("TARGET_INVOCATIONS", defaults.target_invocations, float),
            target_concurrency=number("TARGET_CONCURRENCY", defaults.target_concurrency, float),
            target_provisioned_utilization=number(
                "TARGET_PROVISIONED_UTILIZATION", defaults.target_provisioned_utilization, float
            ),
            target_backlog=number("TARGET_BACKLOG", defaults.target_backlog, float),
            scale_in_cooldown=int(number("SCALE_IN_COOLDOWN", defaults.scale_in_cooldown, int)),
            scale_out_cooldown=int(number("SCALE_OUT_COOLDOWN", defaults.scale_out_cooldown, int)),
            queue_url=env.get("AUTOSCALER_QUEUE_URL") or None,
            recheck_delay_seconds=int(number("RECHECK_DELAY_SECONDS", defaults.recheck_delay_seconds, int)),
            recheck_max_attempts=int(number("RECHECK_MAX_ATTEMPTS", defaults.recheck_max_attempts, int)),
            schedule=schedule,
            timezone=timezone,
            off_hours_mode=off_hours_mode,
            holidays=holidays,
            write_mode=write_mode,
            protect_running_capacity=protect,
        )
        if settings.max_capacity < 1 or settings.min_capacity > settings.max_capacity:
            raise SettingsError(
                f"default capacity range {settings.min_capacity}..{settings.max_capacity} is not valid"
            )
        return settings


def _flag(text: str, name: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "false"):
        return value == "true"
    raise SettingsError(f"{name}={text!r} must be true or false")
