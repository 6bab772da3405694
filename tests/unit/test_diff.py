"""The pure diff: desired scaling against current state -> the smallest set of changes."""

from datetime import UTC, datetime

from sagemaker_autoscaler.core.changes import (
    DeleteAlarm,
    DeletePolicy,
    DeleteScheduledAction,
    DeregisterTarget,
    PutAlarm,
    PutPolicy,
    RegisterTarget,
)
from sagemaker_autoscaler.core.current_state import (
    CurrentAlarm,
    CurrentPolicy,
    CurrentScaling,
    CurrentScheduledAction,
    CurrentTarget,
)
from sagemaker_autoscaler.core.diff import plan_changes
from sagemaker_autoscaler.core.domain import (
    DesiredScaling,
    ResourceKind,
    ScalableResource,
    ScheduledActionSpec,
)
from sagemaker_autoscaler.core.matching import contains
from sagemaker_autoscaler.core.planner import plan_resource
from sagemaker_autoscaler.core.settings import Settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COMPONENT = ScalableResource(
    ResourceKind.INFERENCE_COMPONENT,
    "llm-chat",
    "AllTraffic",
    {"autoscaler:min-capacity": "0"},
    component_name="mistral-7b",
)
PLAN = plan_resource(COMPONENT, Settings(), NOW)
assert PLAN.desired is not None
DESIRED = PLAN.desired
RID, DIM = DESIRED.target.resource_id, DESIRED.target.dimension


def target(owned: bool = True, low: int = 0, high: int = 4) -> CurrentTarget:
    return CurrentTarget(RID, DIM.value, low, high, "arn:target", owned, {})


def converged() -> CurrentScaling:
    """The state AWS holds once the desired scaling has been applied (with AWS's extra echoed fields)."""
    policies = tuple(
        CurrentPolicy(p.name, p.policy_type, {**p.configuration, "DisableScaleIn": False}, f"arn:{p.name}")
        for p in DESIRED.policies
    )
    alarms = tuple(
        CurrentAlarm(
            a.name,
            a.namespace,
            a.metric_name,
            frozenset(a.dimensions),
            a.statistic,
            a.period,
            a.evaluation_periods,
            a.threshold,
            a.comparison,
            a.treat_missing_data,
            (f"arn:{a.policy_name}",),
        )
        for a in DESIRED.alarms
    )
    return CurrentScaling(RID, DIM, target(), policies, alarms)


def kinds(changes: tuple[object, ...]) -> list[str]:
    return [type(change).__name__ for change in changes]


def test_nothing_yet_creates_target_then_policies_then_alarm() -> None:
    changeset = plan_changes(DESIRED, CurrentScaling(RID, DIM, None))
    assert kinds(changeset.changes) == ["RegisterTarget", "PutPolicy", "PutPolicy", "PutAlarm"]
    assert isinstance(changeset.changes[0], RegisterTarget) and changeset.changes[0].previous is None


def test_converged_state_needs_no_writes() -> None:
    assert plan_changes(DESIRED, converged()).changes == ()


def test_changed_bounds_reregister_only_the_target() -> None:
    current = converged()
    drifted = CurrentScaling(RID, DIM, target(low=0, high=9), current.policies, current.alarms)
    assert kinds(plan_changes(DESIRED, drifted).changes) == ["RegisterTarget"]


def test_a_changed_policy_is_rewritten() -> None:
    current = converged()
    tracking = current.policies[0]
    changed = CurrentPolicy(
        tracking.name, tracking.policy_type, {**tracking.configuration, "TargetValue": 99}, tracking.arn
    )
    drifted = CurrentScaling(RID, DIM, current.target, (changed, current.policies[1]), current.alarms)
    changes = plan_changes(DESIRED, drifted).changes
    assert kinds(changes) == ["PutPolicy"]
    assert isinstance(changes[0], PutPolicy) and changes[0].previous == changed


def test_a_deleted_wake_policy_is_recreated_and_its_alarm_repointed() -> None:
    current = converged()
    drifted = CurrentScaling(RID, DIM, current.target, current.policies[:1], current.alarms)
    assert kinds(plan_changes(DESIRED, drifted).changes) == ["PutPolicy", "PutAlarm"]


