"""The artifact buckets' template, and what the StackSet template does with the reservation parameter."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from local_account.template import load_template
from stackset.translate import code_resources, to_cloudformation
from tests.stackset.conftest import BUCKETS_TEMPLATE, REGIONS
from tests.template.intrinsics import deployed

PERIODIC = "PeriodicReconcileFunction"


@pytest.fixture(scope="module")
def buckets() -> dict[str, Any]:
    return load_template(BUCKETS_TEMPLATE)


@pytest.fixture(scope="module")
def plain() -> dict[str, Any]:
    """template.yaml translated for the StackSet (keys made up: no build or upload needed here)."""
    template = load_template()
    keys = {name: f"sagemaker-autoscaler/{name}-0.zip" for name in code_resources(template)}
    return to_cloudformation(template, keys, "sagemaker-autoscaler-artifacts", "111122223333")


def test_cfn_lint_accepts_the_buckets_template() -> None:
    # Given / When the artifact buckets' template is linted, informational rules included
    matches = lint(BUCKETS_TEMPLATE.read_text(), config=ManualArgs(regions=REGIONS, include_checks=["I"]))

    # Then there is nothing to report
    assert [str(match) for match in matches] == []


def test_the_bucket_is_private_encrypted_versioned_and_named_for_its_region(buckets: dict[str, Any]) -> None:
    # Given the artifact bucket
    bucket = buckets["Resources"]["ArtifactBucket"]["Properties"]

    # When its settings are read
    block = bucket["PublicAccessBlockConfiguration"]

    # Then every public access is blocked, objects are encrypted and versioned, ACLs play no part, and
    # the name is the one the packaging command and the StackSet template derive
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert bucket["BucketName"] == {"Fn::Sub": "${BucketPrefix}-${AWS::AccountId}-${AWS::Region}"}


def test_only_the_organisation_may_read_and_only_over_tls(buckets: dict[str, Any]) -> None:
    # Given the bucket policy
    statements = buckets["Resources"]["ArtifactBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]

    # When its statements are split into allows and denies
    (allow,) = [statement for statement in statements if statement["Effect"] == "Allow"]
    (deny,) = [statement for statement in statements if statement["Effect"] == "Deny"]

    # Then the one allow is reading objects (no listing, no writing), for principals of the organisation
    assert allow["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert allow["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": {"Ref": "OrganizationId"}}}
    assert allow["Resource"] == {"Fn::Sub": "${ArtifactBucket.Arn}/*"}
    # and every request without TLS is refused, on the bucket and its objects
    assert deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert len(deny["Resource"]) == 2


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("o-abcdefghij", True),
        ("o-a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6", True),
        ("o-short", False),
        ("r-abcdefghij", False),
    ],
)
def test_the_organisation_id_must_look_like_one(buckets: dict[str, Any], value: str, accepted: bool) -> None:
    # Given the OrganizationId parameter's pattern
    pattern = buckets["Parameters"]["OrganizationId"]["AllowedPattern"]

    # When a value is matched (CloudFormation anchors nothing itself; the pattern does)
    # Then organisation ids pass and anything else is refused
    assert bool(re.fullmatch(pattern, value)) is accepted


def test_the_longest_bucket_prefix_still_gives_a_valid_bucket_name(buckets: dict[str, Any]) -> None:
    # Given the longest prefix the parameter allows, a 12-digit account and a long Region name
    pattern = buckets["Parameters"]["BucketPrefix"]["AllowedPattern"]
    longest = "a" * int(re.search(r"\{1,(\d+)\}", pattern)[1]) + "a"  # type: ignore[index]

    # When the bucket name is made from them
    name = f"{longest}-111122223333-ap-southeast-5"

    # Then S3's 63-character limit holds
    assert re.fullmatch(pattern, longest)
    assert len(name) <= 63


def test_the_stackset_template_reserves_one_periodic_run_by_default(plain: dict[str, Any]) -> None:
    # Given the StackSet template deployed with the default parameters
    function = deployed(plain)["Resources"][PERIODIC]["Properties"]

    # When its reservation is read
    # Then it is one
    assert function["ReservedConcurrentExecutions"] == 1


def test_the_stackset_template_reserves_nothing_with_none(plain: dict[str, Any]) -> None:
    # Given the StackSet template deployed with PeriodicReservedConcurrency=none (a low-quota account)
    function = deployed(plain, {"PeriodicReservedConcurrency": "none"})["Resources"][PERIODIC]["Properties"]

    # When its reservation is read
    # Then there is none (absent, not 0)
    assert "ReservedConcurrentExecutions" not in function


def test_the_stackset_template_names_no_account_region_or_iam_name(plain: dict[str, Any]) -> None:
    # Given the StackSet template, every resource's properties as text
    text = str(plain["Resources"])

    # When it is searched for what would tie it to one account or Region
    # Then no account other than the artifact bucket's, no Region, and no explicitly named role or policy
    # (a named IAM resource would collide between the Regions of one account)
    assert set(re.findall(r"\b\d{12}\b", text)) == {"111122223333"}
    assert not re.search(r"\b(eu|us|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b", text)
    for resource in plain["Resources"].values():
        assert "RoleName" not in resource.get("Properties", {})
        assert "ManagedPolicyName" not in resource.get("Properties", {})
    assert not [
        r
        for r in plain["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and "FunctionName" in r["Properties"]
    ]


def test_the_trail_is_off_unless_asked_for(plain: dict[str, Any]) -> None:
    # Given the StackSet template deployed with the default parameters (the organisation trail is a
    # prerequisite of the StackSet rollout)
    resources = deployed(plain)["Resources"]

    # When its resources are listed
    # Then it creates no trail and no trail bucket in the member account
    assert not [
        name for name, r in resources.items() if r["Type"] in ("AWS::CloudTrail::Trail", "AWS::S3::Bucket")
    ]


def test_the_layer_arn_parameter_resolves_in_each_account(plain: dict[str, Any]) -> None:
    # Given the Powertools layer parameter of the StackSet template
    parameter = plain["Parameters"]["PowertoolsLayerArn"]

    # When its type is read
    # Then CloudFormation reads the public SSM parameter in each stack instance's own account and Region
    assert parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert parameter["Default"].startswith("/aws/service/powertools/python/arm64/python3.13/")


def test_the_package_script_is_valid_bash() -> None:
    # Given / When the wrapper is read
    script = Path(__file__).resolve().parents[2] / "scripts" / "package_stackset.sh"

    # Then bash parses it, and it runs the module with its arguments after the bootstrap
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
    text = script.read_text()
    assert "scripts/bootstrap.sh" in text
    assert 'exec python -m stackset.package "$@"' in text
