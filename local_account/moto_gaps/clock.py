"""The emulator's clock.

WHY: the gap layer models time-dependent state (an inference component leaving
``Creating``).  It reads the same source moto reads, ``datetime.datetime.now``, looked up at
call time so that ``freezegun`` can move it in tests without any sleeping.
"""

from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    """Current time, timezone-aware UTC."""
    return _dt.datetime.now(_dt.UTC)
