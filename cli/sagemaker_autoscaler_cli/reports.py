"""What ``plan`` and ``status`` print: per resource, from the engine's action log or the account's state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sagemaker_autoscaler.engine.state import ScalingSnapshot

from .render import bounds, describe_value, table

# Decisions that say what happens to a resource; "kept" only adds a note.
_FINAL = {"planned", "unchanged", "unmanaged", "skipped", "failed", "quota", "left alone", "released"}


@dataclass
class ResourcePlan:
    resource_id: str
    kind: str | None = None
    current: dict[str, int] | None = None
    planned: dict[str, int] | None = None
    decision: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)  # tag problems, warnings, kept targets
    changes: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _note(plan: ResourcePlan, entry: Mapping[str, Any]) -> None:
    action = entry["action"]
    if action == "Decision":
        if entry["decision"] in _FINAL or not plan.decision:
            plan.decision, plan.reason = entry["decision"], str(entry["reason"])
        else:
            plan.notes.append(str(entry["reason"]))
        for key in ("kind", "current", "planned"):
            if entry.get(key) is not None:
                setattr(plan, key, entry[key])
    elif action == "Warning":
        plan.notes.append(f"warning {entry['code']}: {entry['message']}")
    elif action == "ConfigProblem":
        plan.notes.append(
            f"tag {entry['setting']}={entry['value']!r} {entry['severity']}: {entry['message']}"
        )
    else:
        plan.changes.append({key: entry[key] for key in ("action", "dimension", "old", "new", "outcome")})


def plans_by_resource(entries: Iterable[Mapping[str, Any]]) -> list[ResourcePlan]:
    """The action log of one planning run, grouped by resource."""
    plans: dict[str, ResourcePlan] = {}
    for entry in entries:
        resource_id = str(entry["resource_id"])
        _note(plans.setdefault(resource_id, ResourcePlan(resource_id)), entry)
    return [plans[key] for key in sorted(plans)]


def render_plan(plans: list[ResourcePlan], summary: Mapping[str, int]) -> str:
    rows = [
        [
            p.resource_id,
            p.kind or "-",
            bounds(p.current),
            bounds(p.planned),
            p.decision,
            "; ".join([p.reason, *p.notes]),
        ]
        for p in plans
    ]
    changes = [
        [change["action"], p.resource_id, describe_value(change["old"]), describe_value(change["new"])]
        for p in plans
        for change in p.changes
    ]
    parts = [table(["resource", "kind", "now", "planned", "decision", "why"], rows)]
    if changes:
        parts.append(
            "Changes the app would make (none was made):\n"
            + table(["action", "resource", "old", "new"], changes)
        )
    pending = sum(1 for p in plans if p.changes)
    parts.append(
        f"{summary.get('planned', 0)} change(s) pending on {pending} resource(s); "
        f"{summary.get('resources_unchanged', 0)} resource(s) need no change; "
        f"{summary.get('resources_failed', 0)} could not be planned."
    )
    return "\n\n".join(parts)


def managed_now(snapshot: ScalingSnapshot) -> list[dict[str, Any]]:
    """Every scalable target the app owns now, with its policies, scheduled actions and alarms."""
    managed: list[dict[str, Any]] = []
    for key in sorted(snapshot.candidate_orphans()):
        current = snapshot.current(key)
        target = current.target
        if target is None or not target.owned:
            if current.alarms:  # the app's alarms left for a resource without the app's target
                managed.append(
                    {"resource_id": key[0], "target": None, "alarms": [a.name for a in current.alarms]}
                )
            continue
        managed.append(
            {
                "resource_id": key[0],
                "dimension": key[1].value,
                "target": {"min": target.min_capacity, "max": target.max_capacity},
                "capacity_floor": target.capacity_floor,
                "suspended": any(target.suspended.values()),
                "policies": sorted(current.owned_policies()),
                "scheduled_actions": [
                    {
                        "name": a.name,
                        "schedule": a.schedule,
                        "timezone": a.timezone,
                        "min": a.min_capacity,
                        "max": a.max_capacity,
                    }
                    for a in sorted(current.owned_scheduled_actions().values(), key=lambda a: a.name)
                ],
                "alarms": [a.name for a in current.alarms],
            }
        )
    return managed


def render_status(managed: list[dict[str, Any]]) -> str:
    if not managed:
        return "The app manages nothing in this account and Region."
    rows = []
    for item in managed:
        target = item["target"]
        rows.append(
            [
                item["resource_id"],
                bounds(target) if target else "no target (alarms left)",
                item.get("capacity_floor") or "-",
                "yes" if item.get("suspended") else "no",
                ", ".join(p.removeprefix("sagemaker-autoscaler-") for p in item.get("policies", [])) or "-",
                len(item.get("scheduled_actions", [])),
                len(item["alarms"]),
            ]
        )
    headers = ["resource", "min..max", "floor", "paused", "policies", "scheduled actions", "alarms"]
    return table(headers, rows) + f"\n\n{len(managed)} resource(s) managed by the app."
