"""The end of every invocation: the journal's new changes and failures, published on the default bus.

Publishing is a report, never part of the work: whatever EventBridge answers (refused entries, a
throttle, AccessDenied), the run's own result stands. What could not be published is an ERROR line and
the ``ChangeEventsFailed`` metric; the same changes are in the log lines in any case.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from sagemaker_autoscaler.aws.events import EventBridge
from sagemaker_autoscaler.core.change_events import Entry, batches, event_entry, is_planned
from sagemaker_autoscaler.telemetry.journal import Journal, MetricName
from sagemaker_autoscaler.telemetry.powertools import logger


class ChangePublisher(Struct):
    bus: EventBridge
    account: str
    region: str
    # Planned changes (WriteMode plan) too: each periodic run plans the same pending changes again, so
    # they are repeated every run until applied; only when asked for (PublishChangeEvents=with-planned).
    with_planned: bool = False

    def publish(self, journal: Journal) -> None:
        """Publish what the journal gathered since the last call; never raises."""
        entries = [
            event_entry(kind, fields, self.account, self.region)
            for kind, fields in journal.drain_outbox()
            if self.with_planned or not is_planned(kind, fields)
        ]
        for batch in batches(entries):
            failed = self._send(batch, journal)
            if failed:
                self._report(failed, journal)

    def _send(self, batch: Sequence[Entry], journal: Journal) -> list[tuple[Entry, str]]:
        """One batch, then once more whatever failed (a refusal is often a passing throttle)."""
        refused = self._put(batch)
        if refused:
            refused = self._put([entry for entry, _ in refused])
        if len(batch) > len(refused):
            journal.count(MetricName.EVENTS_PUBLISHED, len(batch) - len(refused))
        return refused

    def _put(self, entries: Sequence[Entry]) -> list[tuple[Entry, str]]:
        try:
            return self.bus.put_events(entries)
        except Exception as error:  # noqa: BLE001 - AccessDenied, throttling, no network: report, go on
            return [(entry, f"{type(error).__name__}: {error}") for entry in entries]

    @staticmethod
    def _report(failed: Sequence[tuple[Entry, str]], journal: Journal) -> None:
        reasons = sorted({reason for _, reason in failed})
        logger.error(
            f"{len(failed)} change event(s) could not be published on the default event bus",
            extra={"change_events_failed": len(failed), "reasons": reasons[:5]},
        )
        journal.count(MetricName.EVENTS_FAILED, len(failed))


def publish_changes(publisher: ChangePublisher | None, journal: Journal) -> None:
    """Publish the journal's new entries, or (publishing switched off) just forget them."""
    if publisher is None:
        journal.drain_outbox()
        return
    publisher.publish(journal)
