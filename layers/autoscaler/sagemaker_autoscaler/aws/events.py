"""EventBridge: the stack's own rules (switched off before an uninstall) and the app's own events on
the account's default bus. One client for both."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sagemaker_autoscaler.aws import make_client

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient


class EventBridge:
    def __init__(self, client: EventBridgeClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> EventBridgeClient:
        if self._client is None:
            self._client = make_client("events")
        return self._client

    def disable(self, names: Iterable[str]) -> None:
        for name in names:
            self.client.disable_rule(Name=name)

    def put_events(self, entries: Sequence[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
        """Put one batch on the default bus; the entries EventBridge refused, each with its error code.

        PutEvents answers 200 even when entries fail: each failed one carries an ErrorCode in the answer,
        at its own index (the answer lists as many entries as the request)."""
        answer = self.client.put_events(Entries=list(entries))  # type: ignore[arg-type]
        if not answer.get("FailedEntryCount"):
            return []
        return [
            (entry, str(result.get("ErrorCode")))
            for entry, result in zip(entries, answer["Entries"], strict=False)
            if result.get("ErrorCode")
        ]
