"""``python -m stackset.package``: build, zip, upload to every Region's artifact bucket, write the template.

Run it through ``scripts/package_stackset.sh``. It needs the artifact account's credentials (the account
that holds the buckets of ``templates/artifact-buckets.yaml``, one per Region) and writes to ``--out``:
``template.json`` (plain CloudFormation for the StackSet) and ``manifest.json`` (what went where).
Every key is ``<key prefix>/<name>-<sha256 of the zip>.zip``: unchanged code keeps its key, and a new
version of a function or the layer gets a new key, which is what makes CloudFormation update it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from local_account.template import TEMPLATE_PATH, load_template
from stackset.translate import (
    bucket_name,
    check_plain_template,
    code_resources,
    local_paths,
    to_cloudformation,
)
from stackset.zips import deterministic_zip, sha256_hex

DEFAULT_BUCKET_PREFIX = "sagemaker-autoscaler-artifacts"
DEFAULT_KEY_PREFIX = "sagemaker-autoscaler"
# S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens.
_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
# CreateStackSet's TemplateBody takes at most 51,200 bytes; a TemplateURL up to 1 MB (botocore).
TEMPLATE_BODY_LIMIT = 51_200
TEMPLATE_URL_LIMIT = 1_000_000


@dataclass(frozen=True)
class Artifact:
    name: str  # the logical id of the function or layer, or "template"
    key: str
    body: bytes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="package_stackset", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--regions", required=True, help="comma-separated target Regions, e.g. eu-west-1,us-east-1"
    )
    parser.add_argument(
        "--bucket-prefix", default=DEFAULT_BUCKET_PREFIX, help="buckets are <prefix>-<account>-<region>"
    )
    parser.add_argument(
        "--key-prefix", default=DEFAULT_KEY_PREFIX, help="folder of the objects in each bucket"
    )
    parser.add_argument("--build-dir", type=Path, help="reuse this `sam build` output instead of building")
    parser.add_argument("--out", type=Path, default=Path("out/stackset"), help="where template.json goes")
    parser.add_argument("--template", type=Path, default=TEMPLATE_PATH, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.regions = [region.strip() for region in args.regions.split(",") if region.strip()]
    bad = [region for region in args.regions if not _REGION.match(region)]
    if not args.regions or bad:
        parser.error(f"--regions: not a Region name: {bad or 'none given'}")
    return args


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sam_build(template: Path, build_dir: Path) -> None:
    """`sam build` offline into build_dir (no telemetry, no version check against PyPI)."""
    sam = shutil.which("sam", path=str(Path(sys.executable).parent)) or shutil.which("sam")
    if sam is None:
        raise SystemExit("the SAM CLI is not installed (scripts/bootstrap.sh installs it into .venv)")
    command = [sam, "build", "--template-file", str(template), "--build-dir", str(build_dir)]
    command += ["--cache-dir", str(build_dir.parent / "cache"), "--no-cached"]
    result = subprocess.run(
        command,
        cwd=template.parent,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"sam build failed:\n{result.stdout}{result.stderr}")


def code_artifacts(build_dir: Path, names: Sequence[str], key_prefix: str) -> list[Artifact]:
    """One reproducible zip per function and layer, from the folders `sam build` wrote."""
    artifacts = []
    for name in names:
        folder = build_dir / name
        if not folder.is_dir():
            raise SystemExit(
                f"{folder} is missing: is {build_dir} the output of `sam build` of this template?"
            )
        body = deterministic_zip(folder)
        artifacts.append(Artifact(name, f"{key_prefix}/{name}-{sha256_hex(body)}.zip", body))
    return artifacts


def template_artifact(template: dict[str, Any], key_prefix: str) -> Artifact:
    body = (json.dumps(template, indent=1, sort_keys=False) + "\n").encode()
    return Artifact("template", f"{key_prefix}/template-{sha256_hex(body)}.json", body)


def template_url(bucket: str, region: str, key: str) -> str:
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"


def upload(artifacts: Sequence[Artifact], bucket: str, region: str, key_prefix: str) -> list[str]:
    """Put each artifact into the bucket unless its key is there already (keys are content hashes);
    the names of those uploaded. The template goes last, so it never names a missing object."""
    s3 = boto3.client("s3", region_name=region)
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError as error:
        raise SystemExit(
            f"bucket {bucket} in {region} is not reachable ({error}): deploy templates/artifact-buckets.yaml "
            "there first"
        ) from error
    existing: set[str] = set()
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=f"{key_prefix}/"):
        existing.update(item["Key"] for item in page.get("Contents", []))
    uploaded = []
    for artifact in artifacts:
        if artifact.key not in existing:
            s3.put_object(Bucket=bucket, Key=artifact.key, Body=artifact.body)
            uploaded.append(artifact.name)
    return uploaded


def artifact_account() -> str:
    account: str = boto3.client("sts").get_caller_identity()["Account"]
    return account


def checked_translation(
    sam_template: dict[str, Any], code: Sequence[Artifact], bucket_prefix: str, account: str
) -> dict[str, Any]:
    """The StackSet-ready template, or SystemExit saying what keeps it from being one."""
    keys = {artifact.name: artifact.key for artifact in code}
    plain = to_cloudformation(sam_template, keys, bucket_prefix, account)
    paths = local_paths(sam_template)
    problems = check_plain_template(plain, set(keys.values()), bucket_prefix, account, paths)
    if problems:
        raise SystemExit("the translated template is not StackSet-ready:\n  " + "\n  ".join(problems))
    return plain


def package(args: argparse.Namespace) -> dict[str, Any]:
    """Build, zip, translate, check, upload; the manifest of what went where."""
    sam_template = load_template(args.template)
    build_dir = args.build_dir
    if build_dir is None:
        build_dir = args.out / "build"
        say(f"==> sam build into {build_dir} (a few seconds; offline)")
        sam_build(args.template.resolve(), build_dir.resolve())
    say(f"==> zipping {', '.join(code_resources(sam_template))} from {build_dir}")
    code = code_artifacts(build_dir, code_resources(sam_template), args.key_prefix)
    account = artifact_account()
    buckets = {region: bucket_name(args.bucket_prefix, account, region) for region in args.regions}
    for bucket in buckets.values():
        if not _BUCKET_NAME.match(bucket):
            raise SystemExit(f"{bucket} is not a valid bucket name: shorten --bucket-prefix")
    say("==> translating template.yaml to plain CloudFormation (SAM translator, offline)")
    plain = checked_translation(sam_template, code, args.bucket_prefix, account)
    template = template_artifact(plain, args.key_prefix)
    if len(template.body) > TEMPLATE_URL_LIMIT:
        raise SystemExit(f"the template is {len(template.body)} bytes: CloudFormation takes at most 1 MB")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "template.json").write_bytes(template.body)
    uploads = {}
    for region, bucket in buckets.items():
        say(f"==> uploading to s3://{bucket} ({region})")
        uploads[region] = upload([*code, template], bucket, region, args.key_prefix)
    manifest = {
        "artifact_account": account,
        "template_bytes": len(template.body),
        "template_key": template.key,
        "code_keys": {artifact.name: artifact.key for artifact in code},
        "buckets": buckets,
        "template_urls": {
            region: template_url(bucket, region, template.key) for region, bucket in buckets.items()
        },
        "uploaded": uploads,
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    manifest = package(args)
    first = args.regions[0]
    say(f"template: {args.out / 'template.json'} ({manifest['template_bytes']} bytes)")
    say(f"manifest: {args.out / 'manifest.json'}")
    if manifest["template_bytes"] > TEMPLATE_BODY_LIMIT:
        say(f"(over the {TEMPLATE_BODY_LIMIT} bytes --template-body takes: pass --template-url)")
    say(f"template URL for create-stack-set / update-stack-set (from {first}):")
    print(manifest["template_urls"][first])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
