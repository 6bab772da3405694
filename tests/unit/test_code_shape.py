"""Short modules and functions in the production code: no module over 250 lines, no function over 50."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = sorted(
    [
        *(ROOT / "layers" / "autoscaler").rglob("*.py"),
        *(ROOT / "functions").rglob("*.py"),
        *(ROOT / "cli").rglob("*.py"),
    ]
)
MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 50


def test_there_is_production_code_to_check() -> None:
    assert len(PRODUCTION) >= 30


@pytest.mark.parametrize("path", PRODUCTION, ids=[str(p.relative_to(ROOT)) for p in PRODUCTION])
def test_module_and_function_length(path: Path) -> None:
    source = path.read_text()
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{path.name}: {len(source.splitlines())} lines"
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == [], long


def test_the_readme_tree_names_every_module_of_the_core_and_the_engine() -> None:
    readme = (ROOT / "README.md").read_text()
    tree = readme[readme.index("layers/autoscaler/sagemaker_autoscaler/\n") : readme.index("\n  aws/ ")]
    package = ROOT / "layers" / "autoscaler" / "sagemaker_autoscaler"
    for folder, following in (("core", "\n  engine/"), ("engine", None)):
        section = tree[tree.index(f"\n  {folder}/") : tree.index(following) if following else len(tree)]
        # "    domain, current_state, changes     what they are": the names, then two spaces or more
        rows = [line.strip().split("  ")[0] for line in section.splitlines() if line.startswith("    ")]
        listed = {name.strip() for row in rows for name in row.split(",")}
        modules = {path.stem for path in (package / folder).glob("*.py") if path.stem != "__init__"}
        assert listed == modules, (folder, sorted(listed ^ modules))
