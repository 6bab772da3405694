"""Cold start: the import of each handler against a bare `import boto3`, side by side in one run.

Each measurement is a fresh interpreter (`python -E -S -B`: no site hooks, so neither this virtualenv nor
the editable install of this project is on the path, and no byte code is written, as on Lambda's
read-only /var/task and /opt) whose `sys.path` is what Lambda gives a function: the function's folder,
the layer's `python/` folder, then the libraries the runtime and the Powertools layer provide (boto3,
botocore, Powertools and what they require, linked from this virtualenv into a folder of their own).
The function's folder is copied as `sam build` zips it: source only, so app.py is compiled at every
cold start, as in Lambda. The environment is a Lambda-like one built from scratch: the function's
variables from `events/env.json`, `AWS_LAMBDA_FUNCTION_NAME`, `AWS_REGION`, and either the variables
Lambda sets with active tracing (tracing on) or none of them and `POWERTOOLS_TRACE_DISABLED=true`
(tracing off).

The interpreter times the import statement (and, in two rows, the first client after it; its own start-up
is the same on both sides), in CPU time, which other work on the machine disturbs much less than the wall
clock (also shown). One round runs every variant once, in a shuffled order; each variant's time is its
median over the rounds, and its ratio the median over the rounds of its ratio to the same round's bare
`import boto3` (paired: the speed of a shared machine drifts between rounds far more than within one).

Three rows build up what a handler imports before any of the package's own modules: botocore's session
(the package makes its clients from it, not from boto3), then the package's Powertools logger and
metrics, then the layer's libraries (msgspec, zoneinfo with the layer's tzdata). Two rows time the
first client after the import: `boto3.client('sagemaker')` after `import boto3`, and the events
handler's own SageMaker client after its import, to show that no cost moved to the first invocation.

The layer is built by its own Makefile (what `sam build` runs) into a temporary folder, for this machine's
platform rather than the functions' arm64 (`LAYER_PLATFORM=`), so that its msgspec loads here.
`--source-layer` adds the layer as plain source (compiled at every cold start, as it shipped before the
Makefile). `--adot DIR` adds the opt-in OpenTelemetry tracing: DIR holds
`pip install --target DIR aws-opentelemetry-distro` (what the ADOT Lambda layer packages), and the
variant starts OpenTelemetry's auto-instrumentation with the settings of the layer's `otel-instrument`
wrapper before importing the handler (the wrapper's extra interpreter start is not counted).

    .venv/bin/python bench/bench_cold_start.py [--rounds 41] [--source-layer] [--adot DIR]

(bench/floors.sh runs it with 101 rounds, about 7 minutes here, after bench/bench_engine.py.)

Exit status 1 if a handler misses its floor: 1.15x `import boto3` with tracing on, 1.1x with it off.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from paired import median_interval, paired_ratio

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = {
    "ScalingEventsFunction": "scaling_events",
    "PeriodicReconcileFunction": "periodic_reconcile",
    "LifecycleFunction": "lifecycle",
}
# What a function finds besides its own code and the app's layer: the runtime's boto3 and the
# Powertools layer, each with what it requires.
PROVIDED = ("boto3", "aws-lambda-powertools")
FLOORS = {"on": 1.15, "off": 1.10}
# What Lambda adds to a function's environment when its tracing mode is Active.
ACTIVE_TRACING = {
    "AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129:2000",
    "_AWS_XRAY_DAEMON_ADDRESS": "169.254.79.129",
    "_AWS_XRAY_DAEMON_PORT": "2000",
    "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
}
# What the ADOT layer's otel-instrument wrapper exports before it starts Python: Application Signals
# on, no metrics or logs exporter, every instrumentation but botocore's disabled.
ADOT_DISABLED = (
    "aio-pika,aiohttp-client,aiohttp-server,aiopg,asgi,asyncio,asyncpg,boto,boto3,cassandra,celery,"
    "confluent_kafka,dbapi,django,elasticsearch,falcon,fastapi,flask,grpc_client,grpc_server,"
    "grpc_aio_client,grpc_aio_server,httpx,jinja2,kafka,logging,mysql,mysqlclient,pika,psycopg,psycopg2,"
    "pymemcache,pymongo,pymysql,pyramid,redis,remoulade,requests,sklearn,sqlalchemy,sqlite3,starlette,"
    "system_metrics,threading,tornado,tortoiseorm,wsgi,openai_agents,aws_openai_agents,aws_crewai,"
    "aws_langchain,aws_mcp,aws_llama-index,aws-lambda"
)
ADOT_ENVIRONMENT = {
    "OTEL_PROPAGATORS": "baggage,xray,tracecontext",
    "OTEL_AWS_APPLICATION_SIGNALS_RUNTIME_ENABLED": "false",
    "OTEL_METRICS_EXPORTER": "none",
    "OTEL_LOGS_EXPORTER": "none",
    "OTEL_AWS_APPLICATION_SIGNALS_ENABLED": "true",
    "OTEL_PYTHON_DISTRO": "aws_distro",
    "OTEL_PYTHON_CONFIGURATOR": "aws_configurator",
    "OTEL_PYTHON_DISABLED_INSTRUMENTATIONS": ADOT_DISABLED,
    "OTEL_RESOURCE_ATTRIBUTES": "cloud.region=eu-west-1,cloud.platform=aws_lambda,cloud.provider=aws",
}

# Run in the fresh interpreter: set sys.path as Lambda does, optionally start OpenTelemetry, time the
# import (and what follows it: the first client), print (CPU ms, wall ms). Nothing but sys and time
# (built in) is imported before the clocks start.
PROBE = """
import sys, time
sys.path[:0] = {path!r}
wall, cpu = time.perf_counter(), time.process_time()
if {adot!r}:
    from opentelemetry.instrumentation.auto_instrumentation import initialize
    initialize()
