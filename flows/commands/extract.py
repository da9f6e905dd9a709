"""`casebook extract [PDF] --out DIR`: write report.json (what later stages read) and the other
extraction outputs: cases.json, items.csv, tables/, chapter3.json, outline.json, citations.json."""

from __future__ import annotations

import argparse

from flows.commands.options import add_input_options
from flows.paths import DEFAULT_OUTPUT

HELP = "extract the case tables, other tables and Chapter 3/4 text from the PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out=DEFAULT_OUTPUT / "extract", out_help="output/extract", records=False)


def run(args: argparse.Namespace) -> int:
    from flows.files import write_files
    from flows.pipeline import data_files
    from flows.progress import read_with_progress

    report = read_with_progress(args.pdf, table_settings=args.table_settings, workers=args.workers,
                                quiet=args.quiet)
    written = write_files(args.out, data_files(report))
    items = sum(1 for c in report.cases for _ in c.iter_items())
    print(f"{len(report.cases)} cases, {items} items, {len(report.tables)} tables, "
          f"{len(report.citations)} citations → {args.out} ({len(written)} files)")
    return 0
