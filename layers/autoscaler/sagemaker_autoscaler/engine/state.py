"""What Application Auto Scaling and CloudWatch hold now, per resource: one way to build a resource's
current state, fed either by reads for a few resources (``LiveState``, the event path) or by one
snapshot of the whole account (``ScalingSnapshot``, the periodic run, the install, the uninstall)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sagemaker_autoscaler.aws.payloads import (
    to_current_alarm,
    to_current_policy,
    to_current_scheduled_action,
    to_current_target,
)
from sagemaker_autoscaler.core.current_state import CurrentScaling
from sagemaker_autoscaler.core.domain import NAME_PREFIX, Dimension, resource_id_of_alarm
from sagemaker_autoscaler.engine.dependencies import Dependencies

Key = tuple[str, Dimension]
Listing = Callable[[Key], list[dict[str, Any]]]


def _by_key(items: Iterable[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    grouped: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        if item.get("ScalableDimension") in set(Dimension):
            grouped[(item["ResourceId"], Dimension(item["ScalableDimension"]))].append(item)
    return grouped


def _alarms_by_resource(alarms: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The app's alarms by resource id; names that only share the prefix belong to nobody here."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alarm in alarms:
        resource_id = resource_id_of_alarm(alarm["AlarmName"])
        if resource_id is not None:
            grouped[resource_id].append(alarm)
    return grouped


class StateReader:
    """Builds a resource's CurrentScaling from its target, its alarms and, for the app's own target only,
    its policies and scheduled actions (someone else's target is never looked into further)."""

    def __init__(
        self, deps: Dependencies, targets: Iterable[dict[str, Any]], alarms: Iterable[dict[str, Any]]
    ):
        self.deps = deps
        self.targets = {key: items[0] for key, items in _by_key(targets).items()}
        self.alarms = _alarms_by_resource(alarms)

    def policies(self, key: Key) -> list[dict[str, Any]]:
        return self.deps.autoscaling.describe_policies(key[0], key[1].value)

    def scheduled_actions(self, key: Key) -> list[dict[str, Any]]:
        return self.deps.autoscaling.describe_scheduled_actions(key[0], key[1].value)

    def owned(self, key: Key) -> bool:
        target = self.targets.get(key)
        return target is not None and self.deps.autoscaling.is_owned(target["ScalableTargetARN"])

    def current(self, key: Key) -> CurrentScaling:
        resource_id, dimension = key
        alarms = tuple(to_current_alarm(a) for a in self.alarms.get(resource_id, []))
        raw = self.targets.get(key)
        if raw is None:
            return CurrentScaling(resource_id, dimension, None, alarms=alarms)
        target = to_current_target(raw, self.deps.autoscaling.target_tags(raw["ScalableTargetARN"]))
        if not target.owned:
            return CurrentScaling(resource_id, dimension, target, alarms=alarms)
        policies = tuple(to_current_policy(p) for p in self.policies(key))
        actions = tuple(to_current_scheduled_action(a) for a in self.scheduled_actions(key))
        return CurrentScaling(resource_id, dimension, target, policies, alarms, actions)


class LiveState(StateReader):
    """Read for a few resources only: their targets in one request, the app's alarms under the given
    name prefixes, and the policies and scheduled actions of each of the app's targets."""

    def __init__(self, deps: Dependencies, keys: Iterable[Key], alarm_prefixes: Iterable[str]) -> None:
        resource_ids = sorted({resource_id for resource_id, _ in keys})
        targets = deps.autoscaling.describe_targets(resource_ids) if resource_ids else []
        alarms = [alarm for prefix in alarm_prefixes for alarm in deps.cloudwatch.describe_alarms(prefix)]
        super().__init__(deps, targets, alarms)


class ScalingSnapshot(StateReader):
    """Everything SageMaker-related that Application Auto Scaling and CloudWatch hold, read at once."""

    def __init__(self, deps: Dependencies) -> None:
        super().__init__(
            deps, deps.autoscaling.describe_targets(), deps.cloudwatch.describe_alarms(NAME_PREFIX)
        )
        self._policies = _by_key(deps.autoscaling.describe_all_policies())
        self._actions = _by_key(deps.autoscaling.describe_all_scheduled_actions())

    def policies(self, key: Key) -> list[dict[str, Any]]:
        return self._policies.get(key, [])

    def scheduled_actions(self, key: Key) -> list[dict[str, Any]]:
        return self._actions.get(key, [])

    def candidate_orphans(self) -> set[Key]:
        """Keys the app may have to clean up: every target (whose owner is checked when its turn comes,
        so that one unreadable tag fails only that target), and resources with the app's alarms."""
        keys = set(self.targets)
        with_target = {resource_id for resource_id, _ in self.targets}
        for resource_id in self.alarms:
            if resource_id not in with_target:
                dimension = (
                    Dimension.COPY_COUNT
                    if resource_id.startswith("inference-component/")
                    else Dimension.INSTANCE_COUNT
                )
                keys.add((resource_id, dimension))
        return keys
