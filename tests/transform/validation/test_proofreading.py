"""Proofreading findings on the shipped PDF: each with its place, page and a pasteable erratum."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.paths import PROJECT_ROOT
from transform.records import Report
from transform.validation.proofreading import load_patterns, proofreading_checks


def test_shipped_typos_are_found_with_page_and_erratum(report: Report) -> None:
    checks = {c.id: c for c in proofreading_checks(report, load_patterns(PROJECT_ROOT / "editorial" /
                                                                         "proofreading.yaml"))}
    doubled = checks["proofreading.case-26.step-3.にくいいため"]
    assert (doubled.stated.page, doubled.derived["suggestion"], doubled.flags) == (52, "にくいため", ["doubled"])
    assert yaml.safe_load(doubled.derived["erratum"]) == [
        {"case": 26, "step": 3, "old": "にくいいため", "new": "にくいため", "reason": "「いい」の重複（いが一つ多い）"}]
    foreign = checks["proofreading.section-3.3.(4).織的关系性"]
    assert (foreign.stated.page, foreign.derived["suggestion"]) == (60, "織的関係性")
    assert "proofreading.case-6.step-6.直ちにに取り" in checks
    assert "proofreading.section-4.1.(4).社会福社" in checks  # a known pattern of editorial/proofreading.yaml
    assert all(c.group == "proofreading" and c.status == "mismatch" for c in checks.values())


def test_a_broken_pattern_file_is_a_one_line_error(tmp_path: Path) -> None:
    import pytest

    from transform.validation.coding import CodebookError

    bad = tmp_path / "proofreading.yaml"
    bad.write_text("patterns:\n- find: '社会福('\n  replace: x\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="not a list of patterns"):
        load_patterns(bad)


def test_an_erratum_stays_valid_yaml_whatever_the_text() -> None:
    from transform.validation.proofreading import Passage, erratum

    passage = Passage("", 12, "3.3.(4) 理由", "section-3.3.(4)", section="3.3.(4)")
    text = erratum(passage, "- 目的: 連携 'A'", "- 目的: 連携 \"A\"", "「: 」を含む")
    assert yaml.safe_load(text) == [{"section": "3.3.(4)", "old": "- 目的: 連携 'A'", "new": '- 目的: 連携 "A"',
                                     "reason": "「: 」を含む"}]
