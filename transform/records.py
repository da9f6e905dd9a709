"""Typed records of the casebook: what extraction yields and every later stage reads.

The JSON form of these records (`cases.json`) is a contract shared with validation, rendering and
the flow; `to_dict` / `from_dict` are its only (de)serialisers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from casebook.errors import EditorialError
from casebook.vocabulary import circled, reader_date


@dataclass
class Item:
    """A bullet item of a case cell, with its nested items."""

    text: str
    pages: list[int]
    children: list[Item] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Item:
        return cls(d["text"], list(d["pages"]), [cls.from_dict(c) for c in d.get("children", [])])


def walk(items: list[Item], level: int = 1) -> Iterator[tuple[Item, int]]:
    """(item, level) for items and their nested items, depth-first in reading order; level 1 = top.

    The one walk of the item tree: every reader of items (codings, citations, frames, renderers,
    change reports) goes through it, so all of them see the same items in the same order."""
    for item in items:
        yield item, level
        yield from walk(item.children, level + 1)


@dataclass
class Section:
    """A run of items under one sub-heading (heading is None where the cell starts without one)."""

    heading: str | None
    items: list[Item] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        return cls(d.get("heading"), [Item.from_dict(i) for i in d["items"]], list(d.get("pages", [])))


@dataclass
class Step:
    """One of the six step rows (①…⑥) of a case table."""

    step: int
    label: str
    pages: list[int]
    sections: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Step:
        return cls(
            d["step"],
            d["label"],
            list(d["pages"]),
            [Section.from_dict(s) for s in d["sections"]],
            list(d.get("notes", [])),
        )

    def iter_items(self) -> Iterator[tuple[Section, Item, int]]:
        """(section, item, level) for every item of the step in reading order (level 1 = top)."""
        for section in self.sections:
            for item, level in walk(section.items):
                yield section, item, level


@dataclass
class Case:
    """One interview case (事例N) with its six steps."""

    no: int
    name: str
    region: str
    prefectures: list[str]
    category: str
    pages: list[int]
    steps: list[Step] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Case:
        return cls(
            d["no"],
            d["name"],
            d["region"],
            list(d["prefectures"]),
            d["category"],
            list(d["pages"]),
            [Step.from_dict(s) for s in d["steps"]],
        )

    def iter_items(self) -> Iterator[tuple[Step, Section, Item, int]]:
        """(step, section, item, level) for every item of the case in reading order (level 1 = top)."""
        for step in self.steps:
            for section, item, level in step.iter_items():
                yield step, section, item, level


@dataclass
class Paragraph:
    """A body paragraph of the report (text, bullet, bracket heading or note) with its pages."""

    kind: str
    text: str
    pages: list[int]


@dataclass
class OutlineSection:
    """A heading of the report and the paragraphs directly under it.

    `path` locates it: "3" (第3章), "3.3" (its section 3.), "3.3.(1)" (subsection).
    """

    path: str
    level: int
    title: str
    page: int
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Citation:
    """A 【参考となる事例】 entry of Chapter 4: a quote and the organisation it is credited to."""

    quote: str
    organisation: str
    region: str | None
    raw: str
    pages: list[int]
    section_path: str
    section_title: str
    point: str | None  # the nearest sub-point heading above it (「① <step label>：…」), if any
    closed: bool  # the credit ends with both 】 and ) as printed; False flags a malformed credit


@dataclass
class ReportTable:
    """A captioned table (図表N-M) as grid rows of cell texts; merged cells repeat per row.
    `row_pages`: the PDF page each row is printed on (empty for records written before it)."""

    number: str
    title: str
    pages: list[int]
    rows: list[list[str]]
    row_pages: list[int] = field(default_factory=list)


@dataclass
class SourceMeta:
    """Bibliographic data of the source, from the PDF's metadata and its title page."""

    title: str | None = None
    programme: str | None = None
    publisher: str | None = None
    issued: str | None = None


@dataclass
class CaseReading:
    """How extraction read one case table (extract/readings.py): the strategies that found its
    pieces, the table settings that differ from the defaults, why this reading was kept."""

    no: int
    strategies: list[str]
    settings: dict[str, Any]
    why: str
    tried: int = 1  # readings made: 1 where the first satisfied every invariant
    failed: list[str] = field(default_factory=list)  # the invariants the first reading failed, where
    unassigned: int = 0  # glyphs of the case's part that the kept reading left unassigned


