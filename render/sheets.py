"""Confirmation sheets (事例確認シート): one .docx per case, to send to the organisation it describes.

A sheet is the case's chapter exactly as the casebook prints it — written by the casebook's own
Word builders (render/docx.py), so it carries the same identifiers per case, step and item
(render/wordids.py) — after a short request: the source pages it was made from, and how to answer
(correct the text itself with track changes on, which the sheet switches on in its settings; ask
or comment with Word comments; send the file back). A returned sheet is absorbed like the
casebook (`casebook absorb SHEET.docx`).

Files are named by case number and organisation: 「事例03_社会福祉連携推進法人….docx」.
"""

from __future__ import annotations

import io
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from render import wordids
from render.docx import _Writer
from render.model import Casebook, CaseView, casebook_view, display_date
from transform.records import AppliedCorrection, BuildInfo, Report
from transform.validation.model import ValidationReport

TITLE = "事例確認シート"
REQUEST = (
    "{book}に掲載する事例の内容を確認していただくためのシートです。下の「{heading}」は、報告書{source}の"
    "{pages}の記載から作成し、事例集に掲載するとおりに示しています。",
    "誤りや変更が必要な箇所があれば、このファイルの本文（事例名・ステップ名・見出し・項目・注記）を直接修正して"
    "ください。このファイルでは変更履歴の記録が有効になっています（Word の［校閲］→［変更履歴の記録］）。"
    "記録を止めたり、変更を承諾したりしないでください。",
    "ご質問やご意見、表の内容についてのご指摘は、該当する箇所にコメント（［校閲］→［新しいコメント］）で"
    "お寄せください。",
    "ご確認が済みましたら、このファイルを保存して、そのままご返送ください（修正がない場合もご返送ください）。",
)
# The settings that follow w:trackRevisions in the schema's order (CT_Settings).
_AFTER_TRACK_REVISIONS = (
    "w:doNotTrackMoves", "w:doNotTrackFormatting", "w:documentProtection", "w:autoFormatOverride",
    "w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope",
    "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting", "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing", "w:characterSpacingControl",
    "w:compat", "w:rsids", "m:mathPr", "w:themeFontLang", "w:clrSchemeMapping",
)
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # not allowed (or awkward) in a file name on Windows


def render_sheets(
    report: Report, validation: ValidationReport | None, corrections: list[AppliedCorrection],
    build: BuildInfo,
) -> dict[str, bytes]:
    """One confirmation sheet per case: file name → .docx bytes."""
    book = casebook_view(report, validation, corrections, build)
    return {sheet_name(view): sheet_docx(book, view) for view in book.cases}


def sheet_name(view: CaseView) -> str:
    """「事例03_社会福祉連携推進法人ありがとう安心サポート協会.docx」: sorted by number, named for the
    organisation."""
    organisation = _UNSAFE.sub("_", view.case.name).strip("._")[:60] or "事例"
    return f"事例{view.no:02d}_{organisation}.docx"


def sheet_docx(book: Casebook, view: CaseView) -> bytes:
    """The sheet of one case (see the module doc)."""
    writer = _Writer(book)
    wordids.stamp(writer.doc, wordids.SHEET, book.source.sha256)
    track_revisions(writer.doc)
    writer.doc.core_properties.title = f"{TITLE} {view.heading}"
    header = writer.doc.sections[0].header.paragraphs[0]
    header.add_run(f"{TITLE}　｜　{view.heading}")
    writer.para(TITLE, "Title")
    writer.para(view.heading, "Subtitle")
    source = "、".join(book.source.citation[:1])
    writer.attributes([
        ("掲載先", book.title + (f"（{book.build.edition}）" if book.build.edition else "")),
        ("出典", f"{source} {view.pages}"),
        ("作成日", display_date(book.build.built_at)),
    ])
    for text in REQUEST:
        writer.para(text.format(book=book.title, heading=view.heading, source=source, pages=view.pages))
    heading = writer.heading(view.heading, 1)
    writer.bookmark(heading, view.anchor)
    writer.bookmark(heading, wordids.name(view.no))
    writer.case(view)
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


def track_revisions(document) -> None:
    """Switch on track changes in the document's settings (w:trackRevisions): every edit the
    recipient makes is recorded, in Word and in LibreOffice."""
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    element = OxmlElement("w:trackRevisions")
    followers = {qn(tag) for tag in _AFTER_TRACK_REVISIONS}
    follower = next((child for child in settings if child.tag in followers), None)
    if follower is None:
        settings.append(element)
    else:
        follower.addprevious(element)
