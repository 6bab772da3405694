"""Fixtures shared by the template tests: the parsed template, its resources, and the SAM transform."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from samtranslator.translator.transform import transform

from local_account.template import Template, load_template


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template()


@pytest.fixture(scope="session")
def resources(template: Template) -> dict[str, Any]:
    resources: dict[str, Any] = template["Resources"]
    return resources


class _NoManagedPolicies:
    """The transform asks for AWS managed policy ARNs only when a function lists some: none here."""

    def load(self) -> dict[str, str]:
        return {}


@pytest.fixture(scope="session")
def transformed(template: Template) -> Iterator[dict[str, Any]]:
    """What CloudFormation receives after the SAM transform (run offline, as `sam deploy` would)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
        document = copy.deepcopy(template)
        # Local paths are replaced by S3 URIs at package time; any URI will do for the transform.
        for resource in document["Resources"].values():
            if resource["Type"] == "AWS::Serverless::Function":
                resource["Properties"]["CodeUri"] = "s3://artifacts/function.zip"
        document["Resources"]["AutoscalerLayer"]["Properties"]["ContentUri"] = "s3://artifacts/layer.zip"
        result: dict[str, Any] = transform(document, {}, _NoManagedPolicies())
        yield result


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder `template`, so `-m template` runs just these checks."""
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.template)
