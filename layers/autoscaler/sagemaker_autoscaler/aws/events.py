"""EventBridge: the stack's own rules, switched off before an uninstall."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sagemaker_autoscaler.aws import make_client

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient


class EventRules:
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
