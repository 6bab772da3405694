#!/usr/bin/env bash
# The organisation-wide package for a service-managed StackSet (README, "Every account of an
# organisation"). Needs the artifact account's credentials and its buckets (templates/artifact-buckets.yaml
# deployed in every target Region). Arguments go to python -m stackset.package, e.g.
#   scripts/package_stackset.sh --regions eu-west-1,us-east-1 [--bucket-prefix P] [--build-dir .aws-sam/build]
# It prints the template URL for create-stack-set; template.json and manifest.json go to out/stackset/.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

scripts/bootstrap.sh

# shellcheck source=scripts/sam_offline.sh
source scripts/sam_offline.sh

# The same import paths as the tests: the repository root, the layer, the command-line tool.
export PYTHONPATH="$repo_root:$repo_root/layers/autoscaler:$repo_root/cli${PYTHONPATH:+:$PYTHONPATH}"
# Steps, each announced as it starts: sam build (skipped with --build-dir), one reproducible zip per
# function and layer, the SAM translation to plain CloudFormation with its checks, then the uploads to
# every Region's bucket (objects already there under the same content-hash key are not sent again).
exec python -m stackset.package "$@"
