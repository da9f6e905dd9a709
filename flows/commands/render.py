"""`casebook render [PDF] --out DIR`: write DIR/casebook.docx, DIR/casebook.pdf and the static
site DIR/html/.

The records are extracted from the PDF, corrected with the editors' errata, validated against the
editors' codebook (member counts and 業務 markers, the appendix), and rendered in every format
from the same records; the PDF is LibreOffice's print of the same document as the .docx.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from datetime import UTC, datetime
from pathlib import Path

from flows.commands.options import EDITORIAL, add_editorial_options, add_input_options, table_settings
from flows.paths import DEFAULT_OUTPUT
from flows.progress import read_with_progress

HELP = "render the casebook (事例集) as Word and PDF (casebook.docx, casebook.pdf) and a static site (html/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser, out=DEFAULT_OUTPUT / "render", out_help="output/render")
    parser.add_argument("--edition", default=None, help="edition printed on the cover (e.g. 第1版)")
    add_editorial_options(parser)
    parser.add_argument("--corrections", type=Path, default=EDITORIAL / "corrections.yaml",
                        help="errata file (default: editorial/corrections.yaml)")
    parser.add_argument("--no-validate", action="store_true",
                        help="skip validation (member counts and 業務 show as —)")


def run(args: argparse.Namespace) -> int:
    from flows.failures import InputError, check_files
    from flows.files import write_files
    from render.docx import render_print
    from render.html import render_site
    from render.office import OfficeError
    from transform.corrections import CorrectionError, apply_corrections, load_corrections
    from transform.records import BuildInfo

    try:  # before reading the PDF: a wrong path fails at once
        if not args.no_validate:
            check_files({"codebook": args.codebook, "reviewed": args.reviewed})
    except InputError as exc:
        print(f"casebook render: error: {exc}", file=sys.stderr)
        return 2
    original = read_with_progress(
        args.pdf, workers=args.workers, quiet=args.quiet, table_settings=table_settings(args)
    )
    try:
        report, corrections = apply_corrections(original, load_corrections(args.corrections))
        validation = None if args.no_validate else _validate(report, args)
        if validation is not None and corrections:
            corrections = _explain(original, report, validation, corrections, args)
    except (_EditorialError, CorrectionError) as exc:
        return _error(exc)
    build = BuildInfo(
        edition=args.edition,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source_name=args.pdf.name,
        source_sha256=report.sha256,
    )
    try:
        printed = render_print(report, validation, corrections, build)
    except OfficeError as exc:
        return _error(exc)
    files = {"casebook.docx": printed.docx, "casebook.pdf": printed.pdf}
    site = render_site(report, validation, corrections, build)
    files.update({f"html/{name}": data for name, data in site.items()})
    write_files(args.out, files)
    status = "validation skipped" if validation is None else _summary(validation)
    print(f"{len(report.cases)} cases → {args.out / 'casebook.docx'}, casebook.pdf ({printed.pages} pages) "
          f"and {args.out / 'html'} ({len(site)} files); {len(corrections)} corrections; {status}")
    return 0


def _error(exc: Exception) -> int:
    one_line = " ".join(part.strip() for part in str(exc).splitlines() if part.strip())
    print(f"casebook render: error: {one_line}", file=sys.stderr)
    return 2


def _explain(original, report, validation, corrections, args: argparse.Namespace):
    from transform.corrections import explain_corrections

    reviewed = args.reviewed if args.reviewed.exists() else None
    return explain_corrections(original, report, validation, corrections, args.codebook, reviewed)


class _EditorialError(Exception):
    """The editors' codebook or reviewed codings cannot be read."""


def _validate(report, args: argparse.Namespace):
    """The validation report with QA's decisions and the proofreading patterns (the appendix
    counts findings as the triage page does), or None where validation is not available."""
    if importlib.util.find_spec("transform.validation.run") is None:
        print("casebook render: validation not available; member counts and 業務 show as —",
              file=sys.stderr)
        return None
    from transform.validation.coding import CodebookError
    from transform.validation.review import ReviewFileError
    from transform.validation.run import validate_report

    try:
        return validate_report(report, args.codebook, args.reviewed, args.review, args.proofreading)
    except (CodebookError, ReviewFileError) as exc:
        raise _EditorialError(str(exc)) from exc


def _summary(validation) -> str:
    from casebook.vocabulary import summary_line

    return f"validation: {summary_line(validation.summary())}"
