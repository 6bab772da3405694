"""What every path of the engine works with: the settings, one adapter per AWS service, the journal and
the clock. Built once per Lambda container (``environment``) or by the command-line tool."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from msgspec import Struct, field

from sagemaker_autoscaler.aws.autoscaling import AutoScaling
from sagemaker_autoscaler.aws.cloudwatch import CloudWatch
from sagemaker_autoscaler.aws.events import EventBridge
from sagemaker_autoscaler.aws.sagemaker import SageMaker
from sagemaker_autoscaler.aws.sqs import Queue
from sagemaker_autoscaler.aws.tagging import Tagging
from sagemaker_autoscaler.core.settings import Settings, WriteMode
from sagemaker_autoscaler.engine.apply import Applier
from sagemaker_autoscaler.engine.publishing import ChangePublisher
from sagemaker_autoscaler.telemetry.journal import Journal


class Dependencies(Struct):
    settings: Settings
    sagemaker: SageMaker = field(default_factory=SageMaker)
    autoscaling: AutoScaling = field(default_factory=AutoScaling)
    cloudwatch: CloudWatch = field(default_factory=CloudWatch)
    queue: Queue = field(default_factory=lambda: Queue(None))
    tagging: Tagging = field(default_factory=Tagging)
    events: EventBridge = field(default_factory=EventBridge)
    journal: Journal = field(default_factory=Journal)
    clock: Any = field(default=lambda: datetime.now(UTC))
    # Publishes the journal's changes and failures on the default bus (engine/publishing.py); None:
    # not published (PublishChangeEvents=false, and the command-line tool, which changes nothing).
    publisher: ChangePublisher | None = None

    @property
    def plan_only(self) -> bool:
        """WriteMode plan: do everything but write."""
        return self.settings.write_mode is WriteMode.PLAN

    def applier(self) -> Applier:
        return Applier(self.autoscaling, self.cloudwatch, self.sagemaker)
