"""One module per AWS service. Each owns its client, created on first use (never at import time)."""

from botocore.config import Config

# Throttling and transient server errors are absorbed here, once, by botocore's standard retry mode
# (exponential backoff with jitter), rather than by hand-written loops.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 8},
    user_agent_extra="sagemaker-autoscaler",
)
