"""Moved to ``tests/support``: ``run_reconcile`` to ``functions.py``, ``build_account`` to ``builders.py``.
``run_reconcile`` stays importable from here for tests/safety and tests/cli, which import it by this name."""

from __future__ import annotations

from tests.support.functions import run_reconcile

__all__ = ["run_reconcile"]
