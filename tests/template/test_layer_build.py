"""The layer ships the package with its byte code for python3.13, in a form Lambda really uses.

Lambda's /opt is read-only: byte code that is not in the layer is compiled again at every cold start and
thrown away. `sam build` runs `layers/autoscaler/Makefile`, which compiles the package into hash-based
byte code that Python does not check against the source: `sam package` zips every file with the date
1980-01-01, so timestamp-based byte code (Python's default) would never match its source in Lambda.

The layer is built here with `sam build` into a temporary folder (a few seconds, offline), so these
tests need nothing built beforehand; the build that `scripts/test.sh` makes into `.aws-sam/build` is
checked too when it is there and current.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.sam_cli import sam_environment
from tests.template.helpers import REPO_ROOT, TEMPLATE_FILE

LAYER_SOURCE = REPO_ROOT / "layers" / "autoscaler"
PACKAGE = "sagemaker_autoscaler"
MAKEFILE = LAYER_SOURCE / "Makefile"
SUITE_BUILD = REPO_ROOT / ".aws-sam" / "build" / "AutoscalerLayer"
BYTE_CODE_SUFFIX = f".{sys.implementation.cache_tag}.pyc"
# PEP 552: the flags word of a .pyc header; bit 0 = hash-based, bit 1 = check the source.
UNCHECKED_HASH_FLAGS = 0b01
ZIP_DATE = time.mktime((1980, 1, 1, 0, 0, 0, 0, 1, -1))
RUNTIME_TAG = sys.implementation.cache_tag.removeprefix("cpython-")  # "313"


def pinned(name: str) -> str:
    """The version layers/autoscaler/requirements.txt pins (requirements-dev.txt pins it for the tests)."""
    found = re.search(rf"^{name}==([\w.]+)", (LAYER_SOURCE / "requirements.txt").read_text(), re.M)
    assert found is not None, f"{name} is not pinned in layers/autoscaler/requirements.txt"
    return found[1]


MSGSPEC_VERSION = pinned("msgspec")

# Run in a fresh interpreter: import every module of the layer's package and print the source files
# Python compiled instead of loading their byte code.
PROBE = """
import importlib._bootstrap_external as external, pkgutil, sys
compiled = []
original = external.SourceLoader.source_to_code
def spy(self, data, path, *args, **kwargs):
    compiled.append(path)
    return original(self, data, path, *args, **kwargs)
external.SourceLoader.source_to_code = spy
import msgspec  # this machine's: the layer's is built for the functions' arm64
sys.path.insert(0, {layer!r})
import sagemaker_autoscaler
for module in pkgutil.walk_packages(sagemaker_autoscaler.__path__, "sagemaker_autoscaler."):
    __import__(module.name)
