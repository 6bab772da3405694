"""A local, emulated AWS account (moto) for running and testing sagemaker-autoscaler without AWS."""
