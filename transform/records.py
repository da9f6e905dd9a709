"""Typed records of the casebook: what extraction yields and every later stage reads.

The JSON form of these records (`cases.json`) is a contract shared with validation, rendering and
the flow; `to_dict` / `from_dict` are its only (de)serialisers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CATEGORIES = ("緊密な連携", "緩やかな連携")


@dataclass
class Item:
    """A bullet item of a case cell, with its nested items."""

    text: str
    pages: list[int]
    children: list[Item] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Item:
        return cls(d["text"], list(d["pages"]), [cls.from_dict(c) for c in d.get("children", [])])


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

    def iter_items(self):
        """Yield (step, section, item, level) for every item in reading order (level 1 = top)."""
        for step in self.steps:
            for section in step.sections:
                stack = [(item, 1) for item in reversed(section.items)]
                while stack:
                    item, level = stack.pop()
                    yield step, section, item, level
                    stack.extend((c, level + 1) for c in reversed(item.children))
