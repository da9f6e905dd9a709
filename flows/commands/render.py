"""`casebook render [PDF | report.json] --out DIR`: write DIR/casebook.docx, DIR/casebook.pdf and
the static site DIR/html/.

The same stages as a build (flows/pipeline.py): the records, corrected with the editors' errata,
validated against the editors' codebook (member counts and 業務 markers, the appendix) with QA's
decisions, and rendered in every format from the same records; the PDF is LibreOffice's print of
the same document as the .docx.
"""

from __future__ import annotations

import argparse

from flows.commands import options
from flows.commands.options import add_editorial_options, add_input_options

HELP = "render the casebook (事例集) as Word and PDF (casebook.docx, casebook.pdf) and a static site (html/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out="render")
    parser.add_argument("--edition", default=None, help="edition printed on the cover (e.g. 第1版)")
    add_editorial_options(parser)
    parser.add_argument("--no-validate", action="store_true",
                        help="skip validation (member counts and 業務 show as —)")


def run(args: argparse.Namespace) -> int:
    from casebook.vocabulary import summary_line
    from flows.files import write_files
    from flows.pipeline import Plan

    project = options.project(args)
    editorial = options.editorial(args, project)
    if args.no_validate:  # only the errata and the table settings are read
        editorial = editorial.without("reviewed_codings", "qa_decisions", "proofreading")
    editorial.check()  # before reading the PDF: a wrong path fails at once
    out = options.out(args, project)
    plan = Plan(options.source(args, project), editorial, validated=not args.no_validate,
                edition=args.edition, publication=project.publication)
    outcome = plan.run(options.stages(args))
    rendered, validation = outcome.rendered, outcome.validation
    assert rendered is not None  # a plan that renders
    write_files(out, rendered.files)
    site = sum(1 for name in rendered.files if name.startswith("html/"))
    status = f"validation: {summary_line(validation.summary())}" if validation else "validation skipped"
    print(f"{len(outcome.report.cases)} cases → {out / 'casebook.docx'}, casebook.pdf "
          f"({rendered.pages} pages) and {out / 'html'} ({site} files); {len(outcome.applied)} corrections; "
          f"{status}")
    return 0
