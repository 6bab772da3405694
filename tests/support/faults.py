"""Fault injection for the app's AWS calls, on the default boto3 session of an emulated account.

Two layers, because they are two different failures:

* **Transport faults** (``fail_randomly``): the HTTP response of one *attempt* is replaced by a
  ``ThrottlingException`` (400), ``InternalFailure`` (500) or ``ServiceUnavailable`` (503) before it
  reaches botocore. This is done in ``before-send``, where moto's own stubber answers requests: the
  injector takes the stubber's place in the session's event emitter and either answers with the fault
  or delegates to it. The fault then goes through botocore's parser *and its standard retry mode*
  (the app's clients allow 8 attempts in all), exactly as a throttled or failed request to AWS would.
  A ``before-call`` short-circuit would not do: ``BaseClient._make_api_call`` returns a ``before-call``
  response (or lets its exception out) without ever reaching the endpoint's ``needs-retry`` loop, so
  botocore would never retry it; it would model "every attempt failed", which is the other layer.
  ``LOST_RESPONSE`` is the nasty variant: the service applies the request, then the response is a 500,
  and botocore retries a write that already happened.
  Backoff delays are recorded in ``backoff_seconds`` and not slept (no real sleeping in tests).
* **Call faults** (``fail_call``): the app's *n*-th call of an operation raises a ``ClientError`` from
  ``before-call``, i.e. what the app sees once botocore has given up (or for a non-retryable error).

``before_call`` runs a callback just before the app's *n*-th call of an operation (for races: delete a
resource between the app's read and its write, or deliver a second event in the middle of a first).

Only the app's clients are affected: they carry ``user_agent_extra="sagemaker-autoscaler"`` (see
``sagemaker_autoscaler/aws/__init__.py``), and the injector is switched on only inside ``active()``.
Clients copy the session's event handlers when they are created, so ``install()`` must run before the
app creates its clients (``EmulatedStack.reset_dependencies()`` makes it create new ones).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from botocore.retries.standard import ExponentialBackoff
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber

from local_account.emulated import REGION
from local_account.stack import describe_scaling
from tests.support.account import shared_session

APP_USER_AGENT = "sagemaker-autoscaler"


@dataclass(frozen=True)
class FaultKind:
    code: str
    status: int
    message: str
    applied: bool = False  # the service did the work before the response was lost


THROTTLING = FaultKind("ThrottlingException", 400, "Rate exceeded")
INTERNAL_FAILURE = FaultKind("InternalFailure", 500, "An internal error occurred")
SERVICE_UNAVAILABLE = FaultKind("ServiceUnavailable", 503, "Service is unavailable, try again later")
LOST_RESPONSE = FaultKind("InternalFailure", 500, "An internal error occurred after the change", True)
TRANSIENT = (THROTTLING, INTERNAL_FAILURE, SERVICE_UNAVAILABLE)


@dataclass
class Injected:
    service: str
    operation: str
    code: str
    layer: str  # "send" (one attempt, botocore retries) or "call" (the app sees the error)


@dataclass
class _CallRule:
    operation: str
    nth: int
    code: str
    message: str
    times: int
    seen: int = 0


@dataclass
class _RequestRule:
    operation: str
    matching: dict[str, Any]
    code: str
    message: str


@dataclass
class _Hook:
    operation: str
    nth: int
    action: Callable[[], None]
    seen: int = 0
    fired: bool = False


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    if len(data) < 24:
        return bytes([0x60 | len(data)]) + data
    if len(data) < 256:
        return bytes([0x78, len(data)]) + data
    return bytes([0x79]) + len(data).to_bytes(2, "big") + data


def _error_body(protocol: str, kind: FaultKind) -> tuple[bytes, dict[str, str]]:
    if protocol == "smithy-rpc-v2-cbor":
        # A two-entry CBOR map {"__type": code, "message": text}: what CloudWatch's protocol sends.
        body = bytes([0xA2]) + b"".join(
            _cbor_text(part) for part in ("__type", kind.code, "message", kind.message)
        )
        return body, {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}
    if protocol in {"query", "ec2"}:
        xml = (
            f"<ErrorResponse><Error><Type>Receiver</Type><Code>{kind.code}</Code>"
            f"<Message>{kind.message}</Message></Error><RequestId>fault</RequestId></ErrorResponse>"
        )
        return xml.encode(), {"Content-Type": "text/xml"}
    body = json.dumps({"__type": kind.code, "message": kind.message}).encode()
    return body, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": kind.code}


def _client_error(operation: str, code: str, message: str, status: int = 500) -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, operation)


def _json_body(params: Any) -> dict[str, Any]:
    body = (params or {}).get("body")
    if isinstance(body, bytes | str) and body[:1] in ("{", b"{"):
        try:
            parsed = json.loads(body)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    return {}


@dataclass
class FaultInjector:
    """Switchable faults for the app's calls. Use ``with injector.active(): stack.drain()``."""

    seed: int = 0
    session: Any = None
    rate: float = 0.0
    kinds: Sequence[FaultKind] = TRANSIENT
    operations: frozenset[str] | None = None  # None: every operation
    enabled: bool = False
    calls: Counter[str] = field(default_factory=Counter)  # the app's logical calls, per operation
    injected: list[Injected] = field(default_factory=list)
    backoff_seconds: float = 0.0  # what botocore would have slept between attempts
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # the app's calls, JSON bodies
    attempts: Counter[str] = field(default_factory=Counter)  # the app's requests sent, retries included
    call_rate: float = 0.0
    call_kinds: Sequence[FaultKind] = TRANSIENT
    _random: random.Random = field(init=False)
    _rules: list[_CallRule] = field(default_factory=list)
    _request_rules: list[_RequestRule] = field(default_factory=list)
    _hooks: list[_Hook] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    # Set-up --------------------------------------------------------------------------------------------

    def install(self) -> FaultInjector:
        """Take moto's stubber's place in the session's ``before-send`` and watch ``before-call``."""
        if self.session is None:
            self.session = shared_session()
        events = self.session.events
        events.unregister("before-send", botocore_stubber)
        events.register("before-send", self._before_send, unique_id="fault-injector-send")
        events.register("before-call.*.*", self._before_call, unique_id="fault-injector-call")
        return self

    def uninstall(self) -> None:
        events = self.session.events
        events.unregister("before-send", unique_id="fault-injector-send")
        events.unregister("before-call.*.*", unique_id="fault-injector-call")
        events.register("before-send", botocore_stubber)

    @contextmanager
    def active(self) -> Iterator[FaultInjector]:
        """Faults apply only inside this block (while the product runs), and backoff is not slept."""
        original = ExponentialBackoff.delay_amount

        def no_sleep(backoff: ExponentialBackoff, context: Any) -> float:
            self.backoff_seconds += float(original(backoff, context))
            return 0

        self.enabled = True
        try:
            with mock.patch.object(ExponentialBackoff, "delay_amount", no_sleep):
                yield self
        finally:
            self.enabled = False

    # What to break -------------------------------------------------------------------------------------

    def fail_randomly(
        self,
        rate: float,
        kinds: Sequence[FaultKind] = TRANSIENT,
        operations: Sequence[str] | None = None,
    ) -> FaultInjector:
        """Fail this share of the app's request attempts (seeded), botocore retrying as it would."""
        self.rate, self.kinds = rate, tuple(kinds)
        self.operations = frozenset(operations) if operations is not None else None
        return self

    def fail_calls_randomly(self, rate: float, kinds: Sequence[FaultKind] = TRANSIENT) -> FaultInjector:
        """Fail this share of the app's calls outright (seeded): every botocore attempt failed."""
        self.call_rate, self.call_kinds = rate, tuple(kinds)
        return self

    def fail_call(
        self,
        operation: str,
        nth: int = 1,
        code: str = "InternalFailure",
        message: str = "injected failure: every attempt failed",
        times: int = 1,
    ) -> FaultInjector:
        """The app's ``nth`` call of ``operation`` (and the ``times - 1`` after it) raise ClientError."""
        self._rules.append(_CallRule(operation, nth, code, message, times))
        return self

    def fail_requests(
        self,
        operation: str,
        matching: dict[str, Any],
        code: str = "AccessDeniedException",
        message: str = "injected failure for this resource",
    ) -> FaultInjector:
        """Every app call of ``operation`` whose request has these parameters raises ClientError (one
        resource's reads or writes fail, whatever order the app takes them in)."""
        self._request_rules.append(_RequestRule(operation, dict(matching), code, message))
        return self

    def before_call(self, operation: str, action: Callable[[], None], nth: int = 1) -> FaultInjector:
        """Run ``action`` once, just before the app's ``nth`` call of ``operation`` is sent."""
        self._hooks.append(_Hook(operation, nth, action))
        return self

    def count(self, code: str | None = None) -> int:
        return sum(1 for fault in self.injected if code is None or fault.code == code)

    # Event handlers ------------------------------------------------------------------------------------

    @staticmethod
    def _is_app(headers: Any) -> bool:
        agent = headers.get("User-Agent", "") if headers is not None else ""
        if isinstance(agent, bytes):
            agent = agent.decode()
        return APP_USER_AGENT in agent

    def _before_call(self, model: Any, params: Any = None, **_: Any) -> None:
        if not self.enabled or not self._is_app((params or {}).get("headers")):
            return
        operation = model.name
        self.calls[operation] += 1
        body = _json_body(params)
        self.requests.append((operation, body))
        for request_rule in self._request_rules:
            wanted = request_rule.matching.items()
            if request_rule.operation == operation and all(body.get(k) == v for k, v in wanted):
                service = model.service_model.service_name
                self.injected.append(Injected(service, operation, request_rule.code, "call"))
                raise _client_error(operation, request_rule.code, request_rule.message, 400)
        for hook in self._hooks:
            if hook.operation == operation and not hook.fired:
                hook.seen += 1
                if hook.seen == hook.nth:
                    hook.fired = True  # before running it: the action may call the app again
                    hook.action()
        for rule in self._rules:
            if rule.operation != operation:
                continue
            rule.seen += 1
            if rule.nth <= rule.seen < rule.nth + rule.times:
                service = model.service_model.service_name
                self.injected.append(Injected(service, operation, rule.code, "call"))
                raise _client_error(operation, rule.code, rule.message)
        if self.call_rate and self._random.random() < self.call_rate:
            kind = self._random.choice(list(self.call_kinds))
            self.injected.append(Injected(model.service_model.service_name, operation, kind.code, "call"))
            raise _client_error(operation, kind.code, f"{kind.message} (every attempt failed)", kind.status)

    def requests_for(self, operation: str) -> list[dict[str, Any]]:
        return [body for name, body in self.requests if name == operation]

    def _before_send(self, event_name: str, request: Any, **kwargs: Any) -> Any:
        if self.enabled and self._is_app(request.headers):
            self.attempts[event_name.rsplit(".", 1)[-1]] += 1
        if not (self.enabled and self.rate > 0 and self._is_app(request.headers)):
            return botocore_stubber(event_name, request, **kwargs)
        _, service, operation = event_name.split(".", 2)
        if self.operations is not None and operation not in self.operations:
            return botocore_stubber(event_name, request, **kwargs)
        if self._random.random() >= self.rate:
            return botocore_stubber(event_name, request, **kwargs)
        kind = self._random.choice(list(self.kinds))
        if kind.applied:
            botocore_stubber(event_name, request, **kwargs)  # the work is done; its answer is lost
        body, headers = _error_body(self._protocol_of(request.headers), kind)
        self.injected.append(Injected(service, operation, kind.code, "send"))
        return AWSResponse(request.url, kind.status, headers, MockRawResponse(body))  # type: ignore[arg-type]

    @staticmethod
    def _protocol_of(headers: Any) -> str:
        """The wire protocol the client chose (CloudWatch offers several), read from the request."""
        content_type = headers.get("Content-Type", "") or ""
        if isinstance(content_type, bytes):
            content_type = content_type.decode()
        if "cbor" in content_type:
            return "smithy-rpc-v2-cbor"
        if "x-www-form-urlencoded" in content_type:
            return "query"
        return "json"


