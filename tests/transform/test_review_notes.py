"""Review notes (editorial/notes.yaml): read as typed notes; a bad entry names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import PROJECT
from transform.review_notes import ReviewNote, ReviewNotesError, load_review_notes


def test_the_shipped_file_has_no_notes_yet() -> None:
    assert load_review_notes(PROJECT.editorial.notes) == []
    assert load_review_notes(None) == []


def test_notes_are_read_with_their_place_and_author(tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("- case: 3\n  step: 1\n  quote: 入院や施設入居\n  note: 表現を確認\n  by: 校正者A\n"
                    "  date: 2026-12-04\n  document: casebook.docx\n"
                    "- {case: 7, note: 全体に古い情報, by: 佐藤}\n", encoding="utf-8")
    notes = load_review_notes(path)
    assert notes == [ReviewNote(3, 1, "表現を確認", "校正者A", "2026-12-04", "入院や施設入居", "casebook.docx"),
                     ReviewNote(7, None, "全体に古い情報", "佐藤")]
    assert [n.location for n in notes] == ["事例3 ①", "事例7"]
    assert notes[1].to_entry() == {"case": 7, "note": "全体に古い情報", "by": "佐藤"}


@pytest.mark.parametrize(("text", "message"), [
    ("- {case: 3, note: x}\n", "note #1 needs case, note and by, optionally step, quote, date and document, and "
                               "nothing else (found: case, note)"),
    ("- {case: 3, note: x, by: y, colour: red}\n", "nothing else (found: by, case, colour, note)"),
    ("- {case: three, note: x, by: y}\n", "note #1: case and step must be numbers"),
    ("- {case: 3, note: '', by: y}\n", "note #1: note and by must be non-empty text"),
    ("case: 3\n", "expected a list of notes"),
    ("- [\n", "fix the review notes file there"),
])
def test_a_bad_entry_names_itself(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewNotesError) as info:
        load_review_notes(path)
    assert str(info.value).startswith(f"{path}") and message in str(info.value)
    assert "\n" not in str(info.value)
