"""Whether what AWS holds already is what the plan asks for, compared on the app's own fields only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sagemaker_autoscaler.core.current_state import CurrentAlarm, CurrentScheduledAction
from sagemaker_autoscaler.core.domain import AlarmSpec, ScheduledActionSpec


def contains(current: Any, desired: Any) -> bool:
    """True when every field the app asked for is present with the same value.

    AWS echoes extra defaults (``DisableScaleIn: false``...) that the app never set, so equality would
    report false drift forever; only the app's own fields are compared.
    """
    if isinstance(desired, Mapping):
        return isinstance(current, Mapping) and all(
            key in current and contains(current[key], value) for key, value in desired.items()
        )
    if isinstance(desired, Sequence) and not isinstance(desired, str):
        return (
            isinstance(current, Sequence)
            and not isinstance(current, str)
            and len(current) == len(desired)
            and all(contains(c, d) for c, d in zip(current, desired, strict=True))
        )
    if isinstance(desired, bool) or isinstance(current, bool):
        return current is desired
    if isinstance(desired, int | float) and isinstance(current, int | float):
        return float(current) == float(desired)
    return bool(current == desired)


def alarm_matches(current: CurrentAlarm, spec: AlarmSpec, policy_arn: str | None) -> bool:
    return (
        current.namespace == spec.namespace
        and current.metric_name == spec.metric_name
        and current.dimensions == frozenset(spec.dimensions)
        and current.statistic == spec.statistic
        and current.period == spec.period
        and current.evaluation_periods == spec.evaluation_periods
        and float(current.threshold) == float(spec.threshold)
        and current.comparison == spec.comparison
        and current.treat_missing_data == spec.treat_missing_data
        and policy_arn is not None
        and current.actions == (policy_arn,)
    )


def scheduled_action_matches(current: CurrentScheduledAction, spec: ScheduledActionSpec) -> bool:
    return (
        current.schedule == spec.schedule
        and (current.timezone or "UTC") == spec.timezone
        and current.min_capacity == spec.min_capacity
        and current.max_capacity == spec.max_capacity
        and _same_instant(current.start_time, spec.start_time)
        and _same_instant(current.end_time, spec.end_time)
    )


def _same_instant(current: datetime | None, desired: datetime | None) -> bool:
    if current is None or desired is None:
        return current is desired
    # AWS returns whole seconds; compare at that precision.
    return int(current.timestamp()) == int(desired.timestamp())
