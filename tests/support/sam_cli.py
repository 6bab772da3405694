"""The SAM CLI as the tests run it: offline, with the project's tools first on PATH."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def sam_environment(app_dir: Path) -> dict[str, str]:
    """SAM CLI offline: no telemetry, and metadata saying the version check has just run; this
    interpreter's folder (the virtualenv's tools, python3.13 for the layer's Makefile) first on PATH."""
    app_dir.mkdir(parents=True, exist_ok=True)
    (app_dir / "metadata.json").write_text(
        json.dumps({"telemetryEnabled": False, "lastVersionCheck": time.time()})
    )
    tools = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
        "SAM_CLI_TELEMETRY": "0",
        "__SAM_CLI_APP_DIR": str(app_dir),
    }
