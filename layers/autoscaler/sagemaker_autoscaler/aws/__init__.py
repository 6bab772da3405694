"""One module per AWS service. Each owns its client, created on first use (never at import time).

The clients come from botocore, the SDK's core, not from boto3: boto3 adds resources, S3 transfers and
their documentation, none of which the app uses, and importing it costs a cold start 0.06x to 0.12x of
`import boto3` more than botocore's session alone (bench/bench_cold_start.py, across runs). The session
module is imported here, at import time, so that the first client pays nothing a boto3 client would not.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import botocore.session
from botocore.config import Config
from botocore.retries import standard

if TYPE_CHECKING:
    import boto3

MAX_ATTEMPTS = 8
# Throttling and transient server errors are absorbed here, once, by botocore's standard retry mode
# (exponential backoff with jitter), rather than by hand-written loops.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    user_agent_extra="sagemaker-autoscaler",
)

# Error codes that standard mode retries as throttling but that are quotas here: Application Auto
# Scaling answers LimitExceededException when an account has 500 scalable targets of a resource type, or
# a target has 50 policies or 200 scheduled actions. Waiting does not lift a quota, and eight attempts
# with backoff cost about 30 s per resource, so they fail at the first answer.
QUOTA_ERROR_CODES = frozenset({"LimitExceededException"})


def error_code(response: Any) -> str:
    """The error code of a parsed AWS response (or of a ClientError's ``response``), else ''."""
    if not isinstance(response, dict):
        return ""
    return str(response.get("Error", {}).get("Code", ""))


class QuotaAwareRetries:
    """botocore's standard retry handler, except that a quota error is never retried.

    It stands in the place of the standard handler rather than beside it: the standard handler is not
    even asked about a quota error, so such an error neither spends the client's retry budget (which
    would leave real throttling unretried later) nor depends on how a botocore version reads another
    handler's answer. ``None`` means "no retry" to every version."""

    def __init__(self, standard_handler: Any) -> None:
        self._standard = standard_handler

    def needs_retry(self, **kwargs: Any) -> Any:
        response = kwargs.get("response")
        if (
            isinstance(response, tuple)
            and len(response) == 2
            and error_code(response[1]) in QUOTA_ERROR_CODES
        ):
            return None
        return self._standard.needs_retry(**kwargs)


def _quota_errors_are_final(client: Any) -> None:
    events = client.meta.events
    service_event = client.meta.service_model.service_id.hyphenize()
    event, unique_id = f"needs-retry.{service_event}", f"retry-config-{service_event}"
    # botocore registers its standard handler under this id when it creates the client; a handler of
    # the same configuration is made again (the public way to get hold of one) and wrapped.
    events.unregister(event, unique_id=unique_id)
    handler = standard.register_retry_handler(client, max_attempts=MAX_ATTEMPTS)
    events.unregister(event, unique_id=unique_id)
    events.register(event, QuotaAwareRetries(handler).needs_retry, unique_id=unique_id)


@functools.cache
def default_session() -> botocore.session.Session:
    """The process's botocore session, made on the first client. Region, credentials and endpoint come
    from the environment, as boto3's default session would read them; a boto3 session built around it
    (``boto3.session.Session(botocore_session=default_session())``) shares its clients' event hooks."""
    return botocore.session.get_session()


def make_client(service: str, session: boto3.session.Session | None = None, **options: Any) -> Any:
    """A client with the project's retry configuration; quota errors are never retried. ``session`` and
    ``options`` (region_name, endpoint_url) serve the command-line tool; Lambda uses the defaults."""
    factory: Any = session.client if session is not None else default_session().create_client
    client = factory(service, config=CLIENT_CONFIG, **options)
    _quota_errors_are_final(client)
    return client
