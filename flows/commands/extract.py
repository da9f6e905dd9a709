"""`casebook extract [PDF] --out DIR`: write cases.json and the other extraction outputs."""

from __future__ import annotations

import argparse

from flows.commands.options import add_input_options, table_settings
from flows.paths import DEFAULT_OUTPUT
from flows.progress import read_with_progress

HELP = "extract the case tables, other tables and Chapter 3/4 text from the PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out=DEFAULT_OUTPUT / "extract", out_help="output/extract")


def run(args: argparse.Namespace) -> int:
    from flows.files import write_files
    from transform.export import report_files

    report = read_with_progress(
        args.pdf, workers=args.workers, quiet=args.quiet, table_settings=table_settings(args)
    )
    written = write_files(args.out, report_files(report))
    items = sum(1 for c in report.cases for _ in c.iter_items())
    print(f"{len(report.cases)} cases, {items} items, {len(report.tables)} tables, "
          f"{len(report.citations)} citations → {args.out} ({len(written)} files)")
    return 0
