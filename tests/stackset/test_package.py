"""scripts/package_stackset.sh's work, end to end against the emulated account: the zips in every Region's
artifact bucket, and a transform-free template that names exactly those objects, Region by Region."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.api import ManualArgs, lint

from local_account.template import load_template
from stackset.package import main
from stackset.translate import check_plain_template, code_resources
from stackset.zips import deterministic_zip
from tests.stackset.conftest import REGIONS, deploy_artifact_buckets
from tests.support.recording import CallRecorder

ACCOUNT = "123456789012"  # moto's account: the artifact account here
BUCKET = {"Fn::Sub": f"sagemaker-autoscaler-artifacts-{ACCOUNT}-${{AWS::Region}}"}
CODE_PROPERTY = {"AWS::Lambda::Function": "Code", "AWS::Lambda::LayerVersion": "Content"}


def run_package(build_dir: Path, out: Path, *extra: str) -> dict[str, Any]:
    argv = ["--regions", ",".join(REGIONS), "--build-dir", str(build_dir), "--out", str(out), *extra]
    assert main(argv) == 0
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text())
    return manifest


def code_locations(template: dict[str, Any]) -> dict[str, Any]:
    return {
        name: resource["Properties"][CODE_PROPERTY[resource["Type"]]]
        for name, resource in template["Resources"].items()
        if resource["Type"] in CODE_PROPERTY
    }


@pytest.fixture
def packaged(aws: CallRecorder, build_dir: Path, tmp_path: Path) -> dict[str, Any]:
    """The artifact buckets deployed in both Regions, then the package made and uploaded."""
    deploy_artifact_buckets(REGIONS)
    manifest = run_package(build_dir, tmp_path / "out")
    manifest["template"] = json.loads((tmp_path / "out" / "template.json").read_text())
    return manifest


def test_the_template_is_plain_cloudformation_that_cfn_lint_accepts(packaged: dict[str, Any]) -> None:
    # Given the packaged template
    template = packaged["template"]
    text = json.dumps(template)

    # When it is searched for SAM and linted for two Regions, informational rules included
    matches = lint(text, config=ManualArgs(regions=REGIONS, include_checks=["I"]))

    # Then no transform, SAM type or property, nested stack or local path is left, and cfn-lint is silent
    assert "Transform" not in template
    assert not [
        name for name, r in template["Resources"].items() if r["Type"].startswith("AWS::Serverless::")
    ]
    assert not [
        name for name, r in template["Resources"].items() if r["Type"] == "AWS::CloudFormation::Stack"
    ]
    for word in ("CodeUri", "ContentUri", "functions/", "layers/autoscaler", "s3://"):
        assert word not in text
    assert [str(match) for match in matches] == []


def test_every_code_location_is_the_regions_own_bucket(packaged: dict[str, Any]) -> None:
    # Given the packaged template and the keys of the uploaded zips
    locations = code_locations(packaged["template"])

    # When the code locations of its functions and layer are read
    buckets = {json.dumps(location["S3Bucket"]) for location in locations.values()}
    keys = sorted(location["S3Key"] for location in locations.values())

    # Then there are four (three functions and the layer), all in the artifact account's bucket of the
    # Region the stack instance is in, each under the key of its own zip
    assert len(locations) == 4
    assert buckets == {json.dumps(BUCKET)}
    assert keys == sorted(packaged["code_keys"].values())


def test_each_region_holds_every_object_the_template_names(packaged: dict[str, Any]) -> None:
    # Given the packaged template
    keys = [location["S3Key"] for location in code_locations(packaged["template"]).values()]

    for region in REGIONS:
        # When each named object is read from that Region's bucket
        s3 = boto3.client("s3", region_name=region)
        bucket = f"sagemaker-autoscaler-artifacts-{ACCOUNT}-{region}"
        location = s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] or "us-east-1"
        bodies = {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}

        # Then the bucket is in that Region, and each object is a zip whose sha256 is in its key
        assert location == region
        for key, body in bodies.items():
            assert key.endswith(f"-{hashlib.sha256(body).hexdigest()}.zip")
            assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
        # and the template itself is there for --template-url
        template = s3.get_object(Bucket=bucket, Key=packaged["template_key"])["Body"].read()
        assert json.loads(template) == packaged["template"]
        assert packaged["template_urls"][region] == (
            f"https://{bucket}.s3.{region}.amazonaws.com/{packaged['template_key']}"
        )


def test_the_layer_zip_holds_the_built_layer(packaged: dict[str, Any], build_dir: Path) -> None:
    # Given the layer's zip as uploaded
    s3 = boto3.client("s3", region_name=REGIONS[0])
    body = s3.get_object(
        Bucket=f"sagemaker-autoscaler-artifacts-{ACCOUNT}-{REGIONS[0]}",
        Key=packaged["code_keys"]["AutoscalerLayer"],
    )["Body"].read()

    # When its entries are listed
    entries = zipfile.ZipFile(io.BytesIO(body)).infolist()
    built = sorted(
        path.relative_to(build_dir / "AutoscalerLayer").as_posix()
        for path in (build_dir / "AutoscalerLayer").rglob("*")
        if path.is_file()
    )

    # Then it holds every built file, in path order, each dated 1980-01-01 (the byte code is
    # hash-based, so the date does not matter to Python)
    assert [entry.filename for entry in entries] == built
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert any(name.startswith("python/sagemaker_autoscaler/") for name in built)


def test_packaging_the_same_code_again_gives_the_same_keys_and_uploads_nothing(
    packaged: dict[str, Any], build_dir: Path, tmp_path: Path
) -> None:
    # Given a package already uploaded
    # When the same build is packaged again
    again = run_package(build_dir, tmp_path / "again")

    # Then every key is the same, and nothing is sent a second time
    assert again["code_keys"] == packaged["code_keys"]
    assert again["template_key"] == packaged["template_key"]
    assert again["uploaded"] == {region: [] for region in REGIONS}
    assert sorted(packaged["uploaded"][REGIONS[0]]) == sorted([*code_resources(load_template()), "template"])


def test_a_zip_depends_on_the_files_only(build_dir: Path, tmp_path: Path) -> None:
    # Given the events function's build, and a copy of it made file by file in reverse order, with other
    # modification times
    source = build_dir / "ScalingEventsFunction"
    copy = tmp_path / "copy"
    for path in sorted(source.rglob("*"), reverse=True):
        if path.is_file():
            target = copy / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)

    # When both are zipped, and the copy again after one file changed
    first, second = deterministic_zip(source), deterministic_zip(copy)
    (copy / "app.py").write_text((copy / "app.py").read_text() + "\n# changed\n")
    changed = deterministic_zip(copy)

    # Then the same files give the same bytes, and a changed file gives others
    assert first == second
    assert changed != first


def test_a_region_without_its_bucket_stops_the_packaging(
    aws: CallRecorder, build_dir: Path, tmp_path: Path
) -> None:
    # Given the artifact bucket deployed in eu-west-1 only
    deploy_artifact_buckets(["eu-west-1"])

    # When the package is made for eu-west-1 and us-east-1
    with pytest.raises(SystemExit) as stopped:
        run_package(build_dir, tmp_path / "out")

    # Then it stops, naming the missing bucket and the template that creates it
    message = str(stopped.value)
    assert f"sagemaker-autoscaler-artifacts-{ACCOUNT}-us-east-1" in message
    assert "templates/artifact-buckets.yaml" in message


def test_the_check_refuses_the_sam_template_itself() -> None:
    # Given template.yaml as written (SAM), with no translation
    template = load_template()

    # When the StackSet check reads it
    problems = check_plain_template(
        template, set(), "sagemaker-autoscaler-artifacts", ACCOUNT, {"functions/lifecycle"}
    )

    # Then it names the transform, the SAM types and the local code folders
    assert "the template still declares a Transform" in problems
    assert any("AWS::Serverless::Function is a SAM type" in problem for problem in problems)
    assert any("'functions/lifecycle/'" in problem for problem in problems)
