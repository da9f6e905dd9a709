"""Options shared by several `casebook` subcommands, defined once, and the `Editorial` they make."""

from __future__ import annotations

import argparse
from pathlib import Path

from flows.paths import DEFAULT_SOURCE
from flows.pipeline import Editorial

SHIPPED = Editorial()


def add_input_options(
    parser: argparse.ArgumentParser, *, out: Path, out_help: str, records: bool = True
) -> None:
    """The source (positional, optional), the output folder, table settings, workers and quiet.

    `records`: the source may also be the report.json of an earlier `casebook extract`.
    """
    what = "source PDF, or the report.json of `casebook extract`" if records else "source PDF"
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help=f"{what} (default: the shipped report)")
    parser.add_argument("--out", type=Path, default=out, help=f"output folder (default: {out_help})")
    add_table_settings_option(parser)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_table_settings_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--table-settings", type=Path, default=None, metavar="YAML",
                        help="an edition's table-finding thresholds (names of extract/settings.py)")


def add_editorial_options(parser: argparse.ArgumentParser, *, reviewed_off: bool = False) -> None:
    """The editors' files: errata, codebook, reviewed codings, QA decisions, typo patterns.

    `reviewed_off`: also offer --no-reviewed (count from the auto-coding alone).
    """
    parser.add_argument("--corrections", type=Path, default=SHIPPED.corrections,
                        help="errata file (default: editorial/corrections.yaml)")
    parser.add_argument("--no-corrections", action="store_true",
                        help="apply no errata (the text exactly as extracted)")
    parser.add_argument("--codebook", type=Path, default=SHIPPED.codebook,
                        help="validation codebook (default: editorial/codebook.yaml)")
    parser.add_argument("--reviewed", type=Path, default=SHIPPED.reviewed,
                        help="reviewed codings (default: editorial/reviewed_codings.yaml)")
    if reviewed_off:
        parser.add_argument("--no-reviewed", action="store_true",
                            help="ignore reviewed codings: count from the auto-coding alone")
    add_review_option(parser)


def add_review_option(parser: argparse.ArgumentParser) -> None:
    """QA's decision file (findings decided there stay decided while their values hold) and the
    editors' known typo patterns."""
    parser.add_argument("--proofreading", type=Path, default=SHIPPED.proofreading,
                        help="known typo patterns (default: editorial/proofreading.yaml)")
    parser.add_argument("--review", type=Path, default=SHIPPED.review,
                        help="QA decisions on findings (default: editorial/review.yaml; "
                             "written by `casebook review`)")


def editorial(args: argparse.Namespace) -> Editorial:
    """The editorial files the options name, relative paths against the current folder."""
    return Editorial(
        corrections=None if getattr(args, "no_corrections", False) else args.corrections,
        codebook=args.codebook,
        reviewed=None if getattr(args, "no_reviewed", False) else args.reviewed,
        review=args.review,
        proofreading=args.proofreading,
        table_settings=args.table_settings,
    ).resolved(Path.cwd())
