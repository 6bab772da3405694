"""The demo: sagemaker-autoscaler's main job, offline, on an emulated AWS account.

It starts the emulator (moto plus the project's gap layer) on 127.0.0.1, deploys the stack's rules and
queues from template.yaml, creates a realistic mix of SageMaker resources, delivers their events through
the template's own rules to the real handler, and prints the resulting scaling state and the action log.
Then it deletes one endpoint and shows the clean-up.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REGION = "eu-west-1"
ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def emulated_account() -> Iterator[str]:
    """Start the emulator on a free loopback port; point every AWS client of this process at it."""
    from moto.server import ThreadedMotoServer

    from local_account import moto_gaps

    moto_gaps.install()
    # The emulator's HTTP request log would drown the demo's tables.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    os.environ.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID="demo",
        AWS_SECRET_ACCESS_KEY="demo",
        AWS_DEFAULT_REGION=REGION,
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_METRICS_NAMESPACE="SageMakerAutoscaler",
    )
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    try:
        yield url
    finally:
        server.stop()


def scaling_rows() -> list[list[Any]]:
    from local_account.stack import describe_scaling

    state = describe_scaling()
    alarms = state.pop("_alarms")
    rows = []
    for resource_id, target in sorted(state.items()):
        owner = "app" if target["tags"].get("managed-by") == "sagemaker-autoscaler" else "someone else"
        own_alarms = [
            a.rsplit("/", 1)[-1] for a in alarms if a.startswith(f"sagemaker-autoscaler-{resource_id}/")
        ]
        rows.append(
            [
                resource_id,
                target["dimension"].split(":")[-1],
                target["min"],
                target["max"],
                owner,
                ", ".join(p.removeprefix("sagemaker-autoscaler-") for p in target["policies"]) or "-",
                ", ".join(own_alarms) or "-",
            ]
        )
    return rows


def print_state(title: str) -> None:
    from sagemaker_autoscaler_cli.render import table

    print(f"\n{title}")
    rows = scaling_rows()
    if not rows:
        print("  (no scalable targets)")
        return
    print(table(["resource", "dimension", "min", "max", "owner", "policies", "alarms"], rows))


def print_actions(entries: list[dict[str, Any]]) -> None:
    from sagemaker_autoscaler_cli.render import describe_value, table

    rows = []
    for entry in entries:
        if entry["action"] == "Decision":
            if entry["decision"] in {"configured", "released"}:
                continue  # the changes above it already say so
            rows.append([entry["decision"], entry["resource_id"], "", "", entry["reason"]])
        elif entry["action"] == "Warning":
            rows.append(["warning", entry["resource_id"], "", "", entry["message"]])
        elif entry["action"] == "ConfigProblem":
            rows.append(
                ["tag " + entry["severity"], entry["resource_id"], entry["value"], "", entry["message"]]
            )
        else:
            rows.append(
                [
                    entry["action"],
                    entry["resource_id"],
                    describe_value(entry["old"]),
                    describe_value(entry["new"]),
                    entry["outcome"],
                ]
            )
    print(table(["action", "resource", "old", "new", "outcome / reason"], rows))


def print_week(out_dir: Path) -> None:
    """The coming week of every scheduled resource, replayed from the scheduled actions the app wrote."""
    from local_account.preview import plot_png, render_text, resource_weeks

    scheduled = [
        week for week in resource_weeks() if len({(h.min_capacity, h.max_capacity) for h in week.hours}) > 1
    ]
    print("\nThe week ahead, replayed from the scheduled actions the app wrote (in each resource's zone):")
    print(render_text(scheduled))
    png = plot_png(scheduled, out_dir / "week-preview.png")
    print(f"Chart: {png}")


def show_report(url: str, out_dir: Path, params: Sequence[str] = ()) -> int:
    """What ``sagemaker-autoscaler report`` prints for the emulated account: the week's saving in dollars,
    with the price snapshot's cited prices (an emulated account has no Price List API)."""
    from sagemaker_autoscaler_cli.main import main

    png = out_dir / "savings-report.png"
    arguments = [
        "report",
        "--endpoint-url",
        url,
        "--region",
        REGION,
        *_param_arguments(params),
        "--png",
        str(png),
    ]
    print(f"\nWhat the schedules save, in dollars:\n$ sagemaker-autoscaler {' '.join(arguments)}")
    return main(arguments)


