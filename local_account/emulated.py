"""The emulated account's identity: the one account id and Region every part of the local account uses.

moto answers for account ``123456789012`` unless told otherwise, and the stack, its sample events and
the tests all live in ``eu-west-1``. Everything else (``moto_gaps``' helpers, the events the local
account publishes, the stack, the tests' fixtures) takes these two from here.
"""

from __future__ import annotations

ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"