@dataclass
class PageGlyphs:
    """One PDF page's glyphs (spaces aside): how many each place took, how many none did."""

    page: int
    glyphs: int
    assigned: int
    unassigned: int
    places: dict[str, int] = field(default_factory=dict)
    twice: int = 0  # glyphs two places took


@dataclass
class StrayGlyphs:
    """Glyphs no place took: a run's text with its page and position (pt from the top left);
    `case` where they lie in a case's part of the report (an error: the case lost text)."""

    page: int
    x0: float
    top: float
    text: str
    glyphs: int
    case: int | None = None


@dataclass
class Extraction:
    """How the records were read: per case its reading, per page its glyph ledger."""

    readings: list[CaseReading] = field(default_factory=list)
    pages: list[PageGlyphs] = field(default_factory=list)
    strays: list[StrayGlyphs] = field(default_factory=list)

    def case_strays(self) -> list[StrayGlyphs]:
        """Unassigned glyphs inside a case's part of the report."""
        return [s for s in self.strays if s.case is not None]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Extraction:
        return cls(
            [CaseReading(**r) for r in d.get("readings", [])],
            [PageGlyphs(**p) for p in d.get("pages", [])],
            [StrayGlyphs(**s) for s in d.get("strays", [])],
        )


@dataclass
class Report:
    """All records of one source PDF."""

    source: str
    sha256: str
    page_count: int
    cases: list[Case]
    tables: list[ReportTable]
    outline: list[OutlineSection]
    citations: list[Citation]
    meta: SourceMeta = field(default_factory=SourceMeta)
    # The page number printed on each PDF page (1-based PDF page → 「9」); pages printing none are
    # absent. Provenance keeps PDF pages everywhere; these turn them into the report's own numbers.
    page_labels: dict[int, str] = field(default_factory=dict)
    corrections: list[AppliedCorrection] = field(default_factory=list)  # errata applied to these records
    extraction: Extraction = field(default_factory=Extraction)  # readings and the glyph ledger

    def printed_page(self, pdf_page: int) -> str:
        """The page number the report prints on PDF page `pdf_page` (「9」), or "" if it prints none."""
        return self.page_labels.get(pdf_page, "")

    def page_reference(self, pdf_pages: list[int]) -> str:
        """Pages as a reader finds them: 「p.9–10（PDF 12–13）」; 「p.9」 where the printed and PDF
        numbers agree; 「PDF 12」 where the pages print no number."""
        if not pdf_pages:
            return ""
        lo, hi = min(pdf_pages), max(pdf_pages)
        pdf = f"{lo}" if lo == hi else f"{lo}–{hi}"
        first, last = self.printed_page(lo), self.printed_page(hi)
        if not first or not last:
            return f"PDF {pdf}"
        printed = first if lo == hi else f"{first}–{last}"
        return f"p.{printed}" if printed == pdf else f"p.{printed}（PDF {pdf}）"

    def chapter(self, number: int) -> list[OutlineSection]:
        """The outline sections of one chapter (第N章), in order."""
        prefix = f"{number}"
        return [s for s in self.outline if s.path == prefix or s.path.startswith(prefix + ".")]

    def table(self, number: str) -> ReportTable | None:
        """A captioned table by number ("3-1"), if the report has it."""
        return next((t for t in self.tables if t.number == number), None)


# The parts of a case heading a correction may rewrite, as readers name them.
HEADING_PARTS = {"name": "事例名", "region": "地域"}


