"""Raw extraction values → typed records, applying the text rules of `transform.text`."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from casebook.errors import RecordError
from casebook.vocabulary import CATEGORIES
from extract.cells import Block
from extract.tables import RawCase, RawStep, RawTable
from transform.prefectures import prefectures_in
from transform.records import Case, Item, Section, Step
from transform.text import clean, clean_lines, compact


def build_case(raw: RawCase, tables: Sequence[RawTable] = (), *, kept_wrap_spaces: bool = False) -> Case:
    """Turn one stitched case table into a Case record.

    The category comes from the section heading the case sits under; where an edition has no
    such heading, from the captioned table that lists the cases with their category (図表3-1).
    `kept_wrap_spaces`: how wrapped lines join (see transform.text.join_lines).
    """
    def join(pieces: list) -> str:
        lines, full = [p.text for p in pieces], [p.full for p in pieces]
        return clean_lines(lines, kept_wrap_spaces=kept_wrap_spaces, full=full)

    region = clean(raw.region)
    return Case(
        no=raw.no,
        name=clean(raw.name),
        region=region,
        prefectures=prefectures_in(region),
        category=_category(raw, tables),
        pages=raw.pages,
        steps=[_step(s, join) for s in raw.steps],
    )


def _category(raw: RawCase, tables: Sequence[RawTable]) -> str:
    heading = re.sub(r"^[(（]?[0-9０-９]+[)）.．]?", "", compact(raw.category or ""))
    for category in CATEGORIES:
        if heading.startswith(category):
            return category
    listed = _category_in_tables(raw.no, tables)
    if listed:
        return listed
    raise RecordError(
        f"事例{raw.no} (page {raw.heading_page}): no section heading {' / '.join(CATEGORIES)} "
        f"precedes it (found {raw.category!r})"
    )


def _category_in_tables(no: int, tables: Sequence[RawTable]) -> str | None:
    """The category a case-list table gives for case `no` (a row with a 「事例N」 cell)."""
    for table in tables:
        for row in table.rows:
            texts = [compact(" ".join(p.text for p in cell)) for cell in row]
            if any(re.fullmatch(rf"事例0*{no}", t) for t in texts):
                for category in CATEGORIES:
                    if any(t.startswith(category) for t in texts):
                        return category
    return None


def _step(raw: RawStep, join: Callable[[list], str]) -> Step:
    sections: list[Section] = []
    notes: list[str] = []
    for block in raw.blocks:
        if block.kind == "heading":
            sections.append(Section(join(block.pieces), [], block.pages))
        elif block.kind == "note":
            notes.append(join(block.pieces))
        else:
            if not sections:
                sections.append(Section(None, [], []))
            sections[-1].items.append(_item(block, join))
            sections[-1].pages = sorted({*sections[-1].pages, *_all_pages(block)})
    return Step(
        step=raw.number,
        label=compact(" ".join(p.text for p in raw.label)),
        pages=raw.pages,
        sections=sections,
        notes=notes,
    )


def _item(block: Block, join: Callable[[list], str]) -> Item:
    return Item(
        text=join(block.pieces),
        pages=block.pages,
        children=[_item(c, join) for c in block.children],
    )


def _all_pages(block: Block) -> set[int]:
    pages = set(block.pages)
    for child in block.children:
        pages |= _all_pages(child)
    return pages
