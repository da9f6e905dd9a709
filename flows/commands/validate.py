"""`casebook validate [PDF] --out DIR`: check Chapter 3's counts and the report's cross-references
against the cases; write validation.json (the stable contract) and validation.html (for QA)."""

from __future__ import annotations

import argparse
from typing import Any

from flows.commands.options import add_editorial_options, add_input_options, table_settings
from flows.paths import DEFAULT_OUTPUT

HELP = "check Chapter 3's counts and the Chapter 4 citations against the cases"


EPILOG = """\
exit codes:
  0  no error (with --strict: and no high or medium finding open or reopened)
  1  --strict and a high (要対応) or medium (要確認) finding is open or reopened: decide it with
     `casebook review` (editorial/review.yaml) or fix its cause
  2  at least one error: the records cannot be trusted (blocks publishing) — a statement not
     found, a gap in case numbering, a stated label missing from the codebook, a reviewed quote
     that is not in its case — or bad input (unreadable PDF, codebook or reviewed codings)

Writes DIR/validation.json and DIR/validation.html; case links in the HTML point to
case-N.html#step-M of the HTML casebook (relative to --casebook-base).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_input_options(parser, out=DEFAULT_OUTPUT / "validation", out_help="output/validation")
    add_editorial_options(parser)
    parser.add_argument("--no-reviewed", action="store_true",
                        help="ignore reviewed codings: count from the auto-coding alone")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 while a high or medium finding is open or reopened")
    parser.add_argument("--casebook-base", default="",
                        help="URL prefix of the HTML casebook for case links (default: same folder)")


def run(args: argparse.Namespace) -> int:
    import sys

    from flows.failures import InputError, check_files
    from flows.files import write_files
    from flows.progress import read_with_progress
    from render.validation import validation_files
    from transform.validation.coding import CodebookError
    from transform.validation.review import ReviewFileError
    from transform.validation.run import validate_report

    try:  # before reading the PDF: a wrong path fails at once
        check_files({"codebook": args.codebook, "reviewed": None if args.no_reviewed else args.reviewed,
                     "proofreading": args.proofreading})
    except InputError as exc:
        print(f"casebook validate: error: {exc}", file=sys.stderr)
        return 2
    report = read_with_progress(
        args.pdf, workers=args.workers, quiet=args.quiet, table_settings=table_settings(args)
    )
    try:
        vr = validate_report(report, args.codebook, None if args.no_reviewed else args.reviewed, args.review,
                             args.proofreading)
    except (CodebookError, ReviewFileError) as exc:
        print(f"casebook validate: error: {exc}", file=sys.stderr)
        return 2
    write_files(args.out, validation_files(vr, report, casebook_base=args.casebook_base))
    print(f"{triage_line(vr)} → {args.out}")
    return vr.exit_code(strict=args.strict)


def triage_line(vr: Any) -> str:
    """「129 checks: 92 pass, 0 error; open findings 7 要対応, 22 要確認, 10 参考; 0 判断済み」."""
    s = vr.summary()
    return (f"{len(vr.checks)} checks: {s['pass']} pass, {s['error']} error; open findings "
            f"{s['high']} 要対応, {s['medium']} 要確認, {s['low']} 参考; {s['decided']} 判断済み")
