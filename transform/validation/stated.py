"""The numbers Chapter 3 states, parsed from the report's own text — never from page numbers or
from this edition's values.

Sections are found by their titles (the subsection whose title contains 社員法人数, エリア, 協働内容,
きっかけ, 理由), statements by patterns over their paragraphs; every number keeps the page and the
sentence it came from. A statement that cannot be found is listed in `StatedCounts.missing`
(validation reports it as an error: the parser or the report changed).

Every number also keeps the report's words on how it was counted (`Stated.notes`), by where they
stand in the report's structure:
- the title of the section a subsection belongs to (「3.3 ヒアリング調査結果のまとめ」: the counts
  printed under it summarise the interviews);
- a 【…】 group heading, up to the next one;
- a ※ note: one that looks back (「上記の…」) governs the numbers before it in its section, any
  other the numbers after it (「※以下、重複カウント有。ヒアリング結果から集計。」), up to the next
  group heading;
- a sentence that first says over what it counts (「今回ヒアリングを実施した各事例について、…」):
  that clause governs its own numbers and those after it in the section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.vocabulary import CATEGORIES
from transform.records import OutlineSection, Paragraph, Report
from transform.text import compact, sentences
from transform.validation.model import Stated

# Any tilde or dash between the two ends of a range: 11～20法人.
_RANGE = r"[～~〜\-－‐ー]"
_BIN = re.compile(rf"^(?P<lo>\d+)(?:{_RANGE}(?P<hi>\d+))?法人(?P<up>以上)?(?P<n>\d+)件$")
_HEARING = re.compile(r"(\d+)件をヒアリング対象")
_EXCLUDED_CASE = re.compile(r"事例\s*(\d+)\s*(.+?)(?:は、|は|、|。|$)")
_EXCLUSION_WORDS = re.compile(r"含まれない|含めない|除く|除外")
_AREA_SINGLE = re.compile(r"同一の?都道府県[^、。\d]*?(\d+)件")
_AREA_MULTIPLE = re.compile(r"複数の?都道府県[^、。\d]*?(\d+)件")
_BUSINESS_DEFINED = re.compile(r"^(?P<name>[^：:（(\s]+業務)[：:]")
_BUSINESS_TOTAL = re.compile(r"^(?P<name>[^：:（(\s]+業務)（総計(?P<n>\d+)件）")
_BUSINESS_ONE_CATEGORY = re.compile(r"^(?P<name>[^：:（(\s]+業務)（(?P<cat>[^（）\d]+?)(?P<n>\d+)件）")
_CATEGORY_COUNT = re.compile(r"^(?P<cat>[^（）\d]+?)（計(?P<n>\d+)件）")
_LISTED_COUNT = re.compile(r"^(?P<label>.+?)（(?P<n>\d+)件）$")
_CASE_NO = re.compile(r"^事例\s*(\d+)$")
_GLYPHS = re.compile(r"^[^\w（(「【]+")  # bullet glyphs (•, ➢, ・) before an item's text
# A sentence that opens by saying over which cases it counts: 「今回ヒアリングを実施した各事例について、」
# (not one that names a topic: 「緊密な連携と緩やかな連携について、」).
_SCOPE_CLAUSE = re.compile(r"^(?P<clause>[^、。]*(?:事例|対象|ヒアリング|調査)[^、。]*?について)、")
_LOOKS_BACK = re.compile(r"上記|以上の")  # a note about the numbers before it


@dataclass
class StatedBin:
    """A bin of 社員法人数 (「3法人8件」, 「11～20法人4件」, 「30法人以上1件」)."""

    label: str
    low: int
    high: int | None  # None: open-ended (以上)
    count: Stated

    def contains(self, n: int) -> bool:
        """Whether a member count falls in this bin."""
        return self.low <= n and (self.high is None or n <= self.high)


@dataclass
class StatedCase:
    """A case named by the report outside its heading (図表3-1 row, exclusion note)."""

    no: int
    name: str
    category: str | None = None


@dataclass
class StatedBusiness:
    """One 社会福祉連携推進業務 with its summary total, its 「総計」 and the split by category."""

    name: str
    total: Stated | None = None  # the summary sentence (「<業務>22件」)
    listed_total: Stated | None = None  # the bullet (「<業務>（総計22件）」)
    by_category: dict[str, Stated] = field(default_factory=dict)


@dataclass
class StatedItem:
    """A listed trigger or reason with its count (「経営層同士のつながり（9件）」)."""

    label: str
    group: str | None
    count: Stated


@dataclass
class StatedCounts:
    """Everything Chapter 3 states that validation checks."""

    hearing: Stated | None = None
    table: Stated | None = None  # value: list[StatedCase], the rows of 図表3-1
    # Where each row of 図表3-1 is printed, by case number: (PDF page, 「p.8（PDF 11）」).
    table_row_pages: dict[int, tuple[int, str]] = field(default_factory=dict)
    bins: list[StatedBin] = field(default_factory=list)
    exclusions: Stated | None = None  # value: list[StatedCase]
    area_single: Stated | None = None
    area_multiple: Stated | None = None
    businesses: list[StatedBusiness] = field(default_factory=list)
    triggers: list[StatedItem] = field(default_factory=list)
    reasons: list[StatedItem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def table_rows(self) -> list[StatedCase]:
        """The rows of 図表3-1 (empty if it was not found)."""
        return list(self.table.value) if self.table else []

    @property
    def excluded(self) -> list[StatedCase]:
        """The cases the exclusion note names (empty if there is no note)."""
        return list(self.exclusions.value) if self.exclusions else []


def parse_stated(report: Report) -> StatedCounts:
    """Parse every statement validation checks; missing ones are named in `.missing`."""
    sections = report.chapter(3) or report.outline
    out = StatedCounts()
    out.hearing = _hearing(sections)
    out.table = _table_rows(report)
    out.table_row_pages = _table_row_pages(report, out.table)
    members = _section(sections, "社員法人数")
    if members:
        notes = method_notes(members, sections)
        out.bins = _bins(members, notes)
        out.exclusions = _exclusions(members)
    area = _section(sections, "エリア")
    if area:
        notes = method_notes(area, sections)
        out.area_single = _first_match(area.paragraphs, _AREA_SINGLE, "同一都道府県内", notes)
        out.area_multiple = _first_match(area.paragraphs, _AREA_MULTIPLE, "複数の都道府県", notes)
    business = _section(sections, "協働内容")
    if business:
        out.businesses = _businesses(business, method_notes(business, sections))
    trigger = _section(sections, "きっかけ")
    if trigger:
        out.triggers = _listed_counts(trigger, method_notes(trigger, sections))
    reason = _section(sections, "理由")
    if reason:
        out.reasons = _listed_counts(reason, method_notes(reason, sections))
    out.missing = _missing(out)
    return out


Notes = dict[int, list[str]]  # id(paragraph) → the report's notes that govern its numbers


def method_notes(section: OutlineSection, sections: list[OutlineSection]) -> Notes:
    """For each paragraph of `section`, the report's words on how its numbers were counted (see
    the module doc), in reading order."""
    heading = _heading_note(section, sections)
    group: list[str] = []  # the 【…】 heading in force
    ahead: list[str] = []  # ※ notes and scope clauses that govern what follows
    out: Notes = {}
    seen: list[Paragraph] = []
    for para in section.paragraphs:
        text = para.text.strip()
        if text.startswith("【") and text.endswith("】"):
            group, ahead = [text], []
        elif _is_note(para):
            if _LOOKS_BACK.search(text):
                for earlier in seen:
                    out[id(earlier)].append(text)
            else:
                ahead = [*ahead, text]
        clauses = [m["clause"] for sentence in sentences(text) if (m := _SCOPE_CLAUSE.match(sentence))]
        out[id(para)] = [*heading, *group, *ahead, *clauses]
        ahead = [*ahead, *clauses]
        seen.append(para)
    return out


def _heading_note(section: OutlineSection, sections: list[OutlineSection]) -> list[str]:
    """The title of the section `section` belongs to (not the chapter's), as the note 「3.3
    ヒアリング調査結果のまとめ」: what the numbers printed under it are a summary of."""
    parent_path = section.path.rsplit(".", 1)[0] if "." in section.path else ""
    parent = next((s for s in sections if s.path == parent_path and "." in s.path), None)
    return [f"{parent.path} {parent.title}（見出し）"] if parent is not None else []


def _missing(out: StatedCounts) -> list[str]:
    wanted = {
        "ヒアリング件数（「N件をヒアリング対象とした」）": out.hearing,
        "図表3-1 ヒアリング対象先一覧": out.table,
        "社員法人数の区分（「N法人M件、…」）": out.bins,
        "協働化のエリア：同一都道府県内": out.area_single,
        "協働化のエリア：複数の都道府県": out.area_multiple,
        "社会福祉連携推進業務の件数": out.businesses,
        "協働化を実施するきっかけの件数": out.triggers,
        "協働化を実施する理由の件数": out.reasons,
    }
    return [name for name, value in wanted.items() if not value]


def _section(sections: list[OutlineSection], word: str) -> OutlineSection | None:
    """The first (sub)section whose title contains `word`; deepest level wins a tie."""
    hits = [s for s in sections if word in compact(s.title)]
    return max(hits, key=lambda s: s.level) if hits else None


def _sentence(text: str, needle: str) -> str:
    """The sentence of `text` that contains `needle` (the whole text if none does or no needle)."""
    if not needle:
        return text
    return next((s for s in sentences(text) if needle in compact(s)), text)


def _item_text(para: Paragraph) -> str:
    return _GLYPHS.sub("", para.text).strip()


def _stated(
    value: object, para: Paragraph, needle: str, label: str = "", notes: Notes | None = None
) -> Stated:
    return Stated(value, para.pages[0] if para.pages else None, _sentence(para.text, needle), label,
                  list((notes or {}).get(id(para), [])))


def _hearing(sections: list[OutlineSection]) -> Stated | None:
    for section in sections:
        for para in section.paragraphs:
            if m := _HEARING.search(para.text):
                return _stated(int(m[1]), para, m[0], "ヒアリング対象")
    return None


def _first_match(
    paragraphs: list[Paragraph], pattern: re.Pattern[str], label: str, notes: Notes | None = None
) -> Stated | None:
    for para in paragraphs:
        if m := pattern.search(para.text):
            return _stated(int(m[1]), para, m[0], label, notes)
    return None


def _table_rows(report: Report) -> Stated | None:
    """図表3-1 rows as (number, name, category); header rows have no 事例N cell and are skipped."""
    table = report.table("3-1")
    if table is None:
        return None
    rows: list[StatedCase] = []
    for row in table.rows:
        cells = [compact(c) for c in row]
        at = next((i for i, c in enumerate(cells) if _CASE_NO.match(c)), None)
        if at is None:
            continue
        names = [c for c in row[at + 1 :] if c.strip()]
        category = next((cat for c in cells[:at] for cat in CATEGORIES if cat in c), None)
        rows.append(StatedCase(int(_CASE_NO.match(cells[at])[1]), " ".join(names), category))
    if not rows:
        return None
    where = report.page_reference(table.pages) or "頁不明"
    sentence = f"図表{table.number} {table.title}（{len(rows)}行、{where}）"
    return Stated(rows, table.pages[0] if table.pages else None, sentence, f"図表{table.number}")


def _table_row_pages(report: Report, rows: Stated | None) -> dict[int, tuple[int, str]]:
    """The page each row of 図表3-1 is printed on (the table's `row_pages`, in the order of its
    rows; records without them give none)."""
    table = report.table("3-1")
    if rows is None or table is None or len(table.row_pages) != len(table.rows):
        return {}
    out = {}
    for row, page in zip(table.rows, table.row_pages, strict=True):
        cells = [compact(c) for c in row]
        number = next((m for c in cells if (m := _CASE_NO.match(c))), None)
        if number is not None:
            out[int(number[1])] = (page, report.page_reference([page]))
    return out


def _bins(section: OutlineSection, notes: Notes) -> list[StatedBin]:
    """The first paragraph made of 「N法人M件」 parts separated by 、."""
    for para in section.paragraphs:
        parts = [compact(p) for p in re.split(r"[、，,]", para.text.rstrip("。"))]
        matches = [_BIN.match(p) for p in parts]
        if parts and all(matches):
            return [
                StatedBin(
                    label=p[: p.rindex(m["n"] + "件")],
                    low=int(m["lo"]),
                    high=None if m["up"] else int(m["hi"] or m["lo"]),
                    count=Stated(int(m["n"]), para.pages[0], para.text, p[: p.rindex(m["n"] + "件")],
                                 list(notes.get(id(para), []))),
                )
                for p, m in zip(parts, matches, strict=True)
                if m
            ]
    return []


def _exclusions(section: OutlineSection) -> Stated | None:
    """Cases a note excludes from the bins (「※なお、事例23 … 含まれない」)."""
    for para in section.paragraphs:
        if "事例" in para.text and _EXCLUSION_WORDS.search(para.text):
            cases = [StatedCase(int(m[1]), m[2].strip()) for m in _EXCLUDED_CASE.finditer(para.text)]
            if cases:
                return Stated(cases, para.pages[0], para.text, "法人数区分に含まれない事例", [para.text])
    return None


def _businesses(section: OutlineSection, notes: Notes) -> list[StatedBusiness]:
    """The six 業務 as defined in the bullet list, their summary totals and category splits."""
    # Paragraph kinds (bullet or text) are not relied on: the patterns tell the parts apart.
    names: list[str] = []
    for para in section.paragraphs:
        if (m := _BUSINESS_DEFINED.match(compact(_item_text(para)))) and m["name"] not in names:
            names.append(m["name"])
    by_name = {name: StatedBusiness(name) for name in names}
    current: StatedBusiness | None = None
    for para in section.paragraphs:
        text = compact(_item_text(para))
        for name, business in by_name.items():
            if business.total is None and (m := re.search(re.escape(name) + r"(\d+)件", text)):
                business.total = _stated(int(m[1]), para, f"{name}{m[1]}件", name, notes)
        if m := _BUSINESS_TOTAL.match(text):
            current = by_name.setdefault(m["name"], StatedBusiness(m["name"]))
            current.listed_total = _stated(int(m["n"]), para, "", f"{m['name']} 総計", notes)
        elif m := _BUSINESS_ONE_CATEGORY.match(text):
            current = _one_category(by_name, m, para, notes)
        elif current and (m := _CATEGORY_COUNT.match(text)) and m["cat"] in CATEGORIES:
            label = f"{current.name} {m['cat']}"
            current.by_category[m["cat"]] = _stated(int(m["n"]), para, "", label, notes)
    return [b for b in by_name.values() if b.total or b.listed_total]


def _one_category(
    by_name: dict[str, StatedBusiness], m: re.Match[str], para: Paragraph, notes: Notes
) -> StatedBusiness:
    """「<業務>（<category>1件）」: the total is all in one category, so the other states 0."""
    business = by_name.setdefault(m["name"], StatedBusiness(m["name"]))
    n = int(m["n"])
    business.listed_total = _stated(n, para, "", f"{business.name} 総計", notes)
    for category in CATEGORIES:
        label = f"{business.name} {category}"
        business.by_category[category] = _stated(n if category == m["cat"] else 0, para, "", label, notes)
    return business


def _listed_counts(section: OutlineSection, notes: Notes) -> list[StatedItem]:
    """Bullets 「label（N件）」, each with the bracket heading (【…】) it is listed under and the
    report's notes that govern it (`method_notes`)."""
    items: list[StatedItem] = []
    group: str | None = None
    for para in section.paragraphs:
        text = para.text.strip()
        if text.startswith("【") and text.endswith("】"):
            group = text.strip("【】")
        elif not _is_note(para) and (m := _LISTED_COUNT.match(_item_text(para))):
            label = m["label"].strip()
            items.append(StatedItem(label, group, _stated(int(m["n"]), para, "", label, notes)))
    return items


def _is_note(para: Paragraph) -> bool:
    """A note of the report (「※…」): how a count was made, what it leaves out."""
    return para.kind == "note" or para.text.lstrip().startswith("※")
