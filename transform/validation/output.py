"""validation.json (the contract) and validation.html (for QA, in Japanese) from a report."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from transform.records import Report
from transform.validation.model import Check, ValidationReport
from transform.vocabulary import BASIS, GROUPS, STATUS, show

TEMPLATES = Path(__file__).parent / "templates"



def validation_files(vr: ValidationReport, report: Report, *, casebook_base: str = "") -> dict[str, bytes]:
    """{"validation.json": …, "validation.html": …}. Case links point to `casebook_base +
    case-N.html#step-M` (the HTML casebook's scheme); the default suits a page placed beside it."""
    return {
        "validation.json": validation_json(vr),
        "validation.html": validation_html(vr, report, casebook_base=casebook_base).encode("utf-8"),
    }


def validation_json(vr: ValidationReport) -> bytes:
    """The stable JSON form (schema.yaml describes it)."""
    return (json.dumps(vr.to_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def validation_html(vr: ValidationReport, report: Report, *, casebook_base: str = "") -> str:
    """The QA page: summary first, then every check with stated and derived side by side."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["show"] = show
    env.filters["basis_text"] = basis_text
    labels = {c.no: {s.step: s.label for s in c.steps} for c in report.cases}

    def case_link(no: int, step: int | None = None) -> str:
        return f"{casebook_base}case-{no}.html" + (f"#step-{step}" if step else "")

    def step_label(no: int, step: int | None) -> str:
        return labels.get(no, {}).get(step, f"ステップ{step}") if step else ""

    template = env.get_template("validation.html.j2")
    return template.render(
        vr=vr,
        summary=vr.summary(),
        groups=[(key, title, [c for c in vr.checks if c.group == key]) for key, title in GROUPS.items()],
        attention=[c for c in vr.checks if c.status != "pass"],
        status_names=STATUS,
        basis_names=BASIS,
        case_names={c.no: c.name for c in report.cases},
        case_link=case_link,
        step_label=step_label,
        anchor=anchor,
    )


def anchor(check: Check) -> str:
    """An HTML id for a check (ids keep Japanese; only characters that break a fragment go)."""
    return "check-" + "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in check.id)


def basis_text(basis: str) -> str:
    """`derived_basis` in Japanese: 「reviewed 6, auto 0」 → 「レビュー 6件・自動コーディング 0件」."""
    if m := re.fullmatch(r"reviewed (\d+), auto (\d+)", basis):
        return f"レビュー {m[1]}件・自動コーディング {m[2]}件"
    names = {"mechanical": "記録から機械的に", "stated": "報告書の記載どうし"}
    if basis.startswith("fuzzy"):
        return "あいまい照合（rapidfuzz）"
    return names.get(basis, basis or "—")
