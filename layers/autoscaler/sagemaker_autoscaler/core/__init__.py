"""The functional core: values in, values out. No boto3, no clock (a ``now`` argument), no I/O."""
