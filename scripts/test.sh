#!/usr/bin/env bash
# The project's test command: lint, format check, types, template checks, build, then the tests.
# Any failing step fails the script. Extra arguments go to pytest (e.g. scripts/test.sh -k rules).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/bootstrap.sh

export PYTHONDONTWRITEBYTECODE=1
# shellcheck source=scripts/sam_offline.sh
source scripts/sam_offline.sh

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
