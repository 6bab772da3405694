"""The template passes cfn-lint with no finding at all, informational ones included."""

from __future__ import annotations

from cfnlint.api import ManualArgs, lint

from tests.template.helpers import TEMPLATE_FILE


def test_cfn_lint_reports_nothing() -> None:
    # Given the template as committed
    text = TEMPLATE_FILE.read_text()

    # When cfn-lint checks it for two Regions, informational rules included
    matches = lint(text, config=ManualArgs(regions=["eu-west-1", "us-east-1"], include_checks=["I"]))

    # Then there is nothing to report
    assert [str(match) for match in matches] == []
