#!/usr/bin/env bash
# The project's demo command: run sagemaker-autoscaler against the local emulated account.
# Arguments go to the demo (try scripts/demo.sh --help).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/bootstrap.sh

# The same import paths as the tests: the repository root and the layer as Lambda mounts it.
export PYTHONPATH="$repo_root:$repo_root/layers/autoscaler:$repo_root/cli${PYTHONPATH:+:$PYTHONPATH}"
exec .venv/bin/python -m local_account.demo "$@"
