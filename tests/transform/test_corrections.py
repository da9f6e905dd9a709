"""Editors' corrections: exact match required, applied to a copy, listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from transform.corrections import Correction, CorrectionError, apply_corrections, load_corrections
from transform.records import Report

TYPO = Correction(1, 5, "研修会を定期的で開催し", "研修会を定期的に開催し", "助詞の誤り")


def test_correction_rewrites_the_item_and_is_listed(report: Report) -> None:
    fixed, applied = apply_corrections(report, [TYPO])
    item = fixed.cases[0].steps[4].sections[0].items[0]
    assert item.text.startswith("共通課題に基づく研修会を定期的に開催し")
    assert [(a.case, a.step, a.reason) for a in applied] == [(1, 5, "助詞の誤り")]
    assert report.cases[0].steps[4].sections[0].items[0].text.startswith("共通課題に基づく研修会を定期的で")
    assert fixed.cases[1] is report.cases[1]  # uncorrected cases are shared, not copied


def test_no_corrections_returns_the_report_itself(report: Report) -> None:
    assert apply_corrections(report, []) == (report, [])


def test_correction_reaches_headings_notes_and_nested_items(report: Report) -> None:
    fixes = [
        Correction(3, 6, "(※) 活動のための資金", "(※) 活動資金", "表記"),
        Correction(25, 4, "27台設置", "二十七台設置", "表記"),
        Correction(1, 1, "地域課題に対する共通認識", "地域課題の共通認識", "見出し"),
    ]
    fixed, applied = apply_corrections(report, fixes)
    assert fixed.cases[2].steps[5].notes[0].startswith("(※) 活動資金")
    assert fixed.cases[0].steps[0].sections[0].heading == "地域課題の共通認識"
    assert len(applied) == 3


def test_correction_that_does_not_match_names_itself(report: Report) -> None:
    wrong = Correction(1, 5, "存在しない文", "x", "test")
    with pytest.raises(CorrectionError, match=r"correction #1 \(事例1 step 5\): the old text '存在しない文' does not occur"):
        apply_corrections(report, [wrong])


def test_ambiguous_correction_is_an_error(report: Report) -> None:
    with pytest.raises(CorrectionError, match=r"occurs \d+ times"):
        apply_corrections(report, [Correction(1, 5, "法人", "x", "too short")])


def test_unknown_case_is_an_error(report: Report) -> None:
    with pytest.raises(CorrectionError, match="there is no 事例99"):
        apply_corrections(report, [Correction(99, 1, "a", "b", "c")])


def test_load_file_and_bad_entries(tmp_path: Path) -> None:
    good = tmp_path / "c.yaml"
    good.write_text("- {case: 1, step: 5, old: あ, new: い, reason: う}\n", encoding="utf-8")
    assert load_corrections(good) == [Correction(1, 5, "あ", "い", "う")]
    assert load_corrections(tmp_path / "missing.yaml") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {case: 1, old: あ}\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match="correction #1 needs case, step, old, new and reason"):
        load_corrections(bad)
    typo = tmp_path / "typo.yaml"
    typo.write_text("- {case: 1, step: 5, old: あ, new: い, reason: う, resaon: え}\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match="nothing else"):
        load_corrections(typo)


def test_shipped_corrections_file_is_valid_and_applies(report: Report) -> None:
    from flows.paths import PROJECT_ROOT

    corrections = load_corrections(PROJECT_ROOT / "editorial" / "corrections.yaml")
    fixed, applied = apply_corrections(report, corrections)
    assert [(a.case, a.step, a.new) for a in applied] == [(c.case, c.step, c.new) for c in corrections]
    assert len(fixed.cases) == 29
