"""The imperative shell: read what AWS holds, plan with the core, apply the difference."""
