"""`casebook extract [PDF] --out DIR`: write cases.json and the other extraction outputs."""

from __future__ import annotations

import argparse
from pathlib import Path

from flows.paths import DEFAULT_OUTPUT, DEFAULT_SOURCE
from flows.progress import read_with_progress

HELP = "extract the case tables, other tables and Chapter 3/4 text from the PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help="source PDF (default: the shipped report)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT / "extract",
                        help="output folder (default: output/extract)")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from flows.files import write_files
    from transform.export import report_files

    report = read_with_progress(args.pdf, workers=args.workers, quiet=args.quiet)
    written = write_files(args.out, report_files(report))
    items = sum(1 for c in report.cases for _ in c.iter_items())
    print(f"{len(report.cases)} cases, {items} items, {len(report.tables)} tables, "
          f"{len(report.citations)} citations → {args.out} ({len(written)} files)")
    return 0
