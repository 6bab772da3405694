"""What an event came to: its status, what it wrote, and the tags its plan was made from (to tell after
the writes whether another event moved them meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from msgspec import Struct

from sagemaker_autoscaler.core.status import Verdict
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.runner import RunSummary


class Status(StrEnum):
    CHANGED = "changed"  # at least one write was made (or, in plan mode, planned)
    UNCHANGED = "unchanged"  # everything already matched: no writes
    WAITING = "waiting"  # the resource is still transitioning; check again later
    LEFT_ALONE = "left-alone"  # a state in which the app does not touch the resource
    QUOTA = "quota"  # a quota refused a write: retrying the message cannot help


class Fingerprint(Struct, frozen=True):
    """The tags a plan was made from, by ARN (None: not found): has anything moved since?"""

    tags: tuple[tuple[str, dict[str, str] | None], ...]

    def moved(self, deps: Dependencies) -> bool:
        return any(deps.sagemaker.tags_or_none(arn) != tags for arn, tags in self.tags)


class Outcome(Struct, frozen=True):
    status: Status
    detail: str
    writes: int = 0
    fingerprint: Fingerprint | None = None  # None when the resource is gone


class ReconcileError(RuntimeError):
    """Some resources of the event failed (each is an ERROR line); the others were still handled."""


def outcome(summary: RunSummary, detail: str, fingerprint: Fingerprint | None = None) -> Outcome:
    failed = summary.resources_failed - summary.quota_errors
    if failed:
        raise ReconcileError(f"{failed} resource(s) failed (see their ERROR lines); {detail}")
    writes = summary.writes + summary.planned
    if summary.quota_errors:
        return Outcome(Status.QUOTA, f"{summary.quota_errors} resource(s) at a quota; {detail}", writes)
    return Outcome(Status.CHANGED if writes else Status.UNCHANGED, detail, writes, fingerprint)


class Seen(Struct, frozen=True):
    """A resource as an event's first read found it."""

    what: str  # "endpoint" or "inference component", for the log lines
    resource_id: str
    status: str | None  # None: not found


def not_configuring(
    verdict: Verdict, seen: Seen, release: Callable[[str], Outcome], deps: Dependencies
) -> Outcome:
    """What happens to a resource that is not InService: released, waited for, or left alone."""
    state = f"{seen.what} is {seen.status}"
    if verdict is Verdict.RELEASE:
        return release(f"{seen.what} no longer exists" if seen.status is None else state)
    if verdict is Verdict.WAIT:
        return Outcome(Status.WAITING, state)
    deps.journal.decision(seen.resource_id, "left alone", state)
    return Outcome(Status.LEFT_ALONE, state)
