"""validation.xlsx — the findings as a Japanese office works them in Excel.

Sheet 「所見」: one row per finding, the worst first (open before decided, then 要対応, 要確認,
参考 — the order of validation.html), with a frozen, filtered header, column widths that fit
Japanese text, wrapped cells, the severity coloured, and a link from each finding to the first
page of the HTML casebook that evidences it (`case-N.html#step-M`, relative like validation.html's
links). A finding reopened after a decision shows what changed: 「前 → 後」 of the report's
statement and of the value the cases give (`review.previous` of validation.json, where the
review records it). Sheet 「根拠」: every evidence sentence, one row each, with its case, step,
printed page and link. Both print on A4 landscape, one page wide, the header on every page.

Written with pandas (the tables) and openpyxl (the formatting); both are imported only here, so
that commands which never write a workbook start fast.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casebook.vocabulary import CAUSES, DECISIONS, SEVERITIES, show
from transform.records import Report
from transform.validation.model import Check, ValidationReport

if TYPE_CHECKING:
    from render.findings import FindingView

XLSX_NAME = "validation.xlsx"
FINDINGS_SHEET, EVIDENCE_SHEET = "所見", "根拠"
FONT = "游ゴシック"  # Excel's Japanese default face (Office 2016 and later)

FINDING_COLUMNS = ("No.", "重要度", "原因", "状態", "チェックID", "チェック", "報告書の記載", "記載ページ",
                   "事例からの値", "内容", "対応案", "変更（前 → 後）", "根拠（事例・ページ）", "根拠を開く",
                   "判断", "判断者", "判断日時", "判断メモ")
EVIDENCE_COLUMNS = ("所見No.", "チェックID", "事例", "事例名", "ステップ", "ページ", "根拠の文", "開く")
# Widest a column grows (in half-width characters) before its text wraps.
MAX_WIDTH = {"チェック": 36, "報告書の記載": 40, "事例からの値": 36, "内容": 60, "対応案": 40,
             "変更（前 → 後）": 40, "根拠（事例・ページ）": 36, "判断メモ": 30, "根拠の文": 80, "事例名": 30}
FILLS = {"high": "FDE4E4", "medium": "FFF0D4", "low": "E6EEF8"}  # the page's badge colours
HEADER_FILL = "D9E1F2"
LINE_HEIGHT = 13.5  # points per line of 10-point 游ゴシック
LISTED = 5  # cases listed in a finding's row
MAX_LINES = 20  # a taller row is cut (Excel's limit is 409 points)


@dataclass(frozen=True)
class CasebookLink:
    """A relative link into the HTML casebook: a file and the anchor in it."""

    target: str
    anchor: str
    text: str


def findings_workbook(vr: ValidationReport, report: Report, views: list[FindingView],
                      casebook_base: str = "") -> bytes:
    """The workbook's bytes (see the module doc); `views` in the page's order (worst first)."""
    import pandas as pd  # imported here: only the workbook needs pandas

    labels = {c.no: {s.step: s.label for s in c.steps} for c in report.cases}
    findings, finding_links, evidence, evidence_links = [], [], [], []
    for number, view in enumerate(views, start=1):
        check = view.check
        links = list(_links(check, labels, report, casebook_base))
        review = check.review
        findings.append([
            number, SEVERITIES.get(check.severity or "", ""), CAUSES.get(check.cause or "", ""), view.state,
            check.id, check.title, view.stated, view.page, view.derived, check.message, check.action,
            changed(check), _listed(links), "開く" if links else "",
            DECISIONS.get(review.decision, "") if review and review.decision else "",
            review.by if review else "", review.at if review else "", review.note if review else "",
        ])
        finding_links.append(links[0] if links else None)
        for ref in check.cases:
            for e in ref.evidence:
                if not e.quote:
                    continue
                link = _link(ref.no, e.step, casebook_base, "")
                evidence.append([number, check.id, f"事例{ref.no}", ref.name,
                                 labels.get(ref.no, {}).get(e.step, "") if e.step else "",
                                 report.page_reference(e.pages), e.quote, "開く"])
                evidence_links.append(link)
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for rows, columns, name in ((findings, FINDING_COLUMNS, FINDINGS_SHEET),
                                    (evidence, EVIDENCE_COLUMNS, EVIDENCE_SHEET)):
            pd.DataFrame(rows, columns=list(columns)).to_excel(writer, sheet_name=name, index=False)
        _format(writer.sheets[FINDINGS_SHEET], FINDING_COLUMNS, finding_links, "根拠を開く",
                severities=[v.check.severity or "" for v in views])
        _format(writer.sheets[EVIDENCE_SHEET], EVIDENCE_COLUMNS, evidence_links, "開く")
        writer.book.active = 0
    return out.getvalue()


def changed(check: Check) -> str:
    """「前 → 後」 of a reopened finding's statement and derived value, from what the review kept
    of the values it was decided on (`review.previous`: stated, derived); empty otherwise."""
    previous = _previous(check)
    if previous is None:
        return ""
    now_stated = check.stated.value if check.stated else None
    parts = []
    if "stated" in previous and previous["stated"] != now_stated:
        parts.append(f"報告書の記載: {show(previous['stated'])} → {show(now_stated)}")
    if "derived" in previous and previous["derived"] != check.derived:
        parts.append(f"事例からの値: {show(previous['derived'])} → {show(check.derived)}")
    return "\n".join(parts) or "（値の変化なし）"


def _previous(check: Check) -> dict[str, Any] | None:
    """The values a reopened finding was decided on, as a mapping, wherever the review keeps them
    (a `previous` mapping or dataclass with `stated` and `derived`)."""
    review = check.review
    previous = getattr(review, "previous", None) if review is not None else None
    if review is None or review.state != "reopened" or previous is None:
        return None
    if isinstance(previous, dict):
        return previous
    return {key: getattr(previous, key) for key in ("stated", "derived") if hasattr(previous, key)}


def _link(no: int, step: int | None, base: str, text: str) -> CasebookLink:
    return CasebookLink(f"{base}case-{no}.html", f"step-{step}" if step else "", text)


def _links(check: Check, labels: dict[int, dict[int, str]], report: Report, base: str) -> list[CasebookLink]:
    """Each case behind a finding with its first evidence: 「事例25 ④協働活動の実行 p.48」."""
    out = []
    for ref in check.cases:
        first = next((e for e in ref.evidence if e.quote), None)
        step = first.step if first else None
        where = [f"事例{ref.no}", labels.get(ref.no, {}).get(step, "") if step else "",
                 report.page_reference(first.pages) if first else ""]
        out.append(_link(ref.no, step, base, " ".join(w for w in where if w)))
    return out


def _listed(links: list[CasebookLink]) -> str:
    """The first cases behind a finding, one a line; the rest counted (all are on 「根拠」)."""
    shown = [link.text for link in links[:LISTED]]
    if len(links) > LISTED:
        shown.append(f"ほか{len(links) - LISTED}事例（「{EVIDENCE_SHEET}」シート）")
    return "\n".join(shown)


def _width(text: str) -> int:
    """Display width in half-width characters: a Japanese character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    """How many lines a text wraps to in a column `width` characters wide."""
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(_width(line) / usable)) for line in text.split("\n"))


