# Sourced (not run) by scripts/test.sh and scripts/package_stackset.sh, from the repository root, after
# scripts/bootstrap.sh: .venv's tools first on PATH, and SAM CLI offline (no telemetry, and no weekly
# "newer version?" request to PyPI: the check is skipped when SAM's metadata says it just ran, so SAM
# gets a private config folder saying so).
export PATH="$PWD/.venv/bin:$PATH"
export SAM_CLI_TELEMETRY=0
export __SAM_CLI_APP_DIR="$PWD/.venv/sam-cli"
mkdir -p "$__SAM_CLI_APP_DIR"
python -c 'import json, sys, time; json.dump({"telemetryEnabled": False, "lastVersionCheck": time.time()}, open(sys.argv[1], "w"))' \
    "$__SAM_CLI_APP_DIR/metadata.json"