def test_an_alarm_pointing_elsewhere_is_rewritten() -> None:
    current = converged()
    alarm = current.alarms[0]
    wrong = CurrentAlarm(*[getattr(alarm, f) for f in alarm.__struct_fields__][:-1], ("arn:other",))
    drifted = CurrentScaling(RID, DIM, current.target, current.policies, (wrong,))
    changes = plan_changes(DESIRED, drifted).changes
    assert kinds(changes) == ["PutAlarm"] and isinstance(changes[0], PutAlarm)


def test_owned_extras_are_deleted_and_foreign_ones_kept() -> None:
    current = converged()
    extra_owned = CurrentPolicy("sagemaker-autoscaler-old", "StepScaling", {}, "arn:old")
    foreign = CurrentPolicy("team-custom-policy", "StepScaling", {}, "arn:team")
    drifted = CurrentScaling(
        RID, DIM, current.target, (*current.policies, extra_owned, foreign), current.alarms
    )
    changes = plan_changes(DESIRED, drifted).changes
    assert kinds(changes) == ["DeletePolicy"]
    assert isinstance(changes[0], DeletePolicy) and changes[0].previous.name == "sagemaker-autoscaler-old"


def test_a_target_registered_by_someone_else_is_never_touched() -> None:
    current = CurrentScaling(RID, DIM, target(owned=False, low=2, high=2))
    changeset = plan_changes(DESIRED, current)
    assert changeset.changes == ()
    assert changeset.skipped and "outside the app" in changeset.skipped
    assert plan_changes(None, current).changes == ()


def test_release_deletes_alarms_first_and_deregisters_last() -> None:
    current = converged()
    owned_action = CurrentScheduledAction(
        "sagemaker-autoscaler-close", "cron(0 19 ? * MON-FRI *)", "UTC", 0, 0
    )
    with_action = CurrentScaling(RID, DIM, current.target, current.policies, current.alarms, (owned_action,))
    changes = plan_changes(None, with_action).changes
    assert kinds(changes) == [
        "DeleteAlarm",
        "DeletePolicy",
        "DeletePolicy",
        "DeleteScheduledAction",
        "DeregisterTarget",
    ]
    assert isinstance(changes[0], DeleteAlarm)
    assert isinstance(changes[3], DeleteScheduledAction)
    assert isinstance(changes[-1], DeregisterTarget)


def test_release_keeps_a_target_that_carries_someone_elses_policy() -> None:
    current = converged()
    foreign = CurrentPolicy("team-custom-policy", "StepScaling", {}, "arn:team")
    shared = CurrentScaling(RID, DIM, current.target, (*current.policies, foreign), current.alarms)
    changeset = plan_changes(None, shared)
    assert "DeregisterTarget" not in kinds(changeset.changes)
    assert "team-custom-policy" in changeset.notes[0]


def test_release_of_nothing_is_nothing() -> None:
    assert plan_changes(None, CurrentScaling(RID, DIM, None)).changes == ()


def test_contains_compares_only_what_was_asked_for() -> None:
    assert contains({"a": 1, "b": [{"c": 2.0, "d": "x"}], "extra": True}, {"a": 1.0, "b": [{"c": 2}]})
    assert not contains({"a": 1}, {"a": 2})
    assert not contains({"b": [1, 2]}, {"b": [1]})
    assert not contains({"flag": 1}, {"flag": True})
    assert not contains({}, {"a": None})


def test_a_start_time_that_must_go_is_cleared_by_deleting_and_recreating_the_action() -> None:
    # Given a closing action that still carries the StartTime of a keep-on-until that has passed
    spec = ScheduledActionSpec("sagemaker-autoscaler-close-1900-mon", "cron(0 19 ? * MON *)", "UTC", 0, 0)
    held_back = CurrentScheduledAction(
        spec.name, spec.schedule, "UTC", 0, 0, start_time=datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
    )
    current = converged()
    with_action = CurrentScaling(RID, DIM, current.target, current.policies, current.alarms, (held_back,))
    desired = DesiredScaling(DESIRED.target, DESIRED.policies, DESIRED.alarms, (spec,))
    # When diffed, Then the action is deleted and put again (an update cannot drop a StartTime)
    changes = plan_changes(desired, with_action).changes
    assert kinds(changes) == ["DeleteScheduledAction", "PutScheduledAction"]
