"""`casebook review`: record QA's decisions on the findings of a validation in the decision file
(editorial/review.yaml), so that the next validation and build show them as decided."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from flows import editorial as editorial_files
from flows.commands import options
from flows.commands.options import add_project_option

HELP = "record QA decisions (accepted / waived / to-fix) on validation findings"

EPILOG = """\
examples:
  casebook review --accept-all --by 山田 --note "初回レビュー：全件確認済み"
  casebook review --check members.bin.3法人 --decision to-fix --by 山田 --note "事例11の法人数を確認"

A decision holds while the stated and derived values of its finding stay as they were; a rebuild
that changes them reopens the finding. exit codes: 0 recorded; 2 bad input (no validation.json,
an id that is not a finding, an unreadable decision file).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_project_option(parser)
    parser.add_argument("--validation", type=Path, default=None,
                        help="validation.json to decide on (default: latest/validation.json in the "
                             "project's output folder)")
    editorial_files.add_options(parser, names=("qa_decisions",))
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--accept-all", action="store_true", help="decide every open or reopened finding")
    which.add_argument("--check", action="append", metavar="ID", help="decide this finding (repeatable)")
    parser.add_argument("--decision", choices=("accepted", "waived", "to-fix"), default="accepted",
                        help="the decision (default: accepted)")
    parser.add_argument("--by", required=True, help="who decides (name or initials)")
    parser.add_argument("--note", default="", help="why")


def run(args: argparse.Namespace) -> int:
    from casebook.errors import EditorialError
    from transform.validation.review import decide, findings_from_json, load_decisions, save_decisions

    project = options.project(args)
    decisions_file = options.editorial(args, project).qa_decisions
    if decisions_file is None:
        raise EditorialError("--no-qa-decisions: name the QA decisions file to record the decisions in")
    validation = args.validation or project.output / "latest" / "validation.json"
    try:
        data = json.loads(validation.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EditorialError(
            f"{validation}: cannot read validation.json ({exc}) — run `casebook validate` or "
            "`casebook build` first, or name the file with --validation"
        ) from exc
    decisions, decided = decide(
        findings_from_json(data), load_decisions(decisions_file), by=args.by, note=args.note,
        decision=args.decision, check_ids=args.check,
    )
    decisions_file.parent.mkdir(parents=True, exist_ok=True)
    save_decisions(decisions_file, decisions)
    print(f"casebook review: {len(decided)} findings decided ({args.decision}) → {decisions_file}")
    return 0