def _format(sheet: Any, columns: tuple[str, ...], links: list[CasebookLink | None], link_column: str,
            severities: list[str] | None = None) -> None:
    """Header, widths, wrapping, links, colours and print setup of one sheet."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = sheet[letter]
        lines = [line for cell in cells for line in str(cell.value or "").split("\n")]
        longest = max((_width(line) for line in lines), default=4)
        sheet.column_dimensions[letter].width = min(max(longest, _width(name)) + 2, MAX_WIDTH.get(name, 24))
        for cell in cells:
            cell.font = Font(name=FONT, size=10, bold=cell.row == 1)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
        cells[0].fill = PatternFill("solid", fgColor=HEADER_FILL)
        cells[0].alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, len(columns) + 1)]
    for row in sheet.iter_rows(min_row=2):
        # Row heights set here: neither Excel nor LibreOffice grows a row for wrapped text on opening.
        lines = max(_lines(str(cell.value or ""), width) for cell, width in zip(row, widths, strict=False))
        sheet.row_dimensions[row[0].row].height = min(lines, MAX_LINES) * LINE_HEIGHT + 3
    link_letter = get_column_letter(columns.index(link_column) + 1)
    for row, link in enumerate(links, start=2):
        if link is None:
            continue
        cell = sheet[f"{link_letter}{row}"]
        # Target and anchor apart, as Excel stores a link to a place in another file.
        cell.hyperlink = Hyperlink(ref=cell.coordinate, target=link.target, location=link.anchor or None,
                                   tooltip=link.text or None)
        cell.font = Font(name=FONT, size=10, color="0563C1", underline="single")
    if severities is not None:
        severity_letter = get_column_letter(columns.index("重要度") + 1)
        for row, severity in enumerate(severities, start=2):
            if severity in FILLS:
                sheet[f"{severity_letter}{row}"].fill = PatternFill("solid", fgColor=FILLS[severity])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
