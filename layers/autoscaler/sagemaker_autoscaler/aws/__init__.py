"""One module per AWS service. Each owns its client, created on first use (never at import time)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

# Throttling and transient server errors are absorbed here, once, by botocore's standard retry mode
# (exponential backoff with jitter), rather than by hand-written loops.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 8},
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


def _quota_is_final(response: Any = None, **_: Any) -> bool | None:
    """A ``needs-retry`` hook: ``False`` (do not retry) for a quota error, ``None`` (no opinion) else."""
    if isinstance(response, tuple) and len(response) == 2 and error_code(response[1]) in QUOTA_ERROR_CODES:
        return False
    return None


def make_client(service: str, session: boto3.session.Session | None = None, **options: Any) -> Any:
    """A client with the project's retry configuration; quota errors are never retried. ``session`` and
    ``options`` (region_name, endpoint_url) serve the command-line tool; Lambda uses the defaults."""
    factory: Any = session.client if session is not None else boto3.client
    client = factory(service, config=CLIENT_CONFIG, **options)
    service_event = client.meta.service_model.service_id.hyphenize()
    # Registered first: botocore takes the first answer that is not None, so this one decides.
    client.meta.events.register_first(f"needs-retry.{service_event}", _quota_is_final)
    return client
