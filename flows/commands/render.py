"""`casebook render [PDF | report.json] --out DIR`: write DIR/casebook.docx, DIR/casebook.pdf and
the static site DIR/html/.

The same stages as a build (flows/pipeline.py): the records, corrected with the editors' errata,
validated against the editors' codebook (member counts and 業務 markers, the appendix) with QA's
decisions, and rendered in every format from the same records; the PDF is LibreOffice's print of
the same document as the .docx.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from flows.commands import options
from flows.commands.options import add_editorial_options, add_input_options
from flows.paths import DEFAULT_OUTPUT

HELP = "render the casebook (事例集) as Word and PDF (casebook.docx, casebook.pdf) and a static site (html/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out=DEFAULT_OUTPUT / "render", out_help="output/render")
    parser.add_argument("--edition", default=None, help="edition printed on the cover (e.g. 第1版)")
    add_editorial_options(parser)
    parser.add_argument("--no-validate", action="store_true",
                        help="skip validation (member counts and 業務 show as —)")


def run(args: argparse.Namespace) -> int:
    from casebook.vocabulary import summary_line
    from flows import pipeline
    from flows.files import write_files
    from flows.progress import read_with_progress

    editorial = options.editorial(args)
    if args.no_validate:  # only the errata and the table settings are read
        editorial = replace(editorial, reviewed=None, review=None, proofreading=None)
    editorial.check()  # before reading the PDF: a wrong path fails at once
    report = read_with_progress(args.pdf, table_settings=editorial.table_settings, workers=args.workers,
                                quiet=args.quiet)
    corrected = pipeline.correct(report, editorial.corrections)
    validation = None if args.no_validate else pipeline.validate(corrected.report, editorial)
    applied = pipeline.explain(corrected, validation, editorial) if validation else corrected.applied
    info = pipeline.build_info(args.edition, args.pdf, report.sha256)
    rendered = pipeline.render(corrected.report, validation, applied, info)
    write_files(args.out, rendered.files)
    site = sum(1 for name in rendered.files if name.startswith("html/"))
    status = f"validation: {summary_line(validation.summary())}" if validation else "validation skipped"
    print(f"{len(report.cases)} cases → {args.out / 'casebook.docx'}, casebook.pdf ({rendered.pages} pages) "
          f"and {args.out / 'html'} ({site} files); {len(applied)} corrections; {status}")
    return 0
