"""Per-resource overrides read from tags under one prefix (``autoscaler:`` by default).

Pure: tags and account settings in, the resource's configuration and any problems out. A bad value never
raises; it is reported as a ``ConfigProblem`` and the documented fallback (the account default) applies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime

from msgspec import Struct

from sagemaker_autoscaler.core.domain import ConfigProblem, Severity
from sagemaker_autoscaler.core.schedule_syntax import parse_schedule, parse_timestamp
from sagemaker_autoscaler.core.schedules import MAX_WARM_UP_MINUTES, Schedule, ScheduleError
from sagemaker_autoscaler.core.settings import ManagementMode, MetricChoice, OffHoursMode, Settings

# Upper bounds that catch typos (an extra zero) rather than encode an AWS limit.
CAPACITY_LIMIT = 1000
COOLDOWN_LIMIT_SECONDS = 86_400

ENABLED = "enabled"
MIN_CAPACITY = "min-capacity"
MAX_CAPACITY = "max-capacity"
METRIC = "metric"
TARGET_VALUE = "target-value"
SCALE_IN_COOLDOWN = "scale-in-cooldown"
SCALE_OUT_COOLDOWN = "scale-out-cooldown"
SCHEDULE = "schedule"
OFF_HOURS = "off-hours"
KEEP_ON_UNTIL = "keep-on-until"
PAUSED = "paused"
WARM_UP = "warm-up"

KNOWN_SETTINGS = (
    ENABLED,
    MIN_CAPACITY,
    MAX_CAPACITY,
    METRIC,
    TARGET_VALUE,
    SCALE_IN_COOLDOWN,
    SCALE_OUT_COOLDOWN,
    SCHEDULE,
    OFF_HOURS,
    KEEP_ON_UNTIL,
    PAUSED,
    WARM_UP,
)

_TRUE = {"true", "yes", "on", "1", "enabled"}
_FALSE = {"false", "no", "off", "0", "disabled"}


class ResourceConfig(Struct, frozen=True):
    enabled: bool
    min_capacity: int
    max_capacity: int
    metric: MetricChoice | None  # None: the kind's default metric
    target_value: float | None  # None: the default target for the metric in use
    scale_in_cooldown: int
    scale_out_cooldown: int
    schedule: Schedule | None = None  # None: always on
    off_hours_mode: OffHoursMode = OffHoursMode.IDLE
    keep_on_until: datetime | None = None
    paused: bool = False
    warm_up_minutes: int | None = None  # None: the kind's lead
    # Which settings came from tags (for log lines that explain where a value came from).
    from_tags: frozenset[str] = frozenset()


def settings_tags(tags: Mapping[str, str], prefix: str) -> dict[str, str]:
    """The tags under the app's prefix, keyed by the setting name without the prefix."""
    return {key[len(prefix) :]: value for key, value in tags.items() if key.startswith(prefix)}


def merge_tags(endpoint_tags: Mapping[str, str], component_tags: Mapping[str, str]) -> dict[str, str]:
    """An inference component inherits its endpoint's tags; its own tags win key by key."""
    return {**endpoint_tags, **component_tags}


class _Reader:
    def __init__(self, raw: Mapping[str, str], prefix: str) -> None:
        self.raw = raw
        self.prefix = prefix
        self.problems: list[ConfigProblem] = []
        self.used: set[str] = set()

    def invalid(self, setting: str, message: str) -> None:
        self.problems.append(
            ConfigProblem(self.prefix + setting, self.raw.get(setting, ""), Severity.INVALID, message)
        )

    def integer(self, setting: str, lowest: int, highest: int) -> int | None:
        if setting not in self.raw:
            return None
        text = self.raw[setting].strip()
        try:
            value = int(text)
        except ValueError:
            self.invalid(setting, f"{text!r} is not a whole number")
            return None
        if not lowest <= value <= highest:
            self.invalid(setting, f"{value} is outside {lowest}..{highest}")
            return None
        self.used.add(setting)
        return value

    def flag(self, setting: str) -> bool | None:
        if setting not in self.raw:
            return None
        text = self.raw[setting].strip().lower()
        if text in _TRUE:
            self.used.add(setting)
            return True
        if text in _FALSE:
            self.used.add(setting)
            return False
        self.invalid(setting, f"{self.raw[setting]!r} is not one of true/false (also yes/no, on/off)")
        return None

    def positive_number(self, setting: str) -> float | None:
        if setting not in self.raw:
            return None
        text = self.raw[setting].strip()
        try:
            value = float(text)
        except ValueError:
            self.invalid(setting, f"{text!r} is not a number")
            return None
        if not math.isfinite(value) or value <= 0:
            self.invalid(setting, f"{text!r} must be a finite number greater than 0")
            return None
        self.used.add(setting)
        return value

    def schedule(self, setting: str, timezone: str) -> tuple[bool, Schedule | None]:
        """(found, schedule); an invalid schedule is reported and reads as not found."""
        if setting not in self.raw:
            return False, None
        try:
            schedule = parse_schedule(self.raw[setting], timezone)
        except ScheduleError as error:
            self.invalid(setting, str(error))
            return False, None
        self.used.add(setting)
        return True, schedule

    def off_hours(self, setting: str) -> OffHoursMode | None:
        if setting not in self.raw:
            return None
        try:
            value = OffHoursMode(self.raw[setting].strip().lower())
        except ValueError:
            self.invalid(setting, f"{self.raw[setting]!r} is not an off-hours mode; expected zero or idle")
            return None
        self.used.add(setting)
        return value

    def timestamp(self, setting: str, timezone: str) -> datetime | None:
        if setting not in self.raw:
            return None
        try:
            value = parse_timestamp(self.raw[setting], timezone)
        except ScheduleError as error:
            self.invalid(setting, str(error))
            return None
        self.used.add(setting)
        return value

    def metric(self, setting: str) -> MetricChoice | None:
        if setting not in self.raw:
            return None
        text = self.raw[setting].strip().lower()
        try:
            value = MetricChoice(text)
        except ValueError:
            choices = ", ".join(choice.value for choice in MetricChoice)
            self.invalid(setting, f"unknown metric {self.raw[setting]!r}; expected one of {choices}")
            return None
        self.used.add(setting)
        return value


