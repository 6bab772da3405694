"""Account-wide defaults, read from the function's environment (set from the template's parameters)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from msgspec import Struct

from sagemaker_autoscaler.core.schedule_syntax import parse_holidays, parse_schedule
from sagemaker_autoscaler.core.schedules import ALWAYS_ON, MAX_WARM_UP_MINUTES, Schedule, validate_timezone


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


class Settings(Struct, frozen=True):
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
    warm_up_minutes: int | None = None  # None: each kind's own lead (core/kinds.py)

    @property
    def unmanaged_reason(self) -> str:
        """Why a resource whose tags leave it out is not managed, in the words of the management mode."""
        key = f"{self.tag_prefix}enabled"
        if self.mode is ManagementMode.OPT_IN:
            return f"not opted in (opt-in mode: tag {key}=true to manage)"
        return f"opted out by tag {key}"

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Settings:
        read = _Environment(env, cls())
        settings = cls(
            **read.choices(),
            **read.numbers(),
            tag_prefix=read.text("TAG_PREFIX", read.defaults.tag_prefix),
            queue_url=env.get("AUTOSCALER_QUEUE_URL") or None,
        )
        if settings.max_capacity < 1 or settings.min_capacity > settings.max_capacity:
            raise SettingsError(
                f"default capacity range {settings.min_capacity}..{settings.max_capacity} is not valid"
            )
        return settings


class _Environment:
    """AUTOSCALER_<NAME> variables, each with its default, and a SettingsError naming a bad one."""

    def __init__(self, env: Mapping[str, str], defaults: Settings) -> None:
        self.env, self.defaults = env, defaults

    def text(self, name: str, default: str) -> str:
        return self.env.get(f"AUTOSCALER_{name}", "").strip() or default

    def number(self, name: str, default: float, convert: type[int | float]) -> Any:
        raw = self.text(name, str(default))
        try:
            value = convert(raw)
        except ValueError:
            raise SettingsError(f"AUTOSCALER_{name}={raw!r} is not a number") from None
        if value < 0:
            raise SettingsError(f"AUTOSCALER_{name}={raw!r} must not be negative")
        return value

    def choices(self) -> dict[str, Any]:
        defaults = self.defaults
        try:
            timezone = validate_timezone(self.text("TIMEZONE", defaults.timezone))
            return {
                "timezone": timezone,
                "schedule": parse_schedule(self.text("SCHEDULE", ALWAYS_ON), timezone),
                "holidays": parse_holidays(self.text("HOLIDAYS", "")),
                "off_hours_mode": OffHoursMode(self.text("OFF_HOURS_MODE", defaults.off_hours_mode).lower()),
                "mode": ManagementMode(self.text("MODE", defaults.mode)),
                "realtime_metric": MetricChoice(self.text("REALTIME_METRIC", defaults.realtime_metric)),
                "component_metric": MetricChoice(
                    self.text("INFERENCE_COMPONENT_METRIC", defaults.component_metric)
                ),
                "write_mode": WriteMode(self.text("WRITE_MODE", defaults.write_mode).lower()),
                "protect_running_capacity": _flag(
                    self.text("PROTECT_RUNNING_CAPACITY", "true"), "AUTOSCALER_PROTECT_RUNNING_CAPACITY"
                ),
            }
        except ValueError as error:
            raise SettingsError(str(error)) from None

    def numbers(self) -> dict[str, Any]:
        defaults = self.defaults
        return {
            "min_capacity": int(self.number("MIN_CAPACITY", defaults.min_capacity, int)),
            "max_capacity": int(self.number("MAX_CAPACITY", defaults.max_capacity, int)),
            "target_invocations": self.number("TARGET_INVOCATIONS", defaults.target_invocations, float),
            "target_concurrency": self.number("TARGET_CONCURRENCY", defaults.target_concurrency, float),
            "target_provisioned_utilization": self.number(
                "TARGET_PROVISIONED_UTILIZATION", defaults.target_provisioned_utilization, float
            ),
            "target_backlog": self.number("TARGET_BACKLOG", defaults.target_backlog, float),
            "scale_in_cooldown": int(self.number("SCALE_IN_COOLDOWN", defaults.scale_in_cooldown, int)),
            "scale_out_cooldown": int(self.number("SCALE_OUT_COOLDOWN", defaults.scale_out_cooldown, int)),
            "recheck_delay_seconds": int(
                self.number("RECHECK_DELAY_SECONDS", defaults.recheck_delay_seconds, int)
            ),
            "recheck_max_attempts": int(
                self.number("RECHECK_MAX_ATTEMPTS", defaults.recheck_max_attempts, int)
            ),
            "warm_up_minutes": self.warm_up(),
        }

    def warm_up(self) -> int | None:
        """Empty: each kind's lead. Otherwise minutes, at most a day (a longer lead is no schedule)."""
        if not self.text("WARM_UP_MINUTES", ""):
            return None
        minutes = int(self.number("WARM_UP_MINUTES", 0, int))
        if minutes > MAX_WARM_UP_MINUTES:
            raise SettingsError(f"AUTOSCALER_WARM_UP_MINUTES={minutes} is more than {MAX_WARM_UP_MINUTES}")
        return minutes


def _flag(text: str, name: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "false"):
        return value == "true"
    raise SettingsError(f"{name}={text!r} must be true or false")
