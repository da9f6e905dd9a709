"""Records in long form (cases, steps, items: one row per record) and the schema they must meet.

The schema is checked on every extraction, so it is plain Python over the rows: importing a
DataFrame library would cost more than the whole check (it was half a second of every
`casebook extract` with pandas and pandera). Each column declares its type and its checks; a
failure names the table, the column, the check and the value, as pandera's failure cases did.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from casebook.vocabulary import CATEGORIES, STEP_NUMBERS, STEPS_IN_ORDER, circled_number, steps_in_order
from extract.cells import ITEM_GLYPHS
from transform.records import Case

Row = dict[str, Any]


@dataclass(frozen=True)
class ValueCheck:
    """A named test of one value (a column's schema)."""

    name: str
    test: Callable[[Any], bool]


@dataclass(frozen=True)
class Column:
    name: str
    type: type
    checks: tuple[ValueCheck, ...] = ()
    nullable: bool = False
    unique: bool = False


def _ge(n: int) -> ValueCheck:
    return ValueCheck(f"greater_than_or_equal_to({n})", lambda v: v >= n)


def _min_length(n: int) -> ValueCheck:
    return ValueCheck(f"str_length(min_value={n})", lambda v: len(v) >= n)


def _in_range(lo: int, hi: int) -> ValueCheck:
    return ValueCheck(f"in_range({lo}, {hi})", lambda v: lo <= v <= hi)


_PAGES = re.compile(r"^\d+(;\d+)*$")

CASES = (
    Column("no", int, (_ge(1),), unique=True),
    Column("name", str, (_min_length(1),)),
    Column("region", str, (_min_length(1),)),
    Column("prefectures", str, (_min_length(2),)),
    Column("category", str, (ValueCheck(f"isin({list(CATEGORIES)})", lambda v: v in CATEGORIES),)),
    Column("first_page", int, (_ge(1),)),
    Column("last_page", int, (_ge(1),)),
)
STEPS = (
    Column("case", int),
    Column("step", int, (_in_range(STEP_NUMBERS[0], STEP_NUMBERS[-1]),)),
    Column("label", str, (_min_length(2),)),
    Column("sections", int, (_ge(1),)),
    Column("notes", int, (_ge(0),)),
    Column("pages", str),
)
ITEMS = (
    Column("case", int),
    Column("step", int, (_in_range(STEP_NUMBERS[0], STEP_NUMBERS[-1]),)),
    Column("section", str, nullable=True),
    Column("level", int, (_in_range(1, 4),)),
    Column("order", int, (_ge(0),)),
    Column(
        "text",
        str,
        (
            _min_length(1),
            ValueCheck("item starts with a glyph", lambda v: not v or v[0] not in ITEM_GLYPHS),
            ValueCheck("item holds a step label", lambda v: circled_number(v) not in STEP_NUMBERS),
        ),
    ),
    Column("pages", str, (ValueCheck("str_matches(pages)", lambda v: bool(_PAGES.match(v))),)),
)


@dataclass(frozen=True)
class Failure:
    """One value that breaks the schema."""

    table: str
    column: str
    check: str
    value: Any


class SchemaError(ValueError):
    """Records that break the schema; `failures` lists every broken value."""

    def __init__(self, failures: list[Failure]) -> None:
        self.failures = failures
        super().__init__(f"{len(failures)} schema failures")


def _pages(pages: list[int]) -> str:
    return ";".join(str(p) for p in pages)


def case_rows(cases: list[Case]) -> list[Row]:
    """One row per case."""
    return [
        {
            "no": c.no, "name": c.name, "region": c.region,
            "prefectures": ";".join(c.prefectures), "category": c.category,
            "first_page": min(c.pages), "last_page": max(c.pages),
        }
        for c in cases
    ]


def step_rows(cases: list[Case]) -> list[Row]:
    """One row per step of every case."""
    return [
        {
            "case": c.no, "step": s.step, "label": s.label, "sections": len(s.sections),
            "notes": len(s.notes), "pages": _pages(s.pages),
        }
        for c in cases
        for s in c.steps
    ]


def item_rows(cases: list[Case]) -> list[Row]:
    """One row per item (nested items included, with their level), in reading order."""
    return [
        {
            "case": c.no, "step": step.step, "section": section.heading, "level": level,
            "order": order, "text": item.text, "pages": _pages(item.pages),
        }
        for c in cases
        for order, (step, section, item, level) in enumerate(c.iter_items())
    ]


def items_csv(cases: list[Case]) -> bytes:
    """items.csv: the item rows with a header line (an empty cell where a section has no heading)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[c.name for c in ITEMS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(item_rows(cases))
    return buf.getvalue().encode("utf-8")


def _column_failures(table: str, columns: Iterable[Column], rows: list[Row]) -> list[Failure]:
    out = []
    for col in columns:
        seen: set[Any] = set()
        for row in rows:
            value = row[col.name]
            if value is None:
                if not col.nullable:
                    out.append(Failure(table, col.name, "not_nullable", value))
                continue
            if not isinstance(value, col.type) or isinstance(value, bool):
                out.append(Failure(table, col.name, f"dtype({col.type.__name__})", value))
                continue
            out += [Failure(table, col.name, ck.name, value) for ck in col.checks if not ck.test(value)]
            if col.unique:
                if value in seen:
                    out.append(Failure(table, col.name, "field_uniqueness", value))
                seen.add(value)
    return out


def check_frames(cases: list[Case]) -> None:
    """Check the three tables against the schema; raises SchemaError listing every failure."""
    cases_, steps, items = case_rows(cases), step_rows(cases), item_rows(cases)
    failures = _column_failures("cases", CASES, cases_)
    failures += [
        Failure("cases", "last_page", "pages out of order", (r["first_page"], r["last_page"]))
        for r in cases_
        if r["last_page"] < r["first_page"]
    ]
    failures += _column_failures("steps", STEPS, steps)
    by_case: dict[int, list[int]] = {}
    for r in steps:
        by_case.setdefault(r["case"], []).append(r["step"])
    failures += [
        Failure("steps", "step", f"every case has {STEPS_IN_ORDER}", (no, numbers))
        for no, numbers in by_case.items()
        if not steps_in_order(numbers)
    ]
    failures += _column_failures("items", ITEMS, items)
    if failures:
        raise SchemaError(failures)
