"""Fixtures of the StackSet packaging tests: one `sam build` per test session, and the emulated
account's artifact buckets deployed from templates/artifact-buckets.yaml."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import boto3
import pytest

from local_account.template import TEMPLATE_PATH
from stackset.package import sam_build
from tests.support.sam_cli import sam_environment

REPO_ROOT = Path(__file__).resolve().parents[2]
BUCKETS_TEMPLATE = REPO_ROOT / "templates" / "artifact-buckets.yaml"
REGIONS = ["eu-west-1", "us-east-1"]
ORGANIZATION_ID = "o-exampleorg1"


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """template.yaml built by `sam build` (about 5 s, offline) once per test process."""
    scratch = tmp_path_factory.mktemp("stackset-build")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in sam_environment(scratch / "sam-cli").items():
            patch.setenv(name, value)
        sam_build(TEMPLATE_PATH, scratch / "build")
    return scratch / "build"


def deploy_artifact_buckets(regions: list[str]) -> dict[str, Any]:
    """templates/artifact-buckets.yaml deployed in each Region of the emulated account, as the README's
    `aws cloudformation deploy` does (moto's CloudFormation creates the bucket; it ignores the policy,
    versioning and public access block, which tests check on the template itself)."""
    outputs = {}
    with warnings.catch_warnings():
        # moto says once per stack that it skips AWS::S3::BucketPolicy: known, see the docstring.
        warnings.filterwarnings("ignore", message=".*AWS::S3::BucketPolicy", category=UserWarning)
        for region in regions:
            outputs[region] = _deploy(region)
    return outputs


def _deploy(region: str) -> dict[str, str]:
    cloudformation = boto3.client("cloudformation", region_name=region)
    cloudformation.create_stack(
        StackName="sagemaker-autoscaler-artifacts",
        TemplateBody=BUCKETS_TEMPLATE.read_text(),
        Parameters=[{"ParameterKey": "OrganizationId", "ParameterValue": ORGANIZATION_ID}],
    )
    (stack,) = cloudformation.describe_stacks(StackName="sagemaker-autoscaler-artifacts")["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
