"""Chapter 4 citations: name variants, regions, brackets and quotes against the cited case."""

from __future__ import annotations

import copy

from transform.records import Case, Citation, Report
from transform.validation.citations import CaseTexts, citation_check, match_quote, resolve_name


def _citation(report: Report, organisation: str, starts: str) -> Citation:
    return next(c for c in report.citations if c.organisation == organisation and c.quote.startswith(starts))


def test_exact_name_and_verbatim_quote_pass_with_the_step(report: Report) -> None:
    cit = _citation(report, "社会福祉連携推進法人秋田圏域社会福祉連携推進会", "災害発生時には")
    check = citation_check(cit, CaseTexts(report.cases), 2)
    assert (check.id, check.status) == ("citation.4.1.(6).2", "pass")
    assert {k: check.derived[k] for k in ("case", "name", "region", "name_match", "quote_score", "steps")} == {
        "case": 1, "name": "社会福祉連携推進法人秋田圏域社会福祉連携推進会", "region": "秋田県",
        "name_match": "exact", "quote_score": 100.0, "steps": [5]}
    assert check.derived["supported_by"] == 1 and check.cause is None
    assert check.stated.page == 64


def test_another_corporate_form_is_flagged(report: Report) -> None:
    name = resolve_name("社会福祉法人福智町社会福祉連携協議会", report.cases)
    assert (name.case.no, name.kind) == (25, "form")
    assert name.detail == "法人格の表記が異なる（社会福祉法人 ↔ 事例見出し 一般社団法人）"


def test_a_typo_in_the_name_and_a_missing_bracket_are_flagged(report: Report) -> None:
    cit = _citation(report, "社会福社連携推進法人あたらしい保育イニシアチブ", "「こども誰でも通園制度」")
    check = citation_check(cit, CaseTexts(report.cases), 3)
    assert check.status == "mismatch"
    assert check.derived["case"] == 2
    assert "名称の表記ゆれ（「社」↔「祉」）" in check.message
    assert "出典の括弧が閉じていない" in check.message


def test_a_member_organisation_resolves_to_the_case_that_names_it(report: Report) -> None:
    name = resolve_name("社会福祉法人十日町福祉会", report.cases)
    assert (name.case.no, name.kind) == (21, "mentioned")


def test_a_region_that_differs_from_the_heading_is_flagged(report: Report) -> None:
    cit = _citation(report, "社会福祉連携推進法人はあとライン", "DX推進")
    check = citation_check(cit, CaseTexts(report.cases), 1)
    assert check.status == "mismatch"
    assert check.message == "地域が事例見出しと異なる（【山口県】↔【山口県・滋賀県】）"


def test_a_quote_from_another_case_is_flagged_with_where_it_is(report: Report, cases: dict[int, Case]) -> None:
    cit = copy.deepcopy(_citation(report, "社会福祉連携推進法人福岡親和会", "自治体・行政から見て"))
    cit.quote = cases[1].steps[4].sections[0].items[3].text  # 衛生用品の仕入単価を… (事例1)
    check = citation_check(cit, CaseTexts(report.cases), 1)
    assert (check.status, check.flags, check.derived["supported_by"]) == ("mismatch", ["misattributed"], 1)
    assert check.message == ("引用文は事例1「社会福祉連携推進法人秋田圏域社会福祉連携推進会」にそのまま見つかる"
                             "（一致度 100）— 事例14ではなく事例1の記述")


def test_a_quote_in_no_case_is_flagged(report: Report) -> None:
    cit = copy.deepcopy(_citation(report, "社会福祉連携推進法人福岡親和会", "自治体・行政から見て"))
    cit.quote = "月面基地の建設に向けて宇宙飛行士の訓練を共同で実施した。"
    check = citation_check(cit, CaseTexts(report.cases), 1)
    assert check.status == "mismatch"
    assert check.derived["quote_score"] < 60
    assert check.flags == ["paraphrase", "unsupported"]
    assert check.message.endswith("— 内容の裏付けが弱い")


def test_a_summarising_citation_shows_its_closest_passage(report: Report, cases: dict[int, Case]) -> None:
    cit = _citation(report, "社会福祉連携推進法人共創福祉ひだ", "合併は困難だが")
    match = match_quote(cit.quote, cases[6])
    assert match.steps == [3]
    assert 50 < match.score < 80
    assert "社会福祉連携推進法人が選択された" in match.parts[-1].quote
