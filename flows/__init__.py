"""Orchestration: the CLI, the Prefect flow and publishing. Owns paths, logging and exit codes."""
