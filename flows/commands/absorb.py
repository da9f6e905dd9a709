"""`casebook absorb REVIEWED.docx`: take a reviewed casebook.docx (or a returned confirmation
sheet) into the editors' files — each tracked change in case text becomes a correction
(editorial/corrections.yaml) with its reviser, date and reason; each comment on a case becomes a
review note (editorial/notes.yaml) that QA sees in validation.html. The next build prints the
edits in Word, PDF and HTML and lists them in 付録B.

The edits are checked against the records as they are now (the source, with the corrections
file applied): an edit whose old text is gone, or that overlaps an earlier correction, is a
conflict, and then nothing is written unless --partial. Changes the casebook generates (cover,
contents, tables, appendix) are listed as not absorbable. Absorbing the same file twice adds
nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows import editorial as editorial_files
from flows.commands import options
from flows.commands.options import add_project_option

HELP = "take the tracked changes and comments of a reviewed casebook.docx or sheet into the editorial files"

EPILOG = """\
examples:
  casebook absorb ~/Downloads/casebook_校正済み.docx --dry-run     # show what would be written
  casebook absorb ~/Downloads/casebook_校正済み.docx                # write it
  casebook absorb 事例03_返送.docx --partial                        # write what fits, list conflicts

exit codes: 0 absorbed (or nothing to absorb); 2 bad input (not a .docx, damaged, not a casebook or
sheet, a revision without an author), conflicts (without --partial), or a file that cannot be read
or written — the editorial files are then unchanged.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_project_option(parser)
    parser.add_argument("docx", type=Path, help="the reviewed casebook.docx, or a returned sheet")
    parser.add_argument("--source", type=Path, default=None, metavar="PDF",
                        help="the source PDF (or report.json of `casebook extract`) the edits are checked "
                             "against (default: the project's report)")
    editorial_files.add_options(parser, names=("corrections", "notes", "table_settings"))
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be written, as a diff of each file; write nothing")
    parser.add_argument("--partial", action="store_true",
                        help="write the edits that fit even when others conflict (those are listed)")


def run(args: argparse.Namespace) -> int:
    from casebook.errors import EditorialError
    from flows.editorial_yaml import appended, diff, replace_files
    from flows.pipeline import Plan, Stages
    from render.absorb import absorb
    from render.revisions import ReviewedDocumentError, read_reviewed
    from transform.corrections import load_corrections
    from transform.review_notes import load_review_notes

    project = options.project(args)
    editorial = options.editorial(args, project).without("reviewed_codings", "qa_decisions", "proofreading")
    if editorial.corrections is None:
        raise EditorialError("--no-corrections: name the corrections file the edits are written to")
    editorial.check()
    try:
        data = args.docx.read_bytes()
    except OSError as exc:
        raise ReviewedDocumentError(str(args.docx), f"cannot read the file ({exc.strerror or exc})",
                                    "check the path") from None
    document = read_reviewed(data, str(args.docx))
    source = args.source if args.source is not None else project.source
    outcome = Plan(source, editorial, stop_after="correct").run(Stages())
    assert outcome.corrected is not None  # a plan that corrects
    result = absorb(document, outcome.corrected.report, load_corrections(editorial.corrections),
                    load_review_notes(editorial.notes))

    for warning in result.warnings:
        print(f"casebook absorb: warning: {warning}", file=sys.stderr)
    for item in result.not_absorbable:
        print(f"not absorbable: {item.where}: {item.what} — {item.why}")
    for conflict in result.conflicts:
        print(f"conflict: {conflict.where}: 「{conflict.old}」→「{conflict.new}」 — {conflict.why}")
    if result.conflicts and not args.partial:
        raise EditorialError(
            f"{args.docx}: {len(result.conflicts)} edits conflict with the records or the corrections file "
            "(listed above); nothing written — resolve them in Word or by hand, or write the others with "
            "--partial")

    changes: dict[Path, tuple[str, str]] = {}
    corrections_text = editorial.corrections.read_text(encoding="utf-8")
    new_text = appended(corrections_text, [c.to_entry() for c in result.corrections],
                        file=str(editorial.corrections))
    if new_text != corrections_text:
        changes[editorial.corrections] = (corrections_text, new_text)
    kept_notes = result.notes if editorial.notes is not None else []
    if editorial.notes is not None and kept_notes:
        notes_text = editorial.notes.read_text(encoding="utf-8")
        changes[editorial.notes] = (notes_text, appended(notes_text, [n.to_entry() for n in kept_notes],
                                                         file=str(editorial.notes)))
    if args.dry_run:
        for path, (before, after) in changes.items():
            sys.stdout.write(diff(path, before, after))
    else:
        replace_files({path: after for path, (_, after) in changes.items()})
    print(_summary(args, result, editorial.corrections, editorial.notes))
    return 0


def _summary(args: argparse.Namespace, result, corrections: Path, notes: Path | None) -> str:
    """「casebook absorb: r.docx: corrections +1 → …; review notes +0 → …; not absorbable 0」."""
    already = f" ({result.already} already there)" if result.already else ""
    parts = [f"corrections +{len(result.corrections)}{already} → {corrections}"]
    if notes is not None:
        already = f" ({result.notes_already} already there)" if result.notes_already else ""
        parts.append(f"review notes +{len(result.notes)}{already} → {notes}")
    elif result.notes:
        parts.append(f"{len(result.notes)} comments not kept (--no-notes)")
    parts.append(f"not absorbable {len(result.not_absorbable)}")
    if result.conflicts:
        parts.append(f"{len(result.conflicts)} conflicts skipped (--partial)")
    dry = " (dry run, nothing written)" if args.dry_run else ""
    return f"casebook absorb: {args.docx.name}{dry}: " + "; ".join(parts)
