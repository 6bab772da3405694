"""What the app says about its work: one journal line per write or decision, and metrics."""
