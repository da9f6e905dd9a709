"""Raw extraction values → typed records, applying the text rules of `transform.text`."""

from __future__ import annotations

from extract.cells import Block
from extract.tables import RawCase, RawStep
from transform.prefectures import prefectures_in
from transform.records import CATEGORIES, Case, Item, Section, Step
from transform.text import clean, clean_lines, compact


class RecordError(ValueError):
    """Raw values that cannot become a valid record (names the case)."""


def build_case(raw: RawCase) -> Case:
    """Turn one stitched case table into a Case record."""
    region = clean(raw.region)
    return Case(
        no=raw.no,
        name=clean(raw.name),
        region=region,
        prefectures=prefectures_in(region),
        category=_category(raw),
        pages=raw.pages,
        steps=[_step(s) for s in raw.steps],
    )


def _category(raw: RawCase) -> str:
    heading = compact(raw.category or "")
    for category in CATEGORIES:
        if heading.endswith(category):
            return category
    raise RecordError(
        f"事例{raw.no} (page {raw.heading_page}): no section heading 緊密な連携 / 緩やかな連携 "
        f"precedes it (found {raw.category!r})"
    )


def _step(raw: RawStep) -> Step:
    sections: list[Section] = []
    notes: list[str] = []
    for block in raw.blocks:
        if block.kind == "heading":
            sections.append(Section(clean_lines([p.text for p in block.pieces]), [], block.pages))
        elif block.kind == "note":
            notes.append(clean_lines([p.text for p in block.pieces]))
        else:
            if not sections:
                sections.append(Section(None, [], []))
            sections[-1].items.append(_item(block))
            sections[-1].pages = sorted({*sections[-1].pages, *_all_pages(block)})
    return Step(
        step=raw.number,
        label=compact(" ".join(p.text for p in raw.label)),
        pages=raw.pages,
        sections=sections,
        notes=notes,
    )


def _item(block: Block) -> Item:
    return Item(
        text=clean_lines([p.text for p in block.pieces]),
        pages=block.pages,
        children=[_item(c) for c in block.children],
    )


def _all_pages(block: Block) -> set[int]:
    pages = set(block.pages)
    for child in block.children:
        pages |= _all_pages(child)
    return pages
