"""Wrap the EventBridge samples in ``events/eventbridge/`` into SQS events for ``sam local invoke``.

The function is fed by an SQS queue that the EventBridge rules deliver to, so what it receives is an
SQS batch whose record bodies are the EventBridge events as JSON strings. The raw samples are the
source of truth (tests match them against the rule patterns); the wrapped files are derived from
them here so the two never drift.

    python events/make_sqs_events.py          # (re)write events/<name>.json
    python events/make_sqs_events.py --check  # exit 1 if any wrapped file is missing or stale

Samples named ``unmatched-*`` are not wrapped: no rule delivers them to the queue.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parent
RAW_DIR = EVENTS_DIR / "eventbridge"
UNMATCHED_PREFIX = "unmatched-"
# Files in events/ that are not generated from a sample.
NOT_GENERATED = frozenset({"env.json"})
QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:sagemaker-autoscaler-ScalingEventsQueue-EXAMPLE"
# SenderId of EventBridge when it delivers to an SQS target (an AWS-owned principal id).
EVENTBRIDGE_SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"
# Fixed namespace so that message ids are stable from one generation to the next.
MESSAGE_ID_NAMESPACE = uuid.UUID("0b7c2a4e-5d1f-4c3b-9e8a-6f2d1c0b9a87")


def _epoch_millis(event_time: str) -> int:
    """The envelope ``time`` is ISO-8601, but one documented sample uses epoch milliseconds."""
    if event_time.isdigit():
        return int(event_time)
    return int(datetime.fromisoformat(event_time.replace("Z", "+00:00")).timestamp() * 1000)


def wrap(name: str, event: dict[str, Any]) -> dict[str, Any]:
    """The SQS event Lambda would receive for ``event`` delivered alone in a batch."""
    body = json.dumps(event, separators=(",", ":"))
    sent = _epoch_millis(str(event["time"])) + 250  # delivery lag, for realism only
    message_id = uuid.uuid5(MESSAGE_ID_NAMESPACE, name)
    return {
        "Records": [
            {
                "messageId": str(message_id),
                "receiptHandle": f"AQEB{message_id.hex}{hashlib.sha256(name.encode()).hexdigest()[:24]}==",
                "body": body,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": str(sent),
                    "SenderId": EVENTBRIDGE_SENDER_ID,
                    "ApproximateFirstReceiveTimestamp": str(sent + 40),
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": QUEUE_ARN.split(":")[3],
            }
        ]
    }


def expected_files() -> dict[Path, str]:
    """Every wrapped file this script writes, with its exact content."""
    files: dict[Path, str] = {}
    for raw in sorted(RAW_DIR.glob("*.json")):
        if raw.name.startswith(UNMATCHED_PREFIX):
            continue
        event = json.loads(raw.read_text())
        files[EVENTS_DIR / raw.name] = json.dumps(wrap(raw.stem, event), indent=2) + "\n"
    return files


def orphan_files() -> list[Path]:
    """Wrapped files left behind by a sample that was renamed or removed."""
    expected = expected_files()
    return sorted(
        path for path in EVENTS_DIR.glob("*.json") if path.name not in NOT_GENERATED and path not in expected
    )


def stale_files() -> list[Path]:
    """Wrapped files that are missing, differ from what ``expected_files`` would write, or are orphans."""
    changed = [
        path for path, text in expected_files().items() if not path.exists() or path.read_text() != text
    ]
    return changed + orphan_files()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.relative_to(EVENTS_DIR.parent)}", file=sys.stderr)
        if stale:
            print("run: python events/make_sqs_events.py", file=sys.stderr)
        return 1 if stale else 0
    for path in orphan_files():
        path.unlink()
    for path, text in expected_files().items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
