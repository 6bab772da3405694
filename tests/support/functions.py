"""The three functions invoked as AWS invokes them: the periodic reconcile by its schedule, the lifecycle
function by CloudFormation (its answer caught by a small HTTP server standing in for the pre-signed S3
ResponseURL), and the events function's message handling with a body as EventBridge delivers it to the
queue. (The events function's whole delivery path is ``EmulatedStack``: publish, then drain.)"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from local_account.emulated import ACCOUNT_ID, REGION
from local_account.stack import FakeLambdaContext, load_function

SCHEDULED_EVENT = {
    "version": "0",
    "source": "aws.events",
    "detail-type": "Scheduled Event",
    "account": ACCOUNT_ID,
    "time": "2026-03-02T09:00:00Z",
    "region": REGION,
    "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/sagemaker-autoscaler-reconcile"],
    "detail": {},
}

_periodic = load_function("periodic_reconcile")
_lifecycle = load_function("lifecycle")


def run_reconcile(remaining_ms: int = 900_000) -> dict[str, int]:
    """Invoke the periodic handler as the schedule would."""
    context = FakeLambdaContext(aws_request_id=str(uuid.uuid4()))
    context.get_remaining_time_in_millis = lambda: remaining_ms  # type: ignore[method-assign]
    result: dict[str, int] = _periodic.lambda_handler({**SCHEDULED_EVENT, "id": str(uuid.uuid4())}, context)
    return result


class ResponseCatcher:
    """Records the bodies CloudFormation would receive."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                length = int(self.headers["Content-Length"])
                catcher.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cfn-response"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def stack_event(request_type: str, response_url: str) -> dict[str, Any]:
    """CloudFormation's request to the Installation custom resource."""
    return {
        "RequestType": request_type,
        "ServiceToken": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:lifecycle",
        "ResponseURL": response_url,
        "StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT_ID}:stack/sagemaker-autoscaler/1",
        "RequestId": str(uuid.uuid4()),
        "LogicalResourceId": "Installation",
        "PhysicalResourceId": "sagemaker-autoscaler-installation",
        "ResourceType": "Custom::SageMakerAutoscalerInstallation",
        "ResourceProperties": {"ServiceToken": f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:x"},
    }


def invoke(
    request_type: str, cloudformation: ResponseCatcher, context: FakeLambdaContext | None = None
) -> dict[str, Any]:
    """Invoke the lifecycle handler as CloudFormation would, its answer going to ``cloudformation``."""
    result: dict[str, Any] = _lifecycle.lambda_handler(
        stack_event(request_type, cloudformation.url),
        context or FakeLambdaContext(aws_request_id=str(uuid.uuid4())),
    )
    return result


def as_event(entry: dict[str, Any], event_id: str | None = None) -> str:
    """A PutEvents entry as the queue message body EventBridge would deliver."""
    return json.dumps(
        {
            "version": "0",
            "id": event_id or str(uuid.uuid4()),
            "source": entry["Source"],
            "detail-type": entry["DetailType"],
            "account": ACCOUNT_ID,
            "time": "2026-03-03T20:30:00Z",
            "region": REGION,
            "resources": entry["Resources"],
            "detail": entry["Detail"],
        }
    )