def deliver(stack: Any, quiet_logs: io.TextIOBase, timeout_seconds: float = 30.0) -> None:
    """Drain the queue until nothing is pending, including delayed rechecks (the demo uses 1 s delays)."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        with contextlib.redirect_stdout(quiet_logs):
            stack.drain()
        if stack.pending() == 0 or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def show_plan(url: str, title: str, params: Sequence[str] = ()) -> int:
    """What ``sagemaker-autoscaler plan`` prints for the emulated account (it only reads), with the same
    stack parameters as the demo's functions."""
    from sagemaker_autoscaler_cli.main import EXIT_CHANGES, main

    arguments = ["plan", "--endpoint-url", url, "--region", REGION, *_param_arguments(params)]
    print(f"\n{title}\n$ sagemaker-autoscaler {' '.join(arguments)}")
    code = main(arguments)
    print(f"(exit code {code}: {'changes pending' if code == EXIT_CHANGES else 'nothing pending'})")
    return code


def _param_arguments(params: Sequence[str]) -> list[str]:
    return [argument for param in params for argument in ("--param", param)]


def keep_running(url: str, params: Sequence[str]) -> None:
    """Leave the emulated account up for ``plan``, ``status`` and the preview, until Ctrl-C."""
    print(
        "\nThe emulated account stays up until Ctrl-C. From another terminal, in this folder:\n"
        f"  export AWS_ENDPOINT_URL={url} AWS_DEFAULT_REGION={REGION}"
        " AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo\n"
        f"  .venv/bin/sagemaker-autoscaler plan --endpoint-url {url} --region {REGION}"
        f"{''.join(' ' + argument for argument in _param_arguments(params))}\n"
        f"  .venv/bin/sagemaker-autoscaler status --endpoint-url {url} --region {REGION}\n"
        f"  .venv/bin/sagemaker-autoscaler report --endpoint-url {url} --region {REGION}\n"
        "  PYTHONPATH=.:layers/autoscaler .venv/bin/python -m local_account.preview",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            time.sleep(3600)


def run(log_path: Path, options: argparse.Namespace) -> int:
    from local_account.demo_options import moment

    at = moment(options.at)
    clock = contextlib.nullcontext() if at is None else _frozen_from(at)
    with clock, emulated_account() as url:
        import boto3

        from local_account import aws_events
        from local_account.demo_account import DESCRIPTION, create_demo_account, deploy_mistral
        from local_account.stack import EmulatedStack
        from sagemaker_autoscaler.telemetry.powertools import logger
        from sagemaker_autoscaler_cli.main import main as cli

        log_path.parent.mkdir(parents=True, exist_ok=True)
        logs = log_path.open("w")
        # The structured JSON logs and EMF metrics go to a file; the terminal gets readable tables.
        logger.registered_handler.setStream(logs)  # type: ignore[attr-defined]

        from local_account.demo_account import COMPONENTS, ENDPOINTS
        from local_account.demo_options import apply_tags, parameter_environment, resource_tags

        print(f"Emulated AWS account 123456789012 ({REGION}) listening on {url}")
        if at is not None:
            print(f"Running as if it were {at:%Y-%m-%d %H:%M} UTC (time goes on from there)")
        parameters = parameter_environment(options.param)
        tags = resource_tags(options.tag, ENDPOINTS, COMPONENTS)
        for param in options.param:
            print(f"Stack parameter: {param}")
        # A short recheck delay so the demo shows a component that is still loading without a long wait.
        overrides = {**parameters, "AUTOSCALER_RECHECK_DELAY_SECONDS": "1"}
        stack = EmulatedStack(REGION, environment_overrides=overrides)
        print(f"Deployed from template.yaml: rules {', '.join(stack.rule_names)} -> queue -> handler")

        sagemaker = boto3.client("sagemaker", region_name=REGION)
        autoscaling = boto3.client("application-autoscaling", region_name=REGION)
        account = create_demo_account(sagemaker, autoscaling, with_mistral=False)
        apply_tags(sagemaker, [tag for tag in tags if tag[1] != "Mistral-7B"])
        print(f"\nCreated: {DESCRIPTION}")
        for _, name, key, value in tags:
            print(f"  tagged {name}: {key}={value}")

        show_plan(url, "Before the first write, what would the app do? (read-only)", options.param)

        # Mistral-7B is deployed now, and its weights take a moment to load (the demo's 5 s stand for
        # the 5 to 20 minutes of a real model): its creation is reported while it is still Creating.
        deploy_mistral(sagemaker, loading_seconds=5)
        apply_tags(sagemaker, [tag for tag in tags if tag[1] == "Mistral-7B"])
        stack.publish(*account.events())
        before = len(stack.journal_entries)
        deliver(stack, logs)
        print_state("Scaling state after the events were delivered (WriteMode apply):")
        print("\nAction log:")
        print_actions(list(stack.journal_entries)[before:])

        print_week(log_path.parent)
        show_report(url, log_path.parent, options.param)

        print("\nDelivering the same events again (duplicates are normal with EventBridge)...")
        stack.publish(aws_events.endpoint_state_change("Doc-Embeddings", "IN_SERVICE"))
        before = len(stack.journal_entries)
        deliver(stack, logs)
        writes = [
            e
            for e in list(stack.journal_entries)[before:]
            if e["action"] not in {"Decision", "ConfigProblem", "Warning"}
        ]
        print(f"  writes made: {len(writes)}")
        show_plan(url, "And the plan now:", options.param)

        print("\nDeleting endpoint Doc-Embeddings...")
        sagemaker.delete_endpoint(EndpointName="Doc-Embeddings")
        stack.publish(aws_events.endpoint_state_change("Doc-Embeddings", "DELETING"))
        before = len(stack.journal_entries)
        deliver(stack, logs)
        print_actions(list(stack.journal_entries)[before:])
        print("\nWhat the app manages now:")
        print(f"$ sagemaker-autoscaler status --endpoint-url {url} --region {REGION}")
        cli(["status", "--endpoint-url", url, "--region", REGION])
        logs.close()
        print(f"\nStructured logs and EMF metrics of every invocation: {log_path}")
        if options.keep_running:
            keep_running(url, options.param)
    return 0


@contextlib.contextmanager
def _frozen_from(at: Any) -> Iterator[None]:
    """The clock of this process (the emulator's included) starts at ``at`` and then runs on."""
    from freezegun import freeze_time

    with freeze_time(at, tick=True):
        yield


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--log-file", type=Path, default=ROOT / "out" / "demo-logs.jsonl")
    example = "e.g. 2026-12-07T09:00 Europe/Berlin"
    parser.add_argument("--at", nargs="+", metavar="TIME [ZONE]", help=f"run as if it were then, {example}")
    tag_help = "one more tag on a demo resource (repeatable)"
    parser.add_argument(
        "--tag", nargs=2, action="append", default=[], metavar=("RESOURCE", "KEY=VALUE"), help=tag_help
    )
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="stack parameter")
    parser.add_argument("--keep-running", action="store_true", help="leave the emulated account up")
    args = parser.parse_args(argv)
    from local_account.demo_options import DemoOptionError

    try:
        return run(args.log_file, args)
    except DemoOptionError as error:
        parser.error(str(error))


if __name__ == "__main__":
    sys.exit(main())
