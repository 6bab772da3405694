"""Every flag of the `aws cloudformation` commands in the README's organisation section is one the API
takes: each command is an operation of botocore's CloudFormation model and each flag one of its inputs."""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest

from local_account.template import load_template

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Every account of an organisation"
# The CLI's own options, valid on every command.
GLOBAL_OPTIONS = {"region", "profile", "output", "endpoint-url"}
# The CLI's own commands (customisations), not API operations: botocore cannot check them.
CLI_COMMANDS = {"deploy", "package"}


def section_commands() -> list[str]:
    """Each `aws cloudformation ...` command of the section, continuation lines joined."""
    text = README.read_text()
    start = text.index(SECTION)
    body = text[start : text.index("\n## ", start + len(SECTION))]
    joined = re.sub(r"\\\n\s*", " ", body)
    return [match.group(0) for match in re.finditer(r"aws cloudformation [a-z-]+[^\n`]*", joined)]


def operation_inputs(command: str) -> set[str]:
    """The operation's input members, lower-cased without separators (TemplateURL -> templateurl)."""
    model = botocore.session.get_session().get_service_model("cloudformation")
    operation = "".join(part.capitalize() for part in command.split("-"))
    members = model.operation_model(operation).input_shape.members
    return {name.lower() for name in members}


def test_the_section_has_the_rollout_commands() -> None:
    # Given / When the section's commands are listed
    names = {command.split()[2] for command in section_commands()}

    # Then packaging to removal is there
    assert {"create-stack-set", "create-stack-instances", "update-stack-set"} <= names
    assert {"delete-stack-instances", "delete-stack-set"} <= names


@pytest.mark.parametrize("command", section_commands())
def test_every_flag_is_an_input_of_the_operation(command: str) -> None:
    # Given one command of the section
    name = command.split()[2]
    if name in CLI_COMMANDS:
        pytest.skip(f"{name} is the CLI's own command")
    flags = set(re.findall(r"--([a-z-]+)", command)) - GLOBAL_OPTIONS

    # When its flags are compared with the operation's inputs (--no-x is the false of boolean x)
    inputs = operation_inputs(name)
    unknown = [flag for flag in flags if flag.removeprefix("no-").replace("-", "") not in inputs]

    # Then the operation takes every one
    assert unknown == []


def test_every_parameter_the_section_sets_is_one_of_the_templates() -> None:
    section = README.read_text().split("## Every account of an organisation", 1)[1].split("\n## ", 1)[0]
    keys = set(re.findall(r'"ParameterKey": "([A-Za-z]+)"', section))
    assert {"WriteMode", "PublishChangeEvents", "CentralEventBusArn"} <= keys
    assert keys <= set(load_template()["Parameters"]), sorted(keys - set(load_template()["Parameters"]))
