"""`casebook sheets --out DIR`: write a confirmation sheet (事例確認シート) per case — the case as
the casebook prints it, its source pages and a short request to confirm or correct it with track
changes on — named by case number and organisation (事例03_….docx). Send each to its organisation;
absorb the returned sheets with `casebook absorb SHEET.docx`.

The sheets show the same records as the casebook: the source, corrected with the editors' errata
and validated with the editors' codebook (member counts and 業務 in the case's table).
"""

from __future__ import annotations

import argparse

from flows.commands import options
from flows.commands.options import add_editorial_options, add_input_options

HELP = "write a confirmation sheet (事例確認シート, .docx with track changes on) per case"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out="sheets")
    parser.add_argument("--edition", default=None, help="edition the sheets name (e.g. 第1版)")
    add_editorial_options(parser)


def run(args: argparse.Namespace) -> int:
    from flows.files import write_files
    from flows.pipeline import Plan, build_info
    from render.sheets import render_sheets

    project = options.project(args)
    editorial = options.editorial(args, project)
    editorial.check()  # before reading the PDF: a wrong path fails at once
    out = options.out(args, project)
    source = options.source(args, project)
    outcome = Plan(source, editorial, stop_after="validate").run(options.stages(args))
    info = build_info(args.edition, source, outcome.extracted.sha256, publication=project.publication)
    sheets = render_sheets(outcome.report, outcome.validation, outcome.applied, info)
    write_files(out, sheets)
    first = min(sheets)
    print(f"{len(sheets)} confirmation sheets → {out} ({first} …); send each to its organisation and absorb "
          "the returned ones with `casebook absorb`")
    return 0
