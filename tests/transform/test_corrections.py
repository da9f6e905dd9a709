"""Editors' corrections: exact match required, applied to a copy, listed; every place a finding
compares (case text, headings, report sections with their citations, 図表3-1) can be corrected."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import PROJECT_ROOT
from transform.corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    corrected_quote,
    load_corrections,
)
from transform.records import AppliedCorrection, Report
from transform.validation.errata import explain_corrections

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


def test_error_names_file_entry_and_text_in_one_line(report: Report, tmp_path: Path) -> None:
    errata = tmp_path / "errata.yaml"
    errata.write_text("- {case: 1, step: 5, old: 研修会を定期的で開催し, new: x, reason: a}\n"
                      "- {section: 3.3.(4), old: 存在しない文, new: x, reason: b}\n", encoding="utf-8")
    with pytest.raises(CorrectionError) as info:
        apply_corrections(report, load_corrections(errata))
    message = str(info.value)
    assert message.startswith(f"{errata}: correction #2 (section 3.3.(4)): the old text '存在しない文' does not occur")
    assert "\n" not in message


def test_ambiguous_correction_is_an_error(report: Report) -> None:
    with pytest.raises(CorrectionError, match=r"occurs \d+ times"):
        apply_corrections(report, [Correction(1, 5, "法人", "x", "too short")])


def test_unknown_case_is_an_error(report: Report) -> None:
    with pytest.raises(CorrectionError, match="there is no 事例99"):
        apply_corrections(report, [Correction(99, 1, "a", "b", "c")])


def test_load_file_and_bad_entries(tmp_path: Path) -> None:
    good = tmp_path / "c.yaml"
    good.write_text("- {case: 1, step: 5, old: あ, new: い, reason: う}\n"
                    "- {case: 25, old: 福智町, new: 福智, reason: 見出し}\n"
                    "- {table: 3-1, old: ライフサポート山野, new: x, reason: 法人格}\n"
                    "- {table: 図表3-1, old: a, new: b, reason: c}\n", encoding="utf-8")
    assert load_corrections(good) == [
        Correction(1, 5, "あ", "い", "う"), Correction(25, None, "福智町", "福智", "見出し"),
        Correction(None, None, "ライフサポート山野", "x", "法人格", table="3-1"),
        Correction(None, None, "a", "b", "c", table="3-1"),
    ]
    assert [c.place for c in load_corrections(good)[1:3]] == ["事例25 heading", "図表3-1"]
    assert load_corrections(tmp_path / "missing.yaml") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {case: 1, old: あ}\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match="correction #1 needs a place"):
        load_corrections(bad)
    typo = tmp_path / "typo.yaml"
    typo.write_text("- {case: 1, step: 5, old: あ, new: い, reason: う, resaon: え}\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"nothing else: unknown key 'resaon' \(did you mean reason\?\)"):
        load_corrections(typo)
    two = tmp_path / "two.yaml"
    two.write_text("- {section: 4.1.(3), table: 3-1, old: あ, new: い, reason: う}\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match="nothing else"):
        load_corrections(two)
    broken = tmp_path / "broken.yaml"
    broken.write_text("- case: 1\n  step: 5\n   old: あ\n", encoding="utf-8")
    with pytest.raises(CorrectionError, match=r"broken.yaml, line 3, column 7: a ':' where no 'key: value' can start"):
        load_corrections(broken)


def test_a_heading_correction_rewrites_name_and_region_and_the_prefectures_follow(report: Report) -> None:
    fixed, applied = apply_corrections(report, [Correction(11, None, "山口県・滋賀県", "山口県", "地域")])
    case = next(c for c in fixed.cases if c.no == 11)
    assert (case.region, case.prefectures) == ("山口県", ["山口県"])
    assert next(c for c in report.cases if c.no == 11).region == "山口県・滋賀県"  # the input is kept
    assert (applied[0].location, applied[0].before, applied[0].after) == ("事例11 地域", "山口県・滋賀県", "山口県")


def test_a_table_correction_rewrites_one_cell(report: Report) -> None:
    fixed, applied = apply_corrections(report, [Correction(None, None, "アソウエルプラス", "アソウェルプラス", "誤記",
                                                           table="3-1")])
    row = next(r for r in fixed.table("3-1").rows if "事例19" in r)
    assert row[-1] == "阿蘇・菊池福祉ネットワーク アソウェルプラス"
    assert "阿蘇・菊池福祉ネットワーク アソウエルプラス" in [r[-1] for r in report.table("3-1").rows]
    assert (applied[0].location, applied[0].where) == ("図表3-1", "p.7（PDF 10）")  # the page of 事例19's row
    with pytest.raises(CorrectionError, match=r"the report has no 図表9-9 \(it has 図表"):
        apply_corrections(report, [Correction(None, None, "a", "b", "c", table="9-9")])


def test_a_section_correction_reaches_the_citation_printed_there(report: Report) -> None:
    """The credit of a 【参考となる事例】 entry is read again from the corrected paragraph: the typo,
    the legal form and the closing bracket all follow one erratum."""
    fix = Correction(None, None, "(社会福社連携推進法人あたらしい保育イニシアチブ【和歌山県】",
                     "(社会福祉連携推進法人あたらしい保育イニシアチブ【和歌山県】)", "誤字", section="4.1.(4)")
    before = next(c for c in report.citations if "社会福社" in c.raw)
    fixed, _ = apply_corrections(report, [fix])
    after = fixed.citations[report.citations.index(before)]
    assert (before.organisation, before.closed) == ("社会福社連携推進法人あたらしい保育イニシアチブ", False)
    assert (after.organisation, after.region, after.closed) == (
        "社会福祉連携推進法人あたらしい保育イニシアチブ", "和歌山県", True)
    assert after.quote == before.quote and after.raw.endswith("【和歌山県】)")


def test_corrections_know_nothing_of_validation() -> None:
    """Validation follows the corrections, never the other way round: no import of the validation
    package from transform/corrections.py, at the top or inside a function."""
    tree = ast.parse((PROJECT_ROOT / "transform" / "corrections.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not [m for m in imported if m and m.startswith("transform.validation")]


def test_shipped_errata_fix_the_known_typos_and_validate_cleanly(report: Report) -> None:
    """The shipped errata apply, each with its location and note; the reviewed codings that quoted
    the old text follow the correction, so validation has no error and no count moves."""
    from transform.validation.run import validate_report

    editorial = PROJECT_ROOT / "editorial"
    corrections = load_corrections(editorial / "corrections.yaml")
    fixed, applied = apply_corrections(report, corrections)
    assert [(a.location, a.where) for a in applied] == [
        ("事例1 ⑤", "p.10（PDF 13）"), ("事例6 ③", "p.18（PDF 21）"), ("事例6 ⑥", "p.19（PDF 22）"),
        ("事例15 ①", "p.31–32（PDF 34–35）"), ("事例18 ①", "p.35（PDF 38）"), ("事例26 ③", "p.49（PDF 52）"),
        ("事例26 ③", "p.50（PDF 53）"), ("第3章 3.3.(4)", "p.57（PDF 60）"), ("第3章 3.3.(4)", "p.57（PDF 60）"),
        ("第4章 4.2.(4)", "p.68（PDF 71）"), ("図表3-1", "p.7（PDF 10）"), ("図表3-1", "p.8（PDF 11）"),
        ("第4章 4.1.(3)", "p.60（PDF 63）"), ("第4章 4.1.(3)", "p.60（PDF 63）"), ("第4章 4.1.(4)", "p.60（PDF 63）"),
        ("第4章 4.1.(7)", "p.61（PDF 64）"), ("第4章 4.2.(2)", "p.65（PDF 68）"), ("第4章 4.2.(3)", "p.67（PDF 70）"),
        ("第4章 4.2.(3)", "p.68（PDF 71）"),
    ]
    assert all(a.note and a.reason for a in applied)
    text = "".join(i.text for c in fixed.cases for _, _, i, _ in c.iter_items())
    text += "".join(p.text for s in fixed.outline for p in s.paragraphs)
    for typo in ("定期的で開催", "認識で合った", "同士で合った", "何をを", "直ちにに", "得にくいいため", "关系性", "实施",
                 "社会福社", "社会福祉法人福智町", "十日町福祉会【", "連携参面", "土業"):
        assert typo not in text, typo
    assert fixed.corrections == applied
    codebook, reviewed = editorial / "codebook.yaml", editorial / "reviewed_codings.yaml"
    validation = validate_report(fixed, codebook, reviewed, original=report)
    assert validation.check("reviewed.codings").status == "pass"
    explained = explain_corrections(fixed, applied, validation, reviewed)
    assert explained[0].updated == ["レビュー済みコーディングの引用（事例1 business:人材確保等業務）"]
    assert explained[3].updated == ["レビュー済みコーディングの引用（事例15 reason:人材不足・人材確保）"]
    assert [e.moved for e in explained] == [[]] * len(applied)


def test_quotes_follow_a_correction_even_when_cut_mid_phrase() -> None:
    fix = AppliedCorrection(1, 5, "定期的で開催し", "定期的に開催し", "助詞", before="研修会を定期的で開催し、促進")
    assert corrected_quote("研修会を定期的で開催し、", [fix]) == "研修会を定期的に開催し、"
    assert corrected_quote("研修会を定期的で", [fix]) == "研修会を定期的に開催し"
    assert corrected_quote("開催し、促進", [fix]) == "定期的に開催し、促進"
    assert corrected_quote("まったく別の文", [fix]) == "まったく別の文"


def test_a_correction_updates_the_citations_that_quote_it(report: Report) -> None:
    # A verbatim citation of Chapter 4: its first sentence occurs in exactly one case step.
    hits = [(cit, case.no, step.step) for cit in report.citations for case in report.cases
            for step, _, item, _ in case.iter_items() if cit.quote[:12] in item.text]
    cit, no, step = hits[0]
    fixed, applied = apply_corrections(report, [Correction(no, step, cit.quote[:12], "【訂正】", "test")])
    assert fixed.citations[report.citations.index(cit)].quote.startswith("【訂正】")
    assert applied[0].updated[0].startswith("第4章の引用（p.")


def test_who_revised_a_correction_and_when_reach_the_appendix(report: Report, tmp_path: Path) -> None:
    errata = tmp_path / "c.yaml"
    errata.write_text("- case: 1\n  step: 5\n  old: 研修会を定期的で開催し\n  new: 研修会を定期的に開催し\n"
                      "  reason: 助詞の誤り\n  by: 校正者A\n  date: 2026-12-04\n", encoding="utf-8")
    [corr] = load_corrections(errata)
    assert (corr.by, corr.date) == ("校正者A", "2026-12-04")  # an unquoted YAML date is read as text
    assert corr.to_entry() == {"case": 1, "step": 5, "old": "研修会を定期的で開催し", "new": "研修会を定期的に開催し",
                               "reason": "助詞の誤り", "by": "校正者A", "date": "2026-12-04"}
    [applied] = apply_corrections(report, [corr])[1]
    assert (applied.by, applied.date, applied.revised, applied.credit) == (
        "校正者A", "2026-12-04", "校正者A、2026年12月4日（令和8年）", "修正：校正者A、2026年12月4日（令和8年）")
    default = AppliedCorrection(1, 5, "a", "b", "Wordでの修正（校正者A、2026-12-04）", by="校正者A", date="2026-12-04")
    assert default.credit == ""  # the reason says it already


def test_a_correction_of_a_case_name_and_of_a_step_label(report: Report, tmp_path: Path) -> None:
    errata = tmp_path / "c.yaml"
    errata.write_text("- {case: 3, old: ありがとう安心, new: ありがとう・安心, reason: 名称}\n"
                      "- {case: 3, step: 2, old: 試験的連携, new: 試行的連携, reason: 表記}\n", encoding="utf-8")
    corrections = load_corrections(errata)
    assert [c.place for c in corrections] == ["事例3 heading", "事例3 step 2"]
    fixed, applied = apply_corrections(report, corrections)
    assert fixed.cases[2].name == "社会福祉連携推進法人ありがとう・安心サポート協会"
    assert fixed.cases[2].steps[1].label == "②信頼醸成・試行的連携"
    assert [a.location for a in applied] == ["事例3 事例名", "事例3 ②"]
    assert applied[0].before == "社会福祉連携推進法人ありがとう安心サポート協会"
