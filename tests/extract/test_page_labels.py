"""Printed page numbers: read from the page margins, kept per PDF page, exported in report.json."""

from __future__ import annotations

from transform.export import report_files, report_from_dict
from transform.records import Report


def test_printed_page_numbers_of_the_shipped_pdf(report: Report) -> None:
    # The report numbers its pages from the first page of Chapter 1 (PDF page 4 prints 「1」);
    # the cover and the contents print none.
    assert report.printed_page(12) == "9"
    assert report.printed_page(58) == "55"
    assert report.printed_page(1) == ""
    assert report.page_reference([12, 13]) == "p.9–10（PDF 12–13）"
    assert report.page_reference([1]) == "PDF 1"
    # Every numbered page, PDF 4–77 (the last page is the colophon), in sequence.
    assert sorted(report.page_labels) == list(range(4, 78))
    assert all(int(label) == page - 3 for page, label in report.page_labels.items())


def test_page_labels_round_trip_through_report_json(report: Report) -> None:
    import json

    data = json.loads(report_files(report)["report.json"])
    assert data["page_labels"]["12"] == "9"
    assert report_from_dict(data).page_labels == report.page_labels