def resolve_config(
    tags: Mapping[str, str],
    settings: Settings,
    extra_known: tuple[str, ...] = (),
) -> tuple[ResourceConfig, tuple[ConfigProblem, ...]]:
    """Merge the account defaults with the resource's tags."""
    raw = settings_tags(tags, settings.tag_prefix)
    reader = _Reader(raw, settings.tag_prefix)
    # Read in this order, so that problems are reported in it.
    enabled = reader.flag(ENABLED)
    min_capacity, max_capacity = _capacity(reader, settings)
    metric, target_value = reader.metric(METRIC), reader.positive_number(TARGET_VALUE)
    scale_in = reader.integer(SCALE_IN_COOLDOWN, 0, COOLDOWN_LIMIT_SECONDS)
    scale_out = reader.integer(SCALE_OUT_COOLDOWN, 0, COOLDOWN_LIMIT_SECONDS)
    found, schedule = reader.schedule(SCHEDULE, settings.timezone)
    schedule = schedule if found else settings.schedule
    paused, off_hours = reader.flag(PAUSED), reader.off_hours(OFF_HOURS)
    keep_on_until = reader.timestamp(KEEP_ON_UNTIL, schedule.timezone if schedule else settings.timezone)
    warm_up = reader.integer(WARM_UP, 0, MAX_WARM_UP_MINUTES)
    config = ResourceConfig(
        enabled=settings.mode is ManagementMode.OPT_OUT if enabled is None else enabled,
        min_capacity=min_capacity,
        max_capacity=max_capacity,
        metric=metric,
        target_value=target_value,
        scale_in_cooldown=settings.scale_in_cooldown if scale_in is None else scale_in,
        scale_out_cooldown=settings.scale_out_cooldown if scale_out is None else scale_out,
        schedule=schedule,
        off_hours_mode=settings.off_hours_mode if off_hours is None else off_hours,
        keep_on_until=keep_on_until,
        paused=bool(paused),
        warm_up_minutes=settings.warm_up_minutes if warm_up is None else warm_up,
        from_tags=frozenset(reader.used),
    )
    _note_unknown_settings(reader, raw, settings.tag_prefix, extra_known)
    return config, tuple(reader.problems)


def _capacity(reader: _Reader, settings: Settings) -> tuple[int, int]:
    """The bounds from the tags, or the defaults; min > max makes both fall back, each tag reported."""
    low = reader.integer(MIN_CAPACITY, 0, CAPACITY_LIMIT)
    high = reader.integer(MAX_CAPACITY, 1, CAPACITY_LIMIT)
    min_capacity = settings.min_capacity if low is None else low
    max_capacity = settings.max_capacity if high is None else high
    if min_capacity <= max_capacity:
        return min_capacity, max_capacity
    message = (
        f"minimum {min_capacity} is greater than maximum {max_capacity}; "
        f"both fall back to the defaults {settings.min_capacity}..{settings.max_capacity}"
    )
    for setting in (MIN_CAPACITY, MAX_CAPACITY):
        if setting in reader.used:
            reader.invalid(setting, message)
            reader.used.discard(setting)
    return settings.min_capacity, settings.max_capacity


def _note_unknown_settings(
    reader: _Reader, raw: Mapping[str, str], prefix: str, extra: tuple[str, ...]
) -> None:
    """Keys under the prefix that are no setting: typos, most likely."""
    known = KNOWN_SETTINGS + extra
    for setting in sorted(set(raw) - set(known)):
        message = f"unknown setting {setting!r}; known settings: {', '.join(known)}"
        reader.problems.append(ConfigProblem(prefix + setting, raw[setting], Severity.IGNORED, message))
