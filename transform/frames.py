"""Records as pandas DataFrames (cases, steps, items in long form), checked by a pandera schema."""

from __future__ import annotations

import os

import pandas as pd

os.environ.setdefault("DISABLE_PANDERA_IMPORT_WARNING", "True")
import pandera.pandas as pa

from extract.cells import ITEM_GLYPHS
from transform.records import CATEGORIES, Case

CASES = pa.DataFrameSchema(
    {
        "no": pa.Column(int, pa.Check.ge(1), unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "region": pa.Column(str, pa.Check.str_length(min_value=1)),
        "prefectures": pa.Column(str, pa.Check.str_length(min_value=2)),
        "category": pa.Column(str, pa.Check.isin(list(CATEGORIES))),
        "first_page": pa.Column(int, pa.Check.ge(1)),
        "last_page": pa.Column(int, pa.Check.ge(1)),
    },
    checks=pa.Check(lambda df: (df.last_page >= df.first_page).all(), error="pages out of order"),
    strict=True,
)

STEPS = pa.DataFrameSchema(
    {
        "case": pa.Column(int),
        "step": pa.Column(int, pa.Check.in_range(1, 6)),
        "label": pa.Column(str, pa.Check.str_length(min_value=2)),
        "sections": pa.Column(int, pa.Check.ge(1)),
        "notes": pa.Column(int, pa.Check.ge(0)),
        "pages": pa.Column(str),
    },
    checks=pa.Check(
        lambda df: (df.groupby("case").step.apply(list) == pd.Series(
            [[1, 2, 3, 4, 5, 6]] * df.case.nunique(), index=sorted(df.case.unique())
        )).all(),
        error="every case has steps 1–6 in order",
    ),
    strict=True,
)

ITEMS = pa.DataFrameSchema(
    {
        "case": pa.Column(int),
        "step": pa.Column(int, pa.Check.in_range(1, 6)),
        "section": pa.Column(str, nullable=True),
        "level": pa.Column(int, pa.Check.in_range(1, 4)),
        "order": pa.Column(int, pa.Check.ge(0)),
        "text": pa.Column(
            str,
            [
                pa.Check.str_length(min_value=1),
                pa.Check(lambda s: ~s.str[0].isin(list(ITEM_GLYPHS)), error="item starts with a glyph"),
                pa.Check(lambda s: ~s.str.contains(r"^[①-⑥]"), error="item holds a step label"),
            ],
        ),
        "pages": pa.Column(str, pa.Check.str_matches(r"^\d+(;\d+)*$")),
    },
    strict=True,
)


def _pages(pages: list[int]) -> str:
    return ";".join(str(p) for p in pages)


def case_frame(cases: list[Case]) -> pd.DataFrame:
    """One row per case."""
    return pd.DataFrame(
        [
            {
                "no": c.no, "name": c.name, "region": c.region,
                "prefectures": ";".join(c.prefectures), "category": c.category,
                "first_page": min(c.pages), "last_page": max(c.pages),
            }
            for c in cases
        ],
        columns=list(CASES.columns),
    )


def step_frame(cases: list[Case]) -> pd.DataFrame:
    """One row per step of every case."""
    rows = [
        {
            "case": c.no, "step": s.step, "label": s.label, "sections": len(s.sections),
            "notes": len(s.notes), "pages": _pages(s.pages),
        }
        for c in cases
        for s in c.steps
    ]
    return pd.DataFrame(rows, columns=list(STEPS.columns))


def item_frame(cases: list[Case]) -> pd.DataFrame:
    """One row per item (nested items included, with their level), in reading order."""
    rows = [
        {
            "case": c.no, "step": step.step, "section": section.heading, "level": level,
            "order": order, "text": item.text, "pages": _pages(item.pages),
        }
        for c in cases
        for order, (step, section, item, level) in enumerate(c.iter_items())
    ]
    return pd.DataFrame(rows, columns=list(ITEMS.columns))


def check_frames(cases: list[Case]) -> None:
    """Validate all three frames; raises pandera SchemaErrors listing every failure."""
    CASES.validate(case_frame(cases), lazy=True)
    STEPS.validate(step_frame(cases), lazy=True)
    ITEMS.validate(item_frame(cases), lazy=True)
