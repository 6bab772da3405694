"""What Application Auto Scaling and CloudWatch hold now for one scalable resource, as plain values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from msgspec import Struct

from sagemaker_autoscaler.core.domain import NAME_PREFIX, Dimension


def is_owned_name(name: str) -> bool:
    return name.startswith(NAME_PREFIX)


class CurrentTarget(Struct, frozen=True):
    resource_id: str
    dimension: str
    min_capacity: int
    max_capacity: int
    arn: str | None
    owned: bool
    suspended: Mapping[str, bool]
    # The capacity guard's floor recorded on the app's own target (its tag), if any.
    capacity_floor: int | None = None


class CurrentPolicy(Struct, frozen=True):
    name: str
    policy_type: str
    configuration: Mapping[str, Any]
    arn: str


class CurrentAlarm(Struct, frozen=True):
    name: str
    namespace: str
    metric_name: str
    dimensions: frozenset[tuple[str, str]]
    statistic: str
    period: int
    evaluation_periods: int
    threshold: float
    comparison: str
    treat_missing_data: str
    actions: tuple[str, ...]


class CurrentScheduledAction(Struct, frozen=True):
    name: str
    schedule: str
    timezone: str | None
    min_capacity: int | None
    max_capacity: int | None
    start_time: datetime | None = None
    end_time: datetime | None = None


class CurrentScaling(Struct, frozen=True):
    resource_id: str
    dimension: Dimension
    target: CurrentTarget | None
    policies: tuple[CurrentPolicy, ...] = ()
    alarms: tuple[CurrentAlarm, ...] = ()  # only alarms under the app's prefix for this resource
    scheduled_actions: tuple[CurrentScheduledAction, ...] = ()

    def owned_policies(self) -> dict[str, CurrentPolicy]:
        return {policy.name: policy for policy in self.policies if is_owned_name(policy.name)}

    def foreign_policies(self) -> list[CurrentPolicy]:
        return [policy for policy in self.policies if not is_owned_name(policy.name)]

    def owned_scheduled_actions(self) -> dict[str, CurrentScheduledAction]:
        return {action.name: action for action in self.scheduled_actions if is_owned_name(action.name)}

    def foreign_scheduled_actions(self) -> list[CurrentScheduledAction]:
        return [action for action in self.scheduled_actions if not is_owned_name(action.name)]
