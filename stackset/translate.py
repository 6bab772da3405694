"""``template.yaml`` translated offline to plain CloudFormation, with Region-aware code locations.

The SAM translator runs here as CloudFormation's ``AWS::Serverless`` transform would, with no AWS
call. It needs the CodeUri/ContentUri of every function and layer as S3 locations: they are given a
placeholder bucket and their real content-hash key, and after the translation every location in the
placeholder bucket is rewritten to ``!Sub <prefix>-<artifact account>-${AWS::Region}``. The artifact
account is a literal (the buckets live there, not in the member accounts), the Region is the stack
instance's own: Lambda reads code only from a bucket in its own Region.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from samtranslator.translator.transform import transform

# Not a valid bucket name for any account (upper case): it can never be mistaken for a real one.
PLACEHOLDER_BUCKET = "STACKSET-PACKAGE-PLACEHOLDER"
SERVERLESS_FUNCTION = "AWS::Serverless::Function"
SERVERLESS_LAYER = "AWS::Serverless::LayerVersion"
# Where each translated type keeps its code location.
CODE_PROPERTY = {"AWS::Lambda::Function": "Code", "AWS::Lambda::LayerVersion": "Content"}
# The Region the translator is told it runs in; no value of it may remain in the output.
TRANSLATION_REGION = "eu-west-1"


class NoManagedPolicies:
    """The translator's map of AWS managed policy names to ARNs, normally read from IAM. Every role of
    the template is its own (``Role:`` on each function), so the translator never has a name to look up:
    an empty map keeps it offline, and a name added later fails the translation instead of calling AWS."""

    def load(self) -> dict[str, str]:
        return {}


def code_resources(template: Mapping[str, Any]) -> list[str]:
    """Logical ids of the template's functions and layers: the folders `sam build` writes."""
    kinds = (SERVERLESS_FUNCTION, SERVERLESS_LAYER)
    return sorted(name for name, resource in template["Resources"].items() if resource["Type"] in kinds)


def bucket_name(prefix: str, account: str, region: str) -> str:
    return f"{prefix}-{account}-{region}"


def regional_bucket(prefix: str, account: str) -> dict[str, str]:
    """The artifact bucket of the Region a stack instance is deployed in."""
    return {"Fn::Sub": bucket_name(prefix, account, "${AWS::Region}")}


@contextmanager
def _region_for_translator() -> Iterator[None]:
    # The translator reads a Region from boto3's default session (for AWS::Region and AWS::Partition in
    # what it generates); check_plain_template proves none of it is written into the output.
    saved = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = TRANSLATION_REGION
    try:
        yield
    finally:
        if saved is None:
            del os.environ["AWS_DEFAULT_REGION"]
        else:
            os.environ["AWS_DEFAULT_REGION"] = saved


def to_cloudformation(
    sam_template: Mapping[str, Any], keys: Mapping[str, str], bucket_prefix: str, artifact_account: str
) -> dict[str, Any]:
    """The SAM template as plain CloudFormation; keys maps each function's and layer's logical id to
    the S3 key of its zip."""
    document = copy.deepcopy(dict(sam_template))
    names = code_resources(document)
    if sorted(keys) != names:
        raise ValueError(f"zips for {sorted(keys)}, but the template's functions and layers are {names}")
    for name in names:
        resource = document["Resources"][name]
        uri_property = "CodeUri" if resource["Type"] == SERVERLESS_FUNCTION else "ContentUri"
        resource["Properties"][uri_property] = f"s3://{PLACEHOLDER_BUCKET}/{keys[name]}"
    with _region_for_translator():
        translated: dict[str, Any] = transform(document, {}, NoManagedPolicies())
    for resource in translated["Resources"].values():
        location = resource.get("Properties", {}).get(CODE_PROPERTY.get(resource["Type"], ""))
        if isinstance(location, dict) and location.get("S3Bucket") == PLACEHOLDER_BUCKET:
            location["S3Bucket"] = regional_bucket(bucket_prefix, artifact_account)
    return translated


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(path, key, value) of every mapping entry in the document."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}/{index}")


def _location_problems(name: str, location: Any, bucket: Mapping[str, str], keys: set[str]) -> list[str]:
    if not isinstance(location, Mapping) or set(location) != {"S3Bucket", "S3Key"}:
        return [f"{name}: its code is not an S3 bucket and key: {location!r}"]
    problems = []
    if location["S3Bucket"] != bucket:
        problems.append(f"{name}: code in {location['S3Bucket']!r}, not the Region's artifact bucket")
    if location["S3Key"] not in keys:
        problems.append(f"{name}: code key {location['S3Key']!r} is not one of the uploaded zips")
    return problems


def local_paths(sam_template: Mapping[str, Any]) -> set[str]:
    """The folders the SAM template names as code (CodeUri, ContentUri)."""
    return {
        str(value).rstrip("/")
        for _, key, value in _walk(sam_template)
        if key in ("CodeUri", "ContentUri") and isinstance(value, str)
    }


def check_plain_template(
    template: Mapping[str, Any],
    keys: set[str],
    bucket_prefix: str,
    artifact_account: str,
    paths: Collection[str] = (),
) -> list[str]:
    """What would stop a service-managed StackSet from deploying the template, or deploy code from
    elsewhere than the Region's artifact bucket (empty: nothing). paths: local folders that must not
    appear (local_paths of the SAM template)."""
    problems = []
    if "Transform" in template:
        problems.append("the template still declares a Transform")
    bucket = regional_bucket(bucket_prefix, artifact_account)
    for name, resource in template["Resources"].items():
        kind = resource["Type"]
        if kind.startswith("AWS::Serverless::"):
            problems.append(f"{name}: {kind} is a SAM type")
        if kind == "AWS::CloudFormation::Stack":
            problems.append(f"{name}: a nested stack")
        if kind in CODE_PROPERTY:
            location = resource["Properties"].get(CODE_PROPERTY[kind])
            problems.extend(_location_problems(name, location, bucket, keys))
    for path, key, value in _walk(template):
        if key in ("CodeUri", "ContentUri", "Transform"):
            problems.append(f"{path}/{key}: a SAM property")
        if isinstance(value, str) and _names_a_location(value, paths):
            problems.append(f"{path}/{key}: {value!r} is a local path or a fixed location")
    if TRANSLATION_REGION in json.dumps(template):
        problems.append(f"the translator's Region {TRANSLATION_REGION} was written into the template")
    return problems


def _names_a_location(value: str, paths: Collection[str]) -> bool:
    if PLACEHOLDER_BUCKET in value or value.startswith(("s3://", "./", ".aws-sam")):
        return True
    return any(value.rstrip("/") == path or value.startswith(f"{path}/") for path in paths)
