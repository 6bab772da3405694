"""Read ``template.yaml``: CloudFormation's short-form tags (``!Ref``, ``!Sub``, ``!GetAtt`` ...) are not
plain YAML, so the loader turns each into its long form (``{"Ref": ...}``, ``{"Fn::Sub": ...}``), and the
result is ordinary dicts, lists and strings. Shared by the command-line tool and the emulated account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The repository's template, next to this package's folder (an editable install runs from the checkout).
TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "template.yaml"

Template = dict[str, Any]


class _CloudFormationLoader(yaml.SafeLoader):
    """SafeLoader that accepts CloudFormation short-form tags and keeps dates as strings."""


# "2010-09-09" must stay the string CloudFormation expects, not become a datetime.date.
_CloudFormationLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _long_form(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - PyYAML has no other node kinds
        raise yaml.constructor.ConstructorError(None, None, f"unexpected node {node!r}", node.start_mark)
    if tag_suffix in ("Ref", "Condition"):
        return {tag_suffix: value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        # The short form "Resource.Attribute" (the attribute itself may contain dots).
        resource, _, attribute = value.partition(".")
        value = [resource, attribute]
    return {f"Fn::{tag_suffix}": value}


_CloudFormationLoader.add_multi_constructor("!", _long_form)


def load_template(path: str | Path | None = None) -> Template:
    """The template as plain data, with short-form intrinsics in their long form."""
    text = Path(path or TEMPLATE_PATH).read_text()
    data = yaml.load(text, Loader=_CloudFormationLoader)  # a SafeLoader subclass
    if not isinstance(data, dict) or "Resources" not in data:
        raise ValueError(f"{path or TEMPLATE_PATH} is not a CloudFormation template")
    return data
