"""The organisation-wide package: ``template.yaml`` as plain CloudFormation for a service-managed StackSet.

A service-managed StackSet rejects templates with a transform (``AWS::Serverless`` included) and cannot
deploy nested stacks, and Lambda reads code only from a bucket in its own Region. ``package`` builds the
code, zips it reproducibly, uploads it to one artifact bucket per Region and writes the template
translated offline by the SAM translator, every code location naming the bucket of the Region the stack
instance runs in. Run it with ``scripts/package_stackset.sh``.
"""
