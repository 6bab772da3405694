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
