"""A small legacy inventory app: the demo code pyfix is run on (`pyfix --dry-run examples/`)."""
