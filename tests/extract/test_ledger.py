"""The glyph ledger and the per-case readings on the shipped PDF, and what report.json keeps."""

from __future__ import annotations

from extract.layout import PageLayout, TextRun
from extract.ledger import build_ledger, glyph_count
from extract.report import CaseRegion, Line
from transform.export import report_from_dict, report_to_dict
from transform.records import Report


def _case_pages(report: Report) -> set[int]:
    return {p for case in report.cases for p in case.pages}


def test_every_glyph_of_the_case_pages_is_assigned_once(report: Report) -> None:
    pages = [p for p in report.extraction.pages if p.page in _case_pages(report)]
    assert [p.page for p in pages] == list(range(12, 59))
    assert all(p.unassigned == 0 and p.twice == 0 and p.assigned == p.glyphs for p in pages)
    assert report.extraction.case_strays() == []
    places = {place for p in pages for place in p.places}
    assert {"case-heading", "table-header", "label", "sub-heading", "item", "note", "page-number",
            "running-header"} <= places
    assert sum(p.glyphs for p in pages) > 40_000


def test_every_glyph_of_the_shipped_pdf_has_a_place(report: Report) -> None:
    # Cover and contents (before the outline's first heading) and footnotes included.
    pages = report.extraction.pages
    assert len(pages) == report.page_count and sum(p.glyphs for p in pages) == 77_015
    assert sum(p.unassigned for p in pages) == 0 and report.extraction.strays == []
    assert {"front-matter", "footnote", "caption", "table", "outline"} <= {k for p in pages for k in p.places}


def test_the_shipped_cases_are_read_by_the_first_reading_with_the_defaults(report: Report) -> None:
    readings = report.extraction.readings
    assert [r.no for r in readings] == list(range(1, 30))
    assert all((r.strategies, r.settings, r.tried, r.failed, r.unassigned) == (["ruled"], {}, 1, [], 0)
               for r in readings)
    assert readings[0].why == "the first reading satisfies every invariant"


def test_report_json_keeps_the_readings_and_the_ledger(report: Report) -> None:
    data = report_to_dict(report)
    assert set(data["extraction"]) == {"readings", "pages", "strays"}
    assert data["extraction"]["pages"][11]["page"] == 12
    assert report_from_dict(data).extraction == report.extraction
    del data["extraction"]  # a report.json of an earlier version
    assert report_from_dict(data).extraction.readings == []


def _run(text: str, x0: float, top: float, page: int = 1) -> TextRun:
    return TextRun(text, x0, x0 + 10 * len(text), top, top + 10, 10.0, False, page, x0 + 10)


def test_text_in_a_case_s_part_that_went_elsewhere_is_unassigned_with_its_case() -> None:
    heading, label, body, folio = _run("事例1 名称【県】", 50, 100), _run("①", 50, 130), \
        _run("本文として読まれた行", 150, 200), _run("3", 300, 780)
    page = PageLayout(1, 600.0, 800.0, [heading, label, body, folio])
    region = CaseRegion([Line(heading, full=False)], None)
    placed = [(heading, "case-heading"), (label, "label"), (body, "outline"), (folio, "page-number")]
    ledger = build_ledger([page], placed, [(1, region)])
    (count,) = ledger.pages
    assert (count.glyphs, count.unassigned, count.places) == (
        sum(glyph_count(r.text) for r in page.runs), glyph_count(body.text),
        {"case-heading": 8, "label": 1, "page-number": 1},
    )
    assert [(s.page, s.x0, s.top, s.text, s.case) for s in ledger.strays] == [(1, 150.0, 200.0, body.text, 1)]


def test_a_cut_run_is_counted_by_its_pieces_and_a_glyph_read_twice_shows() -> None:
    run = TextRun("①ラベル 本文", 50, 170, 100, 110, 10.0, False, 1, 60)
    left = TextRun("①ラベル", 50, 90, 100, 110, 10.0, False, 1, 60)
    right = TextRun("本文", 150, 170, 100, 110, 10.0, False, 1, 160)
    page = PageLayout(1, 600.0, 800.0, [run])
    ok = build_ledger([page], [(left, "label"), (right, "item")], [])
    assert (ok.pages[0].unassigned, ok.pages[0].twice, ok.pages[0].places) == (0, 0, {"label": 4, "item": 2})
    twice = build_ledger([page], [(left, "label"), (right, "item"), (right, "outline")], [])
    assert twice.pages[0].twice == 2
