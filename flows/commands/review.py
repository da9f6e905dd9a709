"""`casebook review`: record QA's decisions on the findings of a validation in the decision file
(editorial/review.yaml), so that the next validation and build show them as decided."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from flows.commands.options import add_review_option
from flows.paths import DEFAULT_OUTPUT

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
    parser.add_argument("--validation", type=Path, default=DEFAULT_OUTPUT / "latest" / "validation.json",
                        help="validation.json to decide on (default: output/latest/validation.json)")
    add_review_option(parser)
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

    try:
        data = json.loads(args.validation.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EditorialError(
            f"{args.validation}: cannot read validation.json ({exc}) — run `casebook validate` or "
            "`casebook build` first, or name the file with --validation"
        ) from exc
    decisions, decided = decide(
        findings_from_json(data), load_decisions(args.review), by=args.by, note=args.note,
        decision=args.decision, check_ids=args.check,
    )
    args.review.parent.mkdir(parents=True, exist_ok=True)
    save_decisions(args.review, decisions)
    print(f"casebook review: {len(decided)} findings decided ({args.decision}) → {args.review}")
    return 0
