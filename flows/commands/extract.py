"""`casebook extract [PDF] --out DIR`: write report.json (what later stages read) and the other
extraction outputs: cases.json, items.csv, tables/, chapter3.json, outline.json, citations.json."""

from __future__ import annotations

import argparse

from flows.commands import options
from flows.commands.options import add_input_options

HELP = "extract the case tables, other tables and Chapter 3/4 text from the PDF"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out="extract", records=False)


def run(args: argparse.Namespace) -> int:
    from flows.files import write_files
    from flows.pipeline import Plan, data_files

    project = options.project(args)
    editorial = options.editorial(args, project)
    editorial.check()
    out = options.out(args, project)
    plan = Plan(options.source(args, project), editorial, stop_after="extract")
    report = plan.run(options.stages(args)).report
    written = write_files(out, data_files(report))
    items = sum(1 for c in report.cases for _ in c.iter_items())
    print(f"{len(report.cases)} cases, {items} items, {len(report.tables)} tables, "
          f"{len(report.citations)} citations → {out} ({len(written)} files)")
    return 0
