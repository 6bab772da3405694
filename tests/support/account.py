"""The emulated account every AWS test runs against: moto in-process with the gap layer
(``local_account/moto_gaps``), reached through one boto3 session per test process.

The session is shared because a new one loads every service model again for each client it makes (about
ten times the cost of a client from a warm session, and a test with the stack makes a dozen clients).
Sharing it changes nothing a test can see: moto's backends are emptied for each account, the call
recorder is registered for one account and removed after it, and the fault injector
(``tests/support/faults.py``) puts back what it changed in its own teardown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from moto import mock_aws

from local_account import moto_gaps
from sagemaker_autoscaler import aws
from tests.support.recording import CallRecorder

_RECORDER_ID = "tests-call-recorder"
_sessions: list[boto3.session.Session] = []


def shared_session() -> boto3.session.Session:
    """This process's boto3 session, made the default one, around the app's botocore session: the app's
    clients and the tests' share one session and its event hooks."""
    if not _sessions:
        _sessions.append(boto3.session.Session(botocore_session=aws.default_session()))
    boto3.DEFAULT_SESSION = _sessions[0]
    return _sessions[0]


@contextmanager
def emulated_account() -> Iterator[CallRecorder]:
    """A fresh, empty emulated account for the block, with the gap layer at its default settings; the
    recorder sees every call made by a client of the default session while the block runs."""
    moto_gaps.install()
    try:
        with mock_aws():
            session = shared_session()
            recorder = CallRecorder()
            session.events.register("before-call.*.*", recorder, unique_id=_RECORDER_ID)
            try:
                yield recorder
            finally:
                session.events.unregister("before-call.*.*", unique_id=_RECORDER_ID)
    finally:
        moto_gaps.reset()
