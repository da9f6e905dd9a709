"""Review notes (comments absorbed from Word) on the QA page and in validation.json."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import yaml

from render.validation import validation_files
from transform.records import Report
from transform.review_notes import ReviewNote
from transform.validation.model import ValidationReport

SCHEMA = yaml.safe_load((Path(__file__).parents[2] / "transform" / "validation" / "schema.yaml")
                        .read_text(encoding="utf-8"))
NOTES = [ReviewNote(3, 1, "表現を確認 <script>alert(1)</script>", "校正者A", "2026-12-04", "入院や施設入居",
                    "casebook.docx"),
         ReviewNote(7, None, "全体に古い情報", "佐藤")]


def test_notes_are_listed_for_qa_and_kept_in_the_json(validation: ValidationReport, report: Report) -> None:
    files = validation_files(dataclasses.replace(validation, review_notes=NOTES), report)
    page = files["validation.html"].decode("utf-8")
    section = page[page.index('<h2 id="review-notes">'):page.index('<h2 id="passes">')]
    assert "校閲者のコメント（2件）" in section
    assert "<strong>事例3 ①</strong><blockquote>入院や施設入居</blockquote>" in section
    assert "表現を確認 &lt;script&gt;" in section and "<script>alert" not in section
    assert "（校正者A、2026-12-04、casebook.docx）" in section and "<strong>事例7</strong>全体に古い情報" in section
    data = json.loads(files["validation.json"])
    jsonschema.validate(data, SCHEMA)
    assert data["review_notes"][1] == {"case": 7, "step": None, "note": "全体に古い情報", "by": "佐藤", "date": "",
                                       "quote": "", "document": ""}


def test_no_notes_no_section(validation: ValidationReport, report: Report) -> None:
    page = validation_files(validation, report)["validation.html"].decode("utf-8")
    assert 'id="review-notes"' not in page
