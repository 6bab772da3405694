#!/usr/bin/env bash
# The project's test command: lint, format check, types, template checks, build, then the tests.
# Any failing step fails the script. Extra arguments go to pytest (e.g. scripts/test.sh -k rules).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/bootstrap.sh

export PATH="$repo_root/.venv/bin:$PATH"
export PYTHONDONTWRITEBYTECODE=1

# SAM CLI offline: no telemetry, and no weekly "newer version?" request to PyPI. The check is
# skipped when SAM's metadata says it just ran, so SAM gets a private config folder saying so.
export SAM_CLI_TELEMETRY=0
export __SAM_CLI_APP_DIR="$repo_root/.venv/sam-cli"
mkdir -p "$__SAM_CLI_APP_DIR"
python -c 'import json, sys, time; json.dump({"telemetryEnabled": False, "lastVersionCheck": time.time()}, open(sys.argv[1], "w"))' \
    "$__SAM_CLI_APP_DIR/metadata.json"

step() { printf '==> %s\n' "$*"; }

step "ruff check"
ruff check --quiet .

step "ruff format --check"
ruff format --check --quiet .

step "mypy"
mypy

step "cfn-lint template.yaml templates/*.yaml"
cfn-lint template.yaml templates/*.yaml

step "sam validate --lint"
sam validate --lint --region eu-west-1

step "sam build"
mkdir -p .aws-sam
if ! sam build --region eu-west-1 --build-dir .aws-sam/build >.aws-sam/build.log 2>&1; then
    cat .aws-sam/build.log >&2
    echo "sam build failed" >&2
    exit 1
fi

step "pytest"
status=0
python -m pytest -n 2 "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure here" >&2
    exit 1
fi
exit "$status"