layer_files = [path for path in compiled if path.startswith({layer!r})]
print("\\n".join(sorted(layer_files)))
"""


def sources(root: Path) -> dict[str, bytes]:
    """Relative path -> content of every .py file of the package under root."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted((root / PACKAGE).rglob("*.py"))
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def built_layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The layer as `sam build AutoscalerLayer` makes it, in a temporary folder."""
    scratch = tmp_path_factory.mktemp("sam-build")
    sam = shutil.which("sam", path=str(Path(sys.executable).parent)) or shutil.which("sam")
    assert sam is not None, "the SAM CLI (requirements-dev.txt) is not installed"
    assert shutil.which("make") is not None, "sam build needs make for the layer (BuildMethod: makefile)"
    result = subprocess.run(
        [
            sam, "build", "AutoscalerLayer",
            "--template-file", str(TEMPLATE_FILE),
            "--build-dir", str(scratch / "build"),
            "--cache-dir", str(scratch / "cache"),
            "--no-cached",
            "--region", "eu-west-1",
        ],
        cwd=scratch,
        env=sam_environment(scratch / "sam-cli"),
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return scratch / "build" / "AutoscalerLayer"


def check_layer(root: Path) -> None:
    """root is a built layer: python/ holds the package and msgspec for the functions' arm64 python3.13,
    every module with its byte code, nothing else."""
    # Lambda puts /opt/python on sys.path: the package and its one requirement are all the layer holds
    assert sorted(path.name for path in root.iterdir()) == ["python"]
    assert sorted(path.name for path in (root / "python").iterdir()) == [
        "msgspec",
        f"msgspec-{MSGSPEC_VERSION}.dist-info",
        PACKAGE,
        "tzdata",
        f"tzdata-{pinned('tzdata')}.dist-info",
    ]
    # msgspec's native module is the one the functions' runtime and architecture load
    native = sorted(path.name for path in (root / "python" / "msgspec").glob("*.so"))
    assert native == [f"_core.cpython-{RUNTIME_TAG}-aarch64-linux-gnu.so"]
    assert_compiled(root / "python" / "msgspec")
    shipped = sources(root / "python")
    assert shipped == sources(LAYER_SOURCE), "the layer's sources are not the package's"

    expected_byte_code = set()
    for relative, source in shipped.items():
        module = root / "python" / relative
        byte_code = module.parent / "__pycache__" / f"{module.stem}{BYTE_CODE_SUFFIX}"
        expected_byte_code.add(byte_code)
        assert byte_code.is_file(), f"no byte code for {relative}"
        header = byte_code.read_bytes()[:16]
        # Then it is for this Python (the runtime's), hash-based and unchecked, and of this very source
        assert header[:4] == importlib.util.MAGIC_NUMBER, f"{byte_code.name}: compiled by another Python"
        assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH_FLAGS, (
            f"{byte_code.name}: not unchecked-hash"
        )
        assert header[8:16] == importlib.util.source_hash(source), (
            f"{byte_code.name}: compiled from another source"
        )
    files = {path for path in (root / "python" / PACKAGE).rglob("*") if path.is_file()}
    # Besides the modules and their byte code: the package's data, as in the source tree
    data = {root / "python" / PACKAGE / "data" / "prices.json"}
    assert files - expected_byte_code == {root / "python" / relative for relative in shipped} | data


def assert_compiled(folder: Path) -> None:
    """Every module under folder has byte code of this Python next to it."""
    for module in folder.rglob("*.py"):
        byte_code = module.parent / "__pycache__" / f"{module.stem}{BYTE_CODE_SUFFIX}"
        assert byte_code.is_file(), f"no byte code for {module.relative_to(folder.parent)}"


def imports_compiled(layer_python: Path) -> list[str]:
    """The layer's source files a fresh interpreter compiles when it imports every module of the package."""
    result = subprocess.run(
        [sys.executable, "-B", "-c", PROBE.format(layer=str(layer_python))],
        env={**os.environ, "AWS_DEFAULT_REGION": "eu-west-1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def with_zip_dates(root: Path) -> None:
    """Give every file the date `sam package` writes in the zip, as Lambda extracts it."""
    for path in root.rglob("*"):
        os.utime(path, (ZIP_DATE, ZIP_DATE))


def test_sam_builds_the_layer_with_its_makefile_for_the_functions_runtime(template: dict[str, Any]) -> None:
    # Given the layer's build settings, the Makefile and the functions' runtime
    layer = template["Resources"]["AutoscalerLayer"]
    makefile = MAKEFILE.read_text()
    runtime = template["Globals"]["Function"]["Runtime"]

    # When they are compared
    # Then SAM runs the Makefile's target for the layer, which compiles unchecked hash-based byte code
    # with the runtime's Python, and this suite runs that Python too
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert "\nbuild-AutoscalerLayer:" in makefile
    assert "compileall" in makefile and "--invalidation-mode unchecked-hash" in makefile
    assert f"RUNTIME_VERSION := {runtime.removeprefix('python')}\n" in makefile
    assert runtime == f"python{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.slow
def test_sam_build_ships_byte_code_for_every_module(built_layer: Path) -> None:
    # Given / When the layer built by sam build
    # Then it holds the package and the byte code of every module
    check_layer(built_layer)


@pytest.mark.slow
def test_lambda_uses_the_byte_code_although_the_zip_dates_the_sources_1980(
    built_layer: Path, tmp_path: Path
) -> None:
    # Given the built layer as Lambda extracts it (every file dated 1980-01-01), and for comparison the
    # same package with Python's default, timestamp-based byte code
    deployed = tmp_path / "deployed"
    shutil.copytree(built_layer, deployed)
    with_zip_dates(deployed)
    timestamped = tmp_path / "timestamped"
    shutil.copytree(built_layer, timestamped, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(timestamped)], check=True)
    with_zip_dates(timestamped)

    # When every module of each is imported in a fresh interpreter
    compiled = imports_compiled(deployed / "python")
    compiled_without = imports_compiled(timestamped / "python")

    # Then nothing of the layer is compiled, where timestamp-based byte code would all be
    assert compiled == []
    assert len(compiled_without) == len(sources(timestamped / "python"))


def test_the_build_of_the_suite_ships_byte_code_too() -> None:
    # Given the layer scripts/test.sh built into .aws-sam/build before the tests
    if not SUITE_BUILD.is_dir():
        pytest.skip("no .aws-sam/build/AutoscalerLayer (scripts/test.sh builds it)")
    if sources(SUITE_BUILD / "python") != sources(LAYER_SOURCE):
        pytest.skip(".aws-sam/build is older than the package: run sam build")

    # When / Then it holds the package and the byte code of every module
    check_layer(SUITE_BUILD)


@pytest.mark.parametrize("name", ["msgspec", "tzdata"])
def test_the_tests_run_the_releases_the_layer_ships(name: str) -> None:
    # Given the layer's requirements and the development pins
    development = (REPO_ROOT / "requirements-dev.txt").read_text().splitlines()

    # When / Then the tests and the benchmark use the very release the functions load
    assert f"{name}=={pinned(name)}" in development


# Run in a fresh interpreter whose PYTHONTZPATH is the functions' one, read as the built layer.
ZONE_PROBE = """
import sys, zoneinfo
sys.path[:0] = [{package!r}]
from sagemaker_autoscaler.core.schedules import ScheduleError, validate_timezone
paris = zoneinfo.ZoneInfo("Europe/Paris")
package_imported = "tzdata" in sys.modules
try:
    validate_timezone("Europe")
    folder = "accepted"
except ScheduleError:
    folder = "refused"
print(zoneinfo.TZPATH == ({zones!r},), package_imported, str(paris), folder)
"""


@pytest.mark.slow
def test_the_functions_read_time_zones_from_the_layer(built_layer: Path, template: dict[str, Any]) -> None:
    # Given the functions' PYTHONTZPATH and the layer sam build makes
    zone_path = template["Globals"]["Function"]["Environment"]["Variables"]["PYTHONTZPATH"]
    assert zone_path.startswith("/opt/python/"), "Lambda extracts layers under /opt"
    zones = built_layer / "python" / zone_path.removeprefix("/opt/python/")

    # When a fresh interpreter looks zones up there, with the package as the layer ships it
    result = subprocess.run(
        [sys.executable, "-I", "-c", ZONE_PROBE.format(package=str(LAYER_SOURCE), zones=str(zones))],
        env={"PYTHONTZPATH": str(zones), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        check=False,
    )

    # Then the zone files are read from that folder alone (the tzdata package is never imported), and a
    # folder of the database is still no zone
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "Europe/Paris", "refused"]