@dataclass
class AppliedCorrection:
    """An editor's correction (errata) that was applied to the extracted text, and what it changed.

    Where: `case` and `step`; `case` alone (its heading: `part` says name or region); `section`
    (an outline path, 「3.3.(4)」); or `table` (a captioned table's number, 「3-1」).
    `before` / `after`: the whole corrected passage (item, heading, note or paragraph).
    `updated`: what else quoted the old text and now quotes the new (citations, reviewed quotes).
    `moved`: counts of the validation that the correction changed (「…: 17 → 18」).
    `by`, `date`: who revised the text and when, where the correction says (a Word revision's).
    """

    case: int | None
    step: int | None
    old: str
    new: str
    reason: str
    section: str | None = None
    note: str = ""
    pages: list[int] = field(default_factory=list)  # PDF pages of the corrected passage
    where: str = ""  # the same as printed in the report: 「p.10（PDF 13）」
    before: str = ""
    after: str = ""
    updated: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    by: str = ""
    date: str = ""
    table: str | None = None
    part: str = ""  # a case heading's: "name" or "region"

    @property
    def location(self) -> str:
        """「事例1 ⑤」, 「事例1 事例名」, 「事例11 地域」, 「第3章 3.3.(4)」 or 「図表3-1」, for readers."""
        if self.section is not None:
            return f"第{self.section.split('.')[0]}章 {self.section}"
        if self.table is not None:
            return f"図表{self.table}"
        if self.step is None:
            return f"事例{self.case} " + HEADING_PARTS.get(self.part, HEADING_PARTS["name"])
        return f"事例{self.case} " + (circled(self.step) if 1 <= self.step <= 20 else f"step {self.step}")

    @property
    def revised(self) -> str:
        """Who revised it and when, for readers (「校正者A、2026年12月4日（令和8年）」), or "" if not
        recorded."""
        return "、".join(part for part in (self.by, reader_date(self.date) if self.date else "") if part)

    @property
    def credit(self) -> str:
        """「修正：校正者A、2026年12月4日（令和8年）」 where the reason does not say it already, or ""."""
        raw = "、".join(part for part in (self.by, self.date) if part)  # as a reason may spell it
        said = raw in self.reason or self.revised in self.reason
        return f"修正：{self.revised}" if raw and not said else ""


# What the casebook says of itself where a project's [publication] table (casebook.toml) is silent.
DEFAULT_TITLE = "介護事業所の協働化 事例集"
DEFAULT_ORGANISATION = "事例集編集担当"
PUBLICATION_KEYS = ("title", "organisation", "edition")
_MAX_SETTING = 120  # characters: a title or a name, never a paragraph


@dataclass(frozen=True)
class Publication:
    """The editors' settings for what the casebook says of itself: its title (cover, running
    header, PDF and Word properties), the editing organisation (cover, author of the PDF and the
    Word file) and the edition (「第1版」; none: no edition line). Missing settings take
    DEFAULT_TITLE / DEFAULT_ORGANISATION / no edition."""

    title: str = DEFAULT_TITLE
    organisation: str = DEFAULT_ORGANISATION
    edition: str | None = None

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None, source: Path | str) -> Publication:
        """The settings of a [publication] table; anything malformed is an EditorialError of one
        line naming `source` (the project file), the key and what to write instead."""
        values = dict(values or {})
        where = f"{source}: [publication]"
        unknown = sorted(set(values) - set(PUBLICATION_KEYS))
        if unknown:
            raise EditorialError(f"{where} has an unknown setting {unknown[0]!r} — the settings are "
                                 f"{', '.join(PUBLICATION_KEYS)}")
        out = {}
        for key in PUBLICATION_KEYS:
            if key not in values:
                continue
            value = values[key]
            if not isinstance(value, str):
                raise EditorialError(f"{where} {key} must be text in quotes, not {type(value).__name__} "
                                     f"({value!r}) — e.g. {key} = \"…\"")
            text = value.strip()
            if not text or len(text) > _MAX_SETTING or any(ord(ch) < 0x20 for ch in text):
                problem = ("is empty" if not text else f"is longer than {_MAX_SETTING} characters"
                           if len(text) > _MAX_SETTING else "holds a line break or a control character")
                raise EditorialError(f"{where} {key} {problem} — write it on one line, or leave it out "
                                     "for the default")
            out[key] = text
        return cls(**out)


@dataclass
class BuildInfo:
    """What the renderers print on the cover: edition, build time, the source's identity, and the
    publication's title and editing organisation (see Publication)."""

    edition: str | None
    built_at: str  # ISO 8601
    source_name: str
    source_sha256: str
    title: str = DEFAULT_TITLE
    organisation: str = DEFAULT_ORGANISATION
