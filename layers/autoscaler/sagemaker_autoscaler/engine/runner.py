"""The one runner every path feeds: work items, each run on its own, within a deadline, into one summary.

An item is one resource's step (its reads, its plan, its writes). A failure is an ERROR line naming the
resource and a metric (a quota its own decision), and the next item runs; past the deadline the rest is
counted as deferred, for the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from msgspec import Struct, field
from msgspec.structs import asdict

from sagemaker_autoscaler.engine.apply import QuotaExceeded
from sagemaker_autoscaler.engine.dependencies import Dependencies

# Stop this long before the Lambda deadline: enough for the slowest single resource to finish.
DEFAULT_RESERVE_MS = 15_000


class RunSummary(Struct):
    resources_seen: int = 0
    resources_changed: int = 0
    resources_unchanged: int = 0
    resources_failed: int = 0  # quota errors included
    orphans_released: int = 0
    writes: int = 0
    deferred: int = 0  # not reached before the deadline: the next run takes them
    planned: int = 0  # changes logged but not made (WriteMode plan)
    quota_errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class WorkItem(Struct, frozen=True):
    resource_id: str
    step: Callable[[], int]  # returns the writes it made (or planned)
    orphan: bool = False  # releasing what is left of a resource that is gone


class Runner(Struct):
    deps: Dependencies
    summary: RunSummary = field(default_factory=RunSummary)
    remaining_ms: Callable[[], int] | None = None
    reserve_ms: int = DEFAULT_RESERVE_MS

    def attempt(self, resource_id: str, step: Callable[[], Any]) -> tuple[bool, Any]:
        """Run one step on its own: (True, its value), or (False, None) once its failure is reported."""
        try:
            return True, step()
        except QuotaExceeded as error:
            self.deps.journal.quota(resource_id, error)
            self.summary.quota_errors += 1
        except Exception as error:  # noqa: BLE001 - isolate per resource; the run goes on
            self.deps.journal.failure(resource_id, error)
        self.summary.resources_failed += 1
        return False, None

    def run(self, items: Iterable[WorkItem]) -> RunSummary:
        pending = list(items)
        for index, item in enumerate(pending):
            if self.remaining_ms is not None and self.remaining_ms() < self.reserve_ms:
                self.summary.deferred = len(pending) - index
                break
            ok, writes = self.attempt(item.resource_id, item.step)
            if ok:
                self._count(writes, item.orphan)
        return self.summary

    def _count(self, writes: int, orphan: bool) -> None:
        if self.deps.plan_only:
            self.summary.planned += writes
            if writes:
                return  # planned, not changed: the summary's `planned` says how much
        else:
            self.summary.writes += writes
        if orphan and writes:
            self.summary.orphans_released += 1
        elif writes:
            self.summary.resources_changed += 1
        elif not orphan:
            self.summary.resources_unchanged += 1
