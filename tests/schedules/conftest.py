"""The integration suite's emulated account, re-used as is: the off-hours acceptance tests run through the
same delivery path (template rules -> queue -> handler -> emulated AAS)."""

from tests.integration.conftest import (  # noqa: F401 - pytest finds fixtures by name in this module
    _environment,
    autoscaling,
    aws,
    cloudwatch,
    logs,
    sagemaker,
    stack,
)
