"""Fixtures shared by the template tests: the parsed template and its resources."""

from __future__ import annotations

from typing import Any

import pytest

from local_account.template import Template, load_template


@pytest.fixture(scope="session")
def template() -> Template:
    return load_template()


@pytest.fixture(scope="session")
def resources(template: Template) -> dict[str, Any]:
    resources: dict[str, Any] = template["Resources"]
    return resources


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder `template`, so `-m template` runs just these checks."""
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.template)
