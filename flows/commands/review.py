"""`casebook review`: record QA's decisions on the findings of a validation in the decision file
(editorial/review.yaml), so that the next validation and build show them as decided."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import NoReturn

from flows import editorial as editorial_files
from flows.commands import options
from flows.commands.options import add_project_option
from transform.validation.states import DECISIONS

HELP = "record QA decisions (accepted / waived / reported / to-fix) on validation findings"

EPILOG = """\
decisions:
  accepted   問題なし — looked at; nothing to change
  waived     対象外 — not a question for this casebook
  reported   発行元へ報告済み — a defect of the report the casebook cannot fix with an erratum,
             reported to the publisher (--to says to whom)
  to-fix     要修正 — to be fixed (an erratum, a coding); the finding stays open until then
  A finding an erratum of editorial/corrections.yaml resolves is closed as 訂正済み by itself.

examples:
  casebook review --accept-all --by 山田 --note "初回レビュー：全件確認済み"
  casebook review --check members.bin.5法人 --decision reported --to 発行元 --by 山田 --note "照会済み"
  casebook review --check area.single --decision to-fix --by 山田 --note "事例の所在地を確認"

--accept-all decides every open finding except the high ones (要対応): each of those is decided
on its own with --check, and a decision on a high finding needs --note. A decision holds while
the stated and derived values of its finding stay as they were; a rebuild that changes them
reopens the finding. exit codes: 0 recorded; 2 bad input (a bad option, no validation.json, an
id that is not a finding, an unreadable decision file) — one line on stderr.
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
    which.add_argument("--accept-all", action="store_true",
                       help="decide every open finding but the high ones (要対応)")
    which.add_argument("--check", action="append", metavar="ID", help="decide this finding (repeatable)")
    # Checked in run(), not by argparse: a mistyped decision gets "did you mean".
    parser.add_argument("--decision", default="accepted", metavar="DECISION",
                        help=f"{', '.join(DECISIONS)} (default: accepted)")
    parser.add_argument("--to", default="", metavar="WHOM",
                        help="with --decision reported: whom the defect was reported to")
    parser.add_argument("--by", required=True, help="who decides (name or initials)")
    parser.add_argument("--note", default="", help="why (required for a high finding)")
    _one_line_errors(parser)


def _one_line_errors(parser: argparse.ArgumentParser) -> None:
    """A bad option is one line on stderr and exit 2, like every other error of the command —
    not argparse's usage block."""

    def error(message: str) -> NoReturn:
        parser.exit(2, f"{parser.prog}: error: {message} — see `{parser.prog} --help`\n")

    parser.error = error  # type: ignore[method-assign]


def run(args: argparse.Namespace) -> int:
    from casebook.errors import EditorialError
    from transform.validation.review import decide, findings_from_json, load_decisions, save_decisions

    project = options.project(args)
    decisions_file = options.editorial(args, project).qa_decisions
    if decisions_file is None:
        raise EditorialError("--no-qa-decisions: name the QA decisions file to record the decisions in")
    validation = args.validation or project.output / "latest" / "validation.json"
    data = _read_validation(validation)
    done = decide(
        findings_from_json(data), load_decisions(decisions_file), by=args.by, note=args.note,
        decision=args.decision, check_ids=args.check, to=args.to,
    )
    save_decisions(decisions_file, done.decisions)
    lines = [f"casebook review: {len(done.decided)} findings decided ({args.decision}) → {decisions_file}"]
    lines += [f"  {facet} is part of {finding}: decided with it" for facet, finding in done.via_facet.items()]
    if done.skipped_high:
        lines.append(f"  {len(done.skipped_high)} high findings (要対応) not decided: --accept-all never "
                     "decides one — decide each with --check ID --decision reported|to-fix|waived|accepted "
                     f"--note WHY ({', '.join(done.skipped_high)})")
    if done.kept_to_fix:
        lines.append(f"  {len(done.kept_to_fix)} findings decided to-fix left as they are "
                     f"({', '.join(done.kept_to_fix)})")
    print("\n".join(lines))
    return 0


def _read_validation(path: Path) -> dict:
    from casebook.errors import EditorialError

    remedy = "run `casebook validate` or `casebook build` first, or name the file with --validation"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EditorialError(f"{path}: no such file — {remedy}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EditorialError(f"{path}: cannot be read ({exc.__class__.__name__}) — {remedy}") from exc
    except ValueError as exc:
        raise EditorialError(f"{path}: not JSON (line {getattr(exc, 'lineno', '?')}: "
                             f"{getattr(exc, 'msg', exc)}) — {remedy}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise EditorialError(f"{path}: not a validation.json (no list of checks) — {remedy}")
    return data
