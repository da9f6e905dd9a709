"""Generated editions of new kinds (tests/editions/kinds.py), each printed and read once per
session however many tests ask for it; and the `sweep` marker's opt-in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from casebook.vocabulary import CATEGORIES
from extract.run import RawReport, extract_report
from flows.pipeline import file_sha256
from tests.editions.kinds import Kind, build_kind, kind_cases
from transform.assemble import build_report
from transform.records import Case, Report


@dataclass
class Generated:
    """A kind's edition: the cases it prints, its PDF, and what extraction read from it."""

    kind: Kind
    cases: list[Case]
    pdf: Path
    raw: RawReport
    report: Report


@pytest.fixture(scope="session")
def generated(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Kind], Generated]:
    """Print and read a kind's edition, once per session."""
    cache: dict[Kind, Generated] = {}
    folder = tmp_path_factory.mktemp("kinds")

    def get(kind: Kind) -> Generated:
        if kind not in cache:
            cases = kind_cases(report.cases, kind)
            pdf = build_kind(kind, cases, folder / f"{kind.name}.pdf")
            raw = extract_report(pdf, CATEGORIES)
            cache[kind] = Generated(kind, cases, pdf, raw, build_report(raw, file_sha256(pdf)))
        return cache[kind]

    return get


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The sweep runs only when asked for (`-m sweep`): it prints dozens of editions."""
    if "sweep" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="the larger sweep of generated editions: run with -m sweep")
    for item in items:
        if item.get_closest_marker("sweep") is not None:
            item.add_marker(skip)
