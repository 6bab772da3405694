"""Install/uninstall run in the same emulated account as the event path."""

from tests.integration.conftest import (  # noqa: F401 - fixtures re-used by name
    _environment,
    autoscaling,
    aws,
    cloudwatch,
    logs,
    sagemaker,
    stack,
)
