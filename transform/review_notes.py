"""Review notes: the comments reviewers left on a case in Word, kept for QA (editorial/notes.yaml).

`casebook absorb` writes them from the comments of a reviewed casebook or confirmation sheet;
validation carries them (ValidationReport.review_notes) and validation.html shows them beside
the findings, so that a question a reviewer asked in Word reaches the people who decide. Each
note names its case (and step, where it was anchored in one), the passage it was anchored on,
what it says, who wrote it and when, and the document it came from.

    - case: 3
      step: 1
      quote: 入院や施設入居、転居ができない実態
      note: 「転居」は「住み替え」の方が分かりやすいか確認
      by: 校正者A
      date: '2026-12-04'
      document: casebook.docx
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casebook.errors import EditorialError
from casebook.vocabulary import circled
from casebook.yamlfile import read_yaml

REQUIRED = ("case", "note", "by")
OPTIONAL = ("step", "quote", "date", "document")


class ReviewNotesError(EditorialError):
    """A review notes file that cannot be read; the message names the entry and what to do."""


@dataclass(frozen=True)
class ReviewNote:
    """A reviewer's comment on a case (or one of its steps)."""

    case: int
    step: int | None
    note: str
    by: str
    date: str = ""
    quote: str = ""  # the passage the comment was anchored on ("" for a comment on a point)
    document: str = ""  # the .docx it came from

    @property
    def location(self) -> str:
        """「事例3 ①」 or 「事例3」, for readers."""
        if self.step is None:
            return f"事例{self.case}"
        return f"事例{self.case} {circled(self.step)}"

    def to_entry(self) -> dict[str, str | int]:
        """The note as an entry of the notes file (keys in the file's order, empty ones left out)."""
        values: dict[str, str | int | None] = {
            "case": self.case, "step": self.step, "quote": self.quote, "note": self.note,
            "by": self.by, "date": self.date, "document": self.document,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


def load_review_notes(path: Path | None) -> list[ReviewNote]:
    """The notes of a notes file (None, or an empty file: none)."""
    if path is None:
        return []
    data = read_yaml(path, ReviewNotesError, "review notes file")
    if data is None:
        return []
    if not isinstance(data, list):
        raise ReviewNotesError(f"{path}: expected a list of notes (- case: …, note: …, by: …)")
    return [_note(path, index, entry) for index, entry in enumerate(data, start=1)]


def _note(path: Path, index: int, entry: object) -> ReviewNote:
    keys = set(entry) if isinstance(entry, dict) else set()
    if not isinstance(entry, dict) or not set(REQUIRED) <= keys or keys - {*REQUIRED, *OPTIONAL}:
        found = ", ".join(sorted(map(str, keys))) or type(entry).__name__
        raise ReviewNotesError(f"{path}: note #{index} needs case, note and by, optionally step, quote, "
                               f"date and document, and nothing else (found: {found})")
    try:
        case = int(entry["case"])
        step = int(entry["step"]) if entry.get("step") is not None else None
    except (TypeError, ValueError):
        raise ReviewNotesError(f"{path}: note #{index}: case and step must be numbers") from None
    date = entry.get("date", "")
    date = date.isoformat() if hasattr(date, "isoformat") else date
    texts = [entry["note"], entry["by"], date, entry.get("quote", ""), entry.get("document", "")]
    if not all(isinstance(t, str) for t in texts) or not texts[0].strip() or not texts[1].strip():
        raise ReviewNotesError(f"{path}: note #{index}: note and by must be non-empty text")
    note, by, date, quote, document = (t.strip() for t in texts)
    return ReviewNote(case, step, note, by, date, quote, document)
