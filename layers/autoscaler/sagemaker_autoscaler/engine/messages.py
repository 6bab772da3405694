"""The events function's messages: one message in, one reconcile, one outcome out."""

from __future__ import annotations

import json

from msgspec import Struct
from msgspec.structs import replace

from sagemaker_autoscaler.core.events import (
    Hint,
    Ignored,
    MalformedEvent,
    ResourceType,
    parse_message,
    recheck_message,
)
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.event_path import reconcile_endpoint, reconcile_inference_component
from sagemaker_autoscaler.engine.names import resolve_component_name, resolve_endpoint_name
from sagemaker_autoscaler.engine.outcome import Outcome, Status
from sagemaker_autoscaler.telemetry.journal import MetricName
from sagemaker_autoscaler.telemetry.powertools import logger


class GaveUpWaiting(RuntimeError):
    """A resource stayed in a transitional state for every allowed recheck.

    Raised (not swallowed) so the message fails and SQS's own retries and dead-letter queue take over:
    the event is never silently dropped.
    """


class MessageResult(Struct, frozen=True):
    outcome: str  # rejected | ignored | changed | unchanged | waiting | left-alone | quota
    detail: str
    writes: int = 0


def _event_id_of(body: str) -> str | None:
    try:
        event = json.loads(body)
    except (ValueError, TypeError, RecursionError):
        return None
    event_id = event.get("id") if isinstance(event, dict) else None
    return event_id if isinstance(event_id, str) else None


def reconcile_hint(hint: Hint, deps: Dependencies) -> Outcome:
    """Reconcile the named resource; after any write, settle it.

    Two events for one resource can be handled at the same time (a tag change while the IN_SERVICE event
    is being applied, a delete while the create is). Events carry no ordering, so the older plan may land
    last. After writing, the app reads the tags the plan was made from again (a resource deleted meanwhile
    has none any more); if they moved, a second pass puts back the current truth.
    """
    is_endpoint = hint.resource_type is ResourceType.ENDPOINT
    reconcile = reconcile_endpoint if is_endpoint else reconcile_inference_component
    first = reconcile(hint.name, deps)
    if first.status is not Status.CHANGED or first.fingerprint is None or deps.plan_only:
        return first
    if not first.fingerprint.moved(deps):
        return first
    settled = reconcile(hint.name, deps)
    logger.info("a concurrent change was settled by a second pass", extra={"writes": settled.writes})
    return Outcome(first.status, first.detail, first.writes + settled.writes, settled.fingerprint)


def handle_message(body: str, deps: Dependencies) -> MessageResult:
    """Handle one queue message. Malformed input is logged and dropped (retrying cannot fix it); AWS
    errors propagate so the message is retried and, in the end, dead-lettered."""
    deps.journal.count(MetricName.MESSAGES)
    # One message, one correlation id: never let the previous record's id leak into this one's lines.
    logger.set_correlation_id(_event_id_of(body))
    try:
        hint = parse_message(body)
    except MalformedEvent as error:
        logger.error("rejected malformed event", extra={"error": str(error), "outcome": "rejected"})
        deps.journal.count(MetricName.MALFORMED_EVENTS)
        return MessageResult("rejected", str(error))
    logger.set_correlation_id(hint.event_id)
    if isinstance(hint, Ignored):
        logger.info("ignored event", extra={"reason": hint.reason, "outcome": "ignored"})
        deps.journal.count(MetricName.IGNORED_EVENTS)
        return MessageResult("ignored", hint.reason)

    logger.append_keys(resource=f"{hint.resource_type.value}/{hint.name}", trigger=hint.trigger)
    try:
        try:
            hint = resolve_name(hint, deps)
            outcome = reconcile_hint(hint, deps)
            if outcome.status is Status.WAITING:
                _schedule_recheck(hint, outcome, deps)
        except Exception as error:
            # The message fails and SQS retries it (then dead-letters it): say so at ERROR, with a metric.
            deps.journal.count(MetricName.FAILED_MESSAGES)
            logger.error(
                f"{hint.resource_type.value} {hint.name}: failed, will be retried",
                extra={"outcome": "failed", "error": f"{type(error).__name__}: {error}"},
            )
            raise
        logger.info(
            f"{hint.resource_type.value} {hint.name}: {outcome.status.value}",
            extra={"outcome": outcome.status.value, "detail": outcome.detail, "writes": outcome.writes},
        )
        return MessageResult(outcome.status.value, outcome.detail, outcome.writes)
    finally:
        logger.remove_keys(["resource", "trigger"])


def resolve_name(hint: Hint, deps: Dependencies) -> Hint:
    """A name read from an ARN is lower case; SageMaker reads and Application Auto Scaling ids need the
    name as it was created."""
    if not hint.from_arn:
        return hint
    is_endpoint = hint.resource_type is ResourceType.ENDPOINT
    name = (resolve_endpoint_name if is_endpoint else resolve_component_name)(hint.name, deps)
    if name != hint.name:
        logger.append_keys(resource=f"{hint.resource_type.value}/{name}")
        logger.info(
            "resolved the name read from the ARN", extra={"name_in_arn": hint.name, "resolved_name": name}
        )
    return replace(hint, name=name, from_arn=False)


def _schedule_recheck(hint: Hint, outcome: Outcome, deps: Dependencies) -> None:
    settings = deps.settings
    if hint.attempt >= settings.recheck_max_attempts:
        deps.journal.count(MetricName.RECHECK_GAVE_UP)
        raise GaveUpWaiting(
            f"{hint.resource_type.value} {hint.name} still not ready after {hint.attempt} rechecks "
            f"({outcome.detail})"
        )
    deps.queue.send_later(recheck_message(hint, deps.clock()), settings.recheck_delay_seconds)
    deps.journal.count(MetricName.RECHECKS)
    deps.journal.decision(
        f"{hint.resource_type.value}/{hint.name}",
        "waiting",
        f"{outcome.detail}: recheck {hint.attempt + 1} of {settings.recheck_max_attempts} "
        f"in {settings.recheck_delay_seconds} s",
    )
    logger.info(
        "scheduled a recheck",
        extra={"attempt": hint.attempt + 1, "delay_seconds": settings.recheck_delay_seconds},
    )
