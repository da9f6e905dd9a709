"""`casebook validate [PDF | report.json] --out DIR`: check Chapter 3's counts and the report's
cross-references against the cases (with the editors' errata applied, as a build does); write
validation.json (the stable contract), validation.html (for QA), validation-findings.csv and
validation.xlsx (the findings for Excel)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from flows.commands import options
from flows.commands.options import add_editorial_options, add_input_options

if TYPE_CHECKING:
    from transform.validation.model import ValidationReport

HELP = "check Chapter 3's counts and the Chapter 4 citations against the cases"


EPILOG = """\
exit codes:
  0  no error (with --strict: and no high or medium finding open or reopened)
  1  --strict and a high (要対応) or medium (要確認) finding is open or reopened: decide it with
     `casebook review` (editorial/review.yaml) or fix its cause
  2  at least one error: the records cannot be trusted (blocks publishing) — a statement not
     found, a gap in case numbering, a stated label missing from the codebook, a reviewed quote
     that is not in its case — or bad input (unreadable PDF, codebook or reviewed codings)

Writes DIR/validation.json, DIR/validation.html, DIR/validation-findings.csv and
DIR/validation.xlsx; case links in the HTML and the workbook point to case-N.html#step-M of the
HTML casebook (relative to --casebook-base).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_input_options(parser, out="validation")
    add_editorial_options(parser)
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 while a high or medium finding is open or reopened")
    parser.add_argument("--casebook-base", default="",
                        help="URL prefix of the HTML casebook for case links (default: same folder)")


def run(args: argparse.Namespace) -> int:
    from flows.files import write_files
    from flows.pipeline import Plan
    from render.validation import validation_files

    project = options.project(args)
    editorial = options.editorial(args, project)
    editorial.check()  # before reading the PDF: a wrong path fails at once
    out = options.out(args, project)
    outcome = Plan(options.source(args, project), editorial, stop_after="validate").run(options.stages(args))
    vr = outcome.validation
    assert vr is not None  # a plan that validates
    write_files(out, validation_files(vr, outcome.report, casebook_base=args.casebook_base,
                                      title=project.publication.title))
    print(f"{triage_line(vr)}; {len(outcome.applied)} corrections → {out}")
    blocked = vr.blocking(args.strict, f"{out / 'validation.html'} lists them")
    if blocked is not None:
        raise blocked
    return 0


def triage_line(vr: ValidationReport) -> str:
    """「14 open findings (要対応 3, 要確認 6, 参考 5; new 9, reopened 5), 20 decided, 10 corrected;
    92 checks passed, 0 errors」 — counted as validation.html and the build count."""
    from transform.validation.model import counts_text

    return counts_text(vr.summary())
