"""Codebook, auto-coder and reviewed codings on the shipped cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from transform.records import Case, Report
from transform.validation.coding import (
    Codebook,
    CodebookError,
    Reviewed,
    apply_review,
    auto_code,
    find_quote,
    load_reviewed,
    parse_codebook,
    parse_reviewed,
)
from transform.validation.model import Coding


def _coded(case: Case, codebook: Codebook, attribute: str) -> Coding:
    return next(c for c in auto_code(case, codebook) if c.attribute == attribute)


def test_codebook_defines_every_attribute_the_report_counts(codebook: Codebook) -> None:
    attributes = codebook.attributes()
    assert attributes[:2] == ["members", "area"]
    assert len(attributes) == 2 + 6 + 5 + 5
    assert "business:人材確保等業務" in attributes
    assert codebook.find("trigger", "経営相談や業務委託依頼 ").attribute == "trigger:経営相談や業務委託依頼"


def test_member_count_is_the_last_mention_in_reading_order(cases: dict[int, Case], codebook: Codebook) -> None:
    coding = _coded(cases[19], codebook, "members")  # 6法人 at the start, 9法人 after the expansion
    assert coding.value == 9
    assert coding.evidence[0].step == 6
    assert "9法人構成の「アソウェルプラス」へと拡大した" in coding.evidence[0].quote


def test_supporting_members_are_not_members(cases: dict[int, Case], codebook: Codebook) -> None:
    assert _coded(cases[2], codebook, "members").value == 38  # not the 26 賛助会員
    assert _coded(cases[13], codebook, "members").value == 3  # not the 12 賛助会員


def test_a_range_leaves_the_member_count_undecided(cases: dict[int, Case], codebook: Codebook) -> None:
    coding = _coded(cases[14], codebook, "members")
    assert coding.value is None
    assert "5～6法人程度が参画している" in coding.evidence[0].quote


def test_area_from_heading_or_a_sentence_naming_several_prefectures(cases: dict[int, Case], codebook: Codebook) -> None:
    assert _coded(cases[11], codebook, "area").evidence[0].quote == "【山口県・滋賀県】"
    three = _coded(cases[3], codebook, "area")
    assert three.value == "multiple"
    assert "東京都2法人、神奈川県3法人、島根県1法人" in three.evidence[0].quote
    assert _coded(cases[1], codebook, "area").value == "single"


def test_business_rules_respect_negations_and_plans(cases: dict[int, Case], codebook: Codebook) -> None:
    assert _coded(cases[10], codebook, "business:貸付業務").value is True  # 対象6業務全て
    assert _coded(cases[11], codebook, "business:貸付業務").value is False  # 貸付業務以外の5事業
    assert _coded(cases[15], codebook, "business:災害時支援業務").value is False  # 検討している
    assert _coded(cases[22], codebook, "business:災害時支援業務").value is False  # 検討したが


def test_every_shipped_review_quote_is_in_its_case(report: Report, codebook: Codebook, reviewed: Reviewed) -> None:
    auto = {c.no: auto_code(c, codebook) for c in report.cases}
    codings, problems = apply_review(auto, report.cases, reviewed, codebook)
    assert problems == []
    assert len(codings) == 29 * 18
    assert all(c.basis == "reviewed" for c in codings if c.attribute != "area")


def test_a_fabricated_quote_is_a_problem_and_the_auto_coding_stays(
    report: Report, codebook: Codebook, tmp_path: Path
) -> None:
    path = tmp_path / "reviewed.yaml"
    path.write_text(
        "cases:\n"
        "- case: 5\n"
        "  name: 社会福祉連携推進法人いーまーる\n"
        "  codings:\n"
        "    members: {value: 6, quote: 現在は6法人で活動している。}\n",
        encoding="utf-8",
    )
    auto = {c.no: auto_code(c, codebook) for c in report.cases}
    codings, problems = apply_review(auto, report.cases, load_reviewed(path), codebook)
    assert [(p.case, p.attribute, p.quote) for p in problems] == [(5, "members", "現在は6法人で活動している。")]
    members = next(c for c in codings if c.case == 5 and c.attribute == "members")
    assert (members.value, members.basis) == (5, "auto")


def test_reviews_follow_case_names_not_numbers(report: Report, codebook: Codebook) -> None:
    data = {"cases": [{"case": 99, "name": "株式会社ライフサポート山野", "codings": {"members": {"value": 17,
            "quote": "株式会社等17法人ほどが集まった"}}}, {"case": 3, "name": "存在しない法人", "codings": {}}]}
    auto = {c.no: auto_code(c, codebook) for c in report.cases}
    codings, problems = apply_review(auto, report.cases, parse_reviewed(data), codebook)
    assert [p.message for p in problems] == [
        "レビュー対象の事例「存在しない法人」が報告書にありません（事例3は「社会福祉連携推進法人ありがとう安心サポート協会」）"
    ]
    members = next(c for c in codings if c.case == 29 and c.attribute == "members")
    assert (members.value, members.basis, members.evidence[0].step) == (17, "reviewed", 2)


def test_quotes_may_elide_with_an_ellipsis(cases: dict[int, Case]) -> None:
    assert find_quote(cases[11], "貸付業務以外の5事業……委員会体制を整備した。") == 4
    assert find_quote(cases[11], "委員会体制を整備した。……貸付業務以外の5事業") is None


def test_a_bad_pattern_names_its_place() -> None:
    data = {"members": {"patterns": ["(?P<n>\\d+)法人"]}, "area": {},
            "business": {"経営支援業務": {"steps": [4], "patterns": ["経営("]}}}
    with pytest.raises(CodebookError, match=r"business\.経営支援業務\.patterns\[0\]: bad regular expression"):
        parse_codebook(data)


def test_a_respelt_case_name_still_finds_its_case(report: Report, codebook: Codebook) -> None:
    data = {"cases": [{"case": 19, "name": "阿蘇・菊池福祉ネットワーク アソウエルプラス", "codings": {
        "members": {"value": 9, "quote": "9法人構成の「アソウェルプラス」へと拡大した。"}}}]}
    auto = {c.no: auto_code(c, codebook) for c in report.cases}
    codings, problems = apply_review(auto, report.cases, parse_reviewed(data), codebook)
    assert problems == []
    assert next(c for c in codings if c.case == 19 and c.attribute == "members").basis == "reviewed"
