"""Where the tests find the repository's own project (it is a casebook project: casebook.toml)."""

from __future__ import annotations

from pathlib import Path

from flows import project

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PROJECT = project.load(PROJECT_ROOT)
DEFAULT_SOURCE = PROJECT.source
