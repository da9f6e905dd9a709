"""Default locations, resolved relative to the project: it ships everything it reads."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = PROJECT_ROOT / "sources" / "r07_kyodoka_report.pdf"
DEFAULT_OUTPUT = PROJECT_ROOT / "output"
