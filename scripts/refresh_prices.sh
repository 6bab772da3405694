#!/usr/bin/env bash
# Refresh the price snapshot (layers/autoscaler/sagemaker_autoscaler/data/prices.json) from AWS's Price
# List Query API, with the usual AWS credentials (pricing:GetProducts). Arguments go to the script:
#   scripts/refresh_prices.sh --regions eu-west-1,us-east-1 --instance-types ml.g5.12xlarge,ml.g5.2xlarge
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
scripts/bootstrap.sh
exec .venv/bin/python -m sagemaker_autoscaler_cli.refresh_prices "$@"