# Observing the result ------------------------------------------------------------------------------------


def scaling_state(region: str = REGION) -> dict[str, Any]:
    """``describe_scaling(full=True)``, the one account dump (``local_account/stack.py``), under the name
    tests/safety and tests/cli still import."""
    return describe_scaling(region=region, full=True)


OWNER_TAG = ("managed-by", "sagemaker-autoscaler")


def orphans(state: dict[str, Any], live_resource_ids: set[str]) -> list[str]:
    """What should never exist in ``describe_scaling(full=True)``: an alarm whose policy is gone, a policy
    or scheduled action without its target, and an app-owned target (or app alarm) for a resource that
    no longer exists."""
    found: list[str] = []
    targets = state["targets"]
    for name, alarm in state["alarms"].items():
        if not alarm["actions"] or any(
            a.startswith("dangling:") or a not in state["policies"] for a in alarm["actions"]
        ):
            found.append(f"alarm without its policy: {name} -> {alarm['actions']}")
        resource_id = name.removeprefix("sagemaker-autoscaler-").rsplit("/", 1)[0]
        if name.startswith("sagemaker-autoscaler-") and resource_id not in live_resource_ids:
            found.append(f"app alarm for a resource that is gone: {name}")
    for kind in ("policies", "scheduled_actions"):
        for key in state[kind]:
            if key.rsplit(":", 1)[0] not in targets:
                found.append(f"{kind} without its target: {key}")
    for resource_id, target in targets.items():
        if target["tags"].get(OWNER_TAG[0]) == OWNER_TAG[1] and resource_id not in live_resource_ids:
            found.append(f"app-owned target for a resource that is gone: {resource_id}")
    return found
