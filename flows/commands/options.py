"""Options shared by several `casebook` subcommands, defined once."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from flows.paths import DEFAULT_SOURCE, PROJECT_ROOT

if TYPE_CHECKING:
    from extract.settings import TableSettings

EDITORIAL = PROJECT_ROOT / "editorial"
DEFAULT_CODEBOOK = EDITORIAL / "codebook.yaml"
DEFAULT_REVIEWED = EDITORIAL / "reviewed_codings.yaml"
DEFAULT_REVIEW = EDITORIAL / "review.yaml"
DEFAULT_PROOFREADING = EDITORIAL / "proofreading.yaml"


def add_input_options(parser: argparse.ArgumentParser, *, out: Path, out_help: str) -> None:
    """The source PDF (positional, optional), the output folder, workers and quiet."""
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help="source PDF (default: the shipped report)")
    parser.add_argument("--out", type=Path, default=out, help=f"output folder (default: {out_help})")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--table-settings", type=Path, default=None, metavar="YAML",
                        help="an edition's table-finding thresholds (names of extract/settings.py)")


def table_settings(args: argparse.Namespace) -> TableSettings:
    """The defaults, overridden by the edition's --table-settings file if one is given."""
    from extract.errors import ExtractionError
    from extract.settings import TableSettings

    path = args.table_settings
    if path is None:
        return TableSettings()
    import yaml

    try:
        return TableSettings.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        problem = " ".join(str(exc).split())
        raise ExtractionError(path, f"bad table settings: {problem}", "fix or remove the file") from exc


def add_editorial_options(parser: argparse.ArgumentParser) -> None:
    """The editors' validation inputs: codebook and reviewed codings."""
    parser.add_argument("--codebook", type=Path, default=DEFAULT_CODEBOOK,
                        help="codebook YAML (default: editorial/codebook.yaml)")
    parser.add_argument("--reviewed", type=Path, default=DEFAULT_REVIEWED,
                        help="reviewed codings YAML (default: editorial/reviewed_codings.yaml)")
    add_review_option(parser)


def add_review_option(parser: argparse.ArgumentParser) -> None:
    """QA's decision file (findings decided there stay decided while their values hold) and the
    editors' known typo patterns."""
    parser.add_argument("--proofreading", type=Path, default=DEFAULT_PROOFREADING,
                        help="known typo patterns (default: editorial/proofreading.yaml)")
    parser.add_argument("--review", type=Path, default=DEFAULT_REVIEW,
                        help="QA decisions on findings (default: editorial/review.yaml; "
                             "written by `casebook review`)")
