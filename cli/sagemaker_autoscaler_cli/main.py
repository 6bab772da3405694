"""sagemaker-autoscaler: see what the app would do to an account, and what it manages there now.

  plan    every change the app would make, per resource, and why (like `terraform plan`); never writes
  status  what the app manages now (its targets, policies, scheduled actions and alarms)
  report  the coming week in money: what the app's schedules save per endpoint and for the account

All three only read. Credentials, Region and profile are the usual AWS ones; --endpoint-url points at an
emulated account. `plan` exits 0 when nothing is pending, 2 when changes are pending, 1 on an error
(or when some resource could not be planned); `report` exits 1 when a resource could not be counted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from msgspec.structs import replace

from sagemaker_autoscaler.aws import make_client
from sagemaker_autoscaler.aws.autoscaling import AutoScaling
from sagemaker_autoscaler.aws.cloudwatch import CloudWatch
from sagemaker_autoscaler.aws.sagemaker import SageMaker
from sagemaker_autoscaler.aws.sqs import Queue
from sagemaker_autoscaler.aws.tagging import Tagging
from sagemaker_autoscaler.core.settings import Settings, SettingsError, WriteMode
from sagemaker_autoscaler.engine.account_run import Inventory, reconcile_account
from sagemaker_autoscaler.engine.dependencies import Dependencies
from sagemaker_autoscaler.engine.savings import account_week, instance_types
from sagemaker_autoscaler.engine.state import ScalingSnapshot
from sagemaker_autoscaler.telemetry.journal import FAILED, QUOTA, Journal
from sagemaker_autoscaler.telemetry.powertools import logger

from .prices import report_prices
from .reports import managed_now, plans_by_resource, render_plan, render_status
from .savings_chart import plot_report
from .savings_report import render_report, report_dict
from .settings_source import SettingsSourceError, overrides_from, settings_from_stack, settings_from_template
from .template import TEMPLATE_PATH, load_template

EXIT_NO_CHANGES, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sagemaker-autoscaler", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("plan", "what the app would change, and why"),
        ("status", "what the app manages now"),
        ("report", "the coming week's savings, in instance-hours and dollars"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--region", help="AWS Region (default: the profile's or AWS_DEFAULT_REGION)")
        command.add_argument("--profile", help="AWS profile of the shared config files")
        command.add_argument(
            "--endpoint-url", help="AWS endpoint (an emulated account, e.g. http://127.0.0.1:5000)"
        )
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("--verbose", action="store_true", help="the app's log lines on standard error")
    plan = commands.choices["plan"]
    plan.add_argument("--stack", help="plan with this deployed stack's parameters")
    plan.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a template parameter (without --stack)",
    )
    plan.add_argument("--template", type=Path, default=TEMPLATE_PATH, help="the stack's template.yaml")
    report = commands.choices["report"]
    report.add_argument("--stack", help="with this deployed stack's parameters")
    report.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a template parameter"
    )
    report.add_argument("--template", type=Path, default=TEMPLATE_PATH, help="the stack's template.yaml")
    report.add_argument(
        "--prices",
        choices=("auto", "snapshot", "api"),
        default="auto",
        help="the AWS Price List API, the snapshot shipped with the app, or auto: the API with the snapshot "
        "where it has no answer (the snapshot alone with --endpoint-url)",
    )
    report.add_argument("--png", type=Path, help="also draw the report as a PNG chart here")
    return parser


def _dependencies(
    session: boto3.session.Session, endpoint_url: str | None, settings: Settings
) -> Dependencies:
    options: dict[str, Any] = {"endpoint_url": endpoint_url} if endpoint_url else {}

    def client(service: str) -> Any:
        return make_client(service, session, **options)

    return Dependencies(
        settings=replace(
            settings, write_mode=WriteMode.PLAN
        ),  # the tool never writes, whatever the stack says
        sagemaker=SageMaker(client("sagemaker")),
        autoscaling=AutoScaling(client("application-autoscaling")),
        cloudwatch=CloudWatch(client("cloudwatch")),
        queue=Queue(None),
        tagging=Tagging(client("resourcegroupstaggingapi")),
        # Every line of the run, however large the account: the report is built from them.
        journal=Journal(entries=deque(), emit_metrics=False),
    )


def _settings(args: argparse.Namespace, session: boto3.session.Session) -> Settings:
    template = load_template(args.template)
    if args.stack:
        if args.param:
            raise SettingsSourceError("--param applies to the template's defaults: use it without --stack")
        options: dict[str, Any] = {"endpoint_url": args.endpoint_url} if args.endpoint_url else {}
        return settings_from_stack(session.client("cloudformation", **options), args.stack, template)
    return settings_from_template(template, overrides_from(args.param, template))


def _plan(args: argparse.Namespace, session: boto3.session.Session) -> int:
    deps = _dependencies(session, args.endpoint_url, _settings(args, session))
    summary = reconcile_account(deps).as_dict()
    plans = plans_by_resource(deps.journal.entries)
    if args.json:
        print(
            json.dumps({"summary": summary, "resources": [p.as_dict() for p in plans]}, indent=2, default=str)
        )
    else:
        print(render_plan(plans, summary))
    if summary["resources_failed"]:
        return EXIT_ERROR
    return EXIT_CHANGES if summary["planned"] else EXIT_NO_CHANGES


def _report(args: argparse.Namespace, session: boto3.session.Session) -> int:
    deps = _dependencies(session, args.endpoint_url, _settings(args, session))
    # One read of the account, by a plan run: it also says which units' scaling is not in place yet
    # (planned changes, failures), and its inventory is what the week is counted from.
    inventories: list[Inventory] = []
    reconcile_account(deps, inventory_sink=inventories.append)
    region = str(session.region_name)
    prices = report_prices(args.prices, args.endpoint_url, session, region, instance_types(inventories[0]))
    week = account_week(deps, prices, region, inventories[0], describe_components=True)
    # Every resource that failed, reading or counting, once (both runs journal into the same journal).
    week.failed = len(
        {e["resource_id"] for e in deps.journal.entries if e.get("decision") in (FAILED, QUOTA)}
    )
    report = report_dict(week, deps.journal.not_in_place)
    print(json.dumps(report, indent=2) if args.json else render_report(report))
    if args.png:
        print(f"Chart: {plot_report(report, args.png)}", file=sys.stderr if args.json else sys.stdout)
    return EXIT_ERROR if report["resources_not_counted"] else EXIT_NO_CHANGES


def _status(args: argparse.Namespace, session: boto3.session.Session) -> int:
    managed = managed_now(ScalingSnapshot(_dependencies(session, args.endpoint_url, Settings())))
    print(json.dumps(managed, indent=2) if args.json else render_status(managed))
    return EXIT_NO_CHANGES


@contextlib.contextmanager
def _app_logs_on_stderr(verbose: bool) -> Iterator[None]:
    """The app's structured log lines go to standard error (standard output is the report), and only
    when asked for: every problem they would report is in the report too."""
    handler: Any = logger.registered_handler
    stream, level = handler.stream, logger.log_level
    handler.setStream(sys.stderr)
    logger.setLevel("INFO" if verbose else "CRITICAL")
    try:
        yield
    finally:
        handler.setStream(stream)
        logger.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        session = boto3.session.Session(profile_name=args.profile, region_name=args.region)
        if session.region_name is None:
            print("sagemaker-autoscaler: no Region: pass --region or set AWS_DEFAULT_REGION", file=sys.stderr)
            return EXIT_ERROR
        with _app_logs_on_stderr(args.verbose):
            command = {"plan": _plan, "status": _status, "report": _report}[args.command]
            return command(args, session)
    except (SettingsSourceError, SettingsError, BotoCoreError, ClientError, OSError) as error:
        # OSError: the template file cannot be read.
        print(f"sagemaker-autoscaler: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