import {module}
{then}
sys.stdout.write(repr(((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)))
"""


@dataclass
class Variant:
    label: str
    module: str
    path: list[str]
    environment: dict[str, str]
    floor: float | None = None
    adot: bool = False
    then: str = ""  # timed after the import: the first client
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    def run(self) -> None:
        probe = PROBE.format(path=self.path, module=self.module, adot=self.adot, then=self.then)
        result = subprocess.run(
            [sys.executable, "-E", "-S", "-B", "-c", probe],
            env=self.environment,
            cwd=self.path[0],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"{self.label}: the import failed\n{result.stderr}")
        cpu, wall = (float(number) for number in result.stdout.strip("()").split(","))
        self.cpu.append(cpu)
        self.wall.append(wall)

    def clear(self) -> None:
        self.cpu.clear()
        self.wall.clear()


def requirements(name: str) -> set[str]:
    """name and every installed distribution it requires (extras left out), transitively."""
    found: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        try:
            distribution = importlib.metadata.distribution(current)
        except importlib.metadata.PackageNotFoundError:
            continue
        if distribution.metadata["Name"] in found:
            continue
        found.add(distribution.metadata["Name"])
        for requirement in distribution.requires or []:
            if "extra ==" not in requirement:
                pending.append(re.split(r"[\s;<>=!~\[(]", requirement, maxsplit=1)[0])
    return found


def provided_libraries(scratch: Path) -> Path:
    """A folder of links to what the runtime and the Powertools layer provide, and nothing else."""
    target = scratch / "libraries"
    target.mkdir()
    for name in sorted(set().union(*(requirements(root) for root in PROVIDED))):
        distribution = importlib.metadata.distribution(name)
        for file in distribution.files or []:
            # A package folder or a module; a module's byte code is in the shared __pycache__ folder.
            parts = Path(file).parts
            link = Path(*parts[:2]) if parts[0] == "__pycache__" else Path(parts[0])
            source = Path(str(distribution.locate_file(link)))
            if parts[0] != ".." and source.exists() and not (target / link).exists():
                (target / link).parent.mkdir(exist_ok=True)
                (target / link).symlink_to(source)
    return target


def layer_with_byte_code(scratch: Path) -> tuple[Path, str]:
    """The layer's python/ folder, built by its Makefile for this machine: sam build's is for arm64, and
    its msgspec would not load here."""
    artifacts = scratch / "layer"
    make = ["make", "--no-print-directory", "-s", "-C", str(ROOT / "layers" / "autoscaler")]
    target = [
        "build-AutoscalerLayer",
        f"ARTIFACTS_DIR={artifacts}",
        f"PYTHON={sys.executable}",
        "LAYER_PLATFORM=",
    ]
    subprocess.run([*make, *target], check=True)
    return artifacts / "python", "layers/autoscaler/Makefile, built for this machine into a temporary folder"


def layer_as_source(layer: Path, scratch: Path) -> Path:
    """The same layer without byte code, as it shipped before the Makefile compiled it."""
    target = scratch / "source" / "python"
    shutil.copytree(layer, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def function_code(scratch: Path) -> Path:
    """The functions' folders as sam build zips them: their source and no byte code (a test run leaves
    some in the working tree, which Lambda would never have), so each cold start compiles app.py."""
    target = scratch / "functions"
    no_byte_code = shutil.ignore_patterns("__pycache__")
    for folder in FUNCTIONS.values():
        shutil.copytree(ROOT / "functions" / folder, target / folder, ignore=no_byte_code)
    return target


def lambda_environment(function_id: str, tracing: str) -> dict[str, str]:
    settings: dict[str, str] = json.loads((ROOT / "events" / "env.json").read_text())[function_id]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TZ": ":UTC",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": f"sagemaker-autoscaler-{function_id}",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "LAMBDA_TASK_ROOT": "/var/task",
        **settings,
    }
    if tracing == "on":
        environment.update(ACTIVE_TRACING)
    else:
        environment["POWERTOOLS_TRACE_DISABLED"] = "true"
    return environment


def at_layer(environment: dict[str, str], layer: Path) -> dict[str, str]:
    """The environment with Lambda's /opt/python (PYTHONTZPATH: the layer's tzdata) read as this layer."""
    return {name: value.replace("/opt/python", str(layer)) for name, value in environment.items()}


def variants(
    layer: Path, libraries: Path, functions: Path, source_layer: Path | None, adot: Path | None
) -> list[Variant]:
    # The baseline looks boto3 up through the same sys.path as the events handler does.
    events_dir = str(functions / FUNCTIONS["ScalingEventsFunction"])
    baseline_path = [events_dir, str(layer), str(libraries)]
    events_on = at_layer(lambda_environment("ScalingEventsFunction", "on"), layer)
    found = [Variant("import boto3", "boto3", baseline_path, events_on)]
    # The functions' clients come from botocore's session (sagemaker_autoscaler/aws), not from boto3:
    # the rows below build up from that import to the package's own code.
    sdk = "botocore.session"
    found.append(Variant("import botocore.session (what the package imports)", sdk, baseline_path, events_on))
    # What Powertools' logger and metrics add on their own: the part of the floor the package cannot use.
    powertools = f"{sdk}, sagemaker_autoscaler.telemetry.powertools"
    found.append(Variant("  + Powertools logger and metrics", powertools, baseline_path, events_on))
    # ... and with the layer's libraries too: what is left above this row is the package's own code.
    libraries_too = f"{powertools}, msgspec, zoneinfo"
    found.append(
        Variant("  + msgspec and zoneinfo (the layer's libraries)", libraries_too, baseline_path, events_on)
    )
    # The first client after the import: botocore's session does not move boto3's import cost to the
    # first invocation (both build the same client from the same service model).
    first_client = "boto3.client('sagemaker')"
    found.append(
        Variant(f"import boto3, then {first_client}", "boto3", baseline_path, events_on, then=first_client)
    )
    handler_client = "from sagemaker_autoscaler.aws.sagemaker import SageMaker; SageMaker().client"
    label = "scaling_events, tracing on, then its first client"
    found.append(Variant(label, "app", baseline_path, events_on, then=handler_client))
    for function_id, folder in FUNCTIONS.items():
        function_dir = str(functions / folder)
        for tracing in ("on", "off"):
            found.append(
                Variant(
                    f"{folder}, tracing {tracing}",
                    "app",
                    [function_dir, str(layer), str(libraries)],
                    at_layer(lambda_environment(function_id, tracing), layer),
                    floor=FLOORS[tracing],
                )
            )
        if source_layer is not None:
            found.append(
                Variant(
                    f"{folder}, tracing on, layer without byte code",
                    "app",
                    [function_dir, str(source_layer), str(libraries)],
                    at_layer(lambda_environment(function_id, "on"), source_layer),
                )
            )
        if adot is not None:
            service = {"OTEL_SERVICE_NAME": f"sagemaker-autoscaler-{function_id}"}
            found.append(
                Variant(
                    f"{folder}, tracing on + ADOT start-up",
                    "app",
                    [function_dir, str(layer), str(libraries), str(adot)],
                    {**at_layer(lambda_environment(function_id, "on"), layer), **ADOT_ENVIRONMENT, **service},
                    adot=True,
                )
            )
    return found


def report(measured: list[Variant], origin: str, rounds: int, seed: int) -> int:
    """Print each variant's median times and paired ratios to the baseline; 1 if a floor is missed."""
    baseline = measured[0]
    print(f"layer: {origin}")
    print(f"Python {sys.version.split()[0]}, {rounds} rounds (--seed {seed}); median import times, CPU and")
    print("wall clock; ratio: the median of each round's ratio to the round's bare import boto3, with the")
    print("95% confidence interval of that median (a run's verdict is its median; the interval is its noise)")
    print(f"{'variant':<56} {'CPU':>8} {'ratio':>6} {'95% CI':>11} {'wall':>8} {'ratio':>6}  floor (on CPU)")
    missed = []
    for variant in measured:
        cpu, wall = statistics.median(variant.cpu), statistics.median(variant.wall)
        ratio = paired_ratio(variant.cpu, baseline.cpu)
        low, high = median_interval(variant.cpu, baseline.cpu)
        verdict = ""
        if variant.floor is not None:
            verdict = f"<= {variant.floor:.2f}x {'met' if ratio <= variant.floor else 'MISSED'}"
            if ratio > variant.floor:
                missed.append(variant.label)
        wall_ratio = paired_ratio(variant.wall, baseline.wall)
        interval = f"{low:.2f}-{high:.2f}" if variant is not baseline else ""
        figures = f"{cpu:>6.1f}ms {ratio:>5.2f}x {interval:>11} {wall:>6.1f}ms {wall_ratio:>5.2f}x"
        print(f"{variant.label:<56} {figures}  {verdict}")
    if missed:
        print(f"floor missed: {'; '.join(missed)}")
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=41, help="fresh interpreters per variant (median)")
    parser.add_argument("--source-layer", action="store_true", help="also time the layer without byte code")
    parser.add_argument("--adot", type=Path, help="folder of `pip install --target` aws-opentelemetry-distro")
    parser.add_argument(
        "--seed", type=int, help="seed of the orders shuffled in the rounds (default: random)"
    )
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as scratch_name:
        scratch = Path(scratch_name)
        layer, origin = layer_with_byte_code(scratch)
        source_layer = layer_as_source(layer, scratch) if arguments.source_layer else None
        adot = arguments.adot.resolve() if arguments.adot else None
        measured = variants(layer, provided_libraries(scratch), function_code(scratch), source_layer, adot)
        # A fixed seed repeats the same orders run after run, and with them any effect of what ran just
        # before a variant: a random one by default, printed so that a run can be repeated.
        seed = random.randrange(2**32) if arguments.seed is None else arguments.seed
        shuffler = random.Random(seed)
        for variant in measured:  # one unmeasured pass: the OS file cache is warm for every variant alike
            variant.run()
            variant.clear()
        for _ in range(arguments.rounds):
            order = measured[:]
            shuffler.shuffle(order)
            for variant in order:
                variant.run()
    return report(measured, origin, arguments.rounds, seed)


if __name__ == "__main__":
    sys.exit(main())
