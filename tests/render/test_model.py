"""The shared view model: STEPs from 図表4-2, citations per case, markers, prefecture counts."""

from __future__ import annotations

import copy

from render.model import MISSING, YES, casebook_view, step_groups, step_heading
from transform.records import BuildInfo, Case, Report, SourceMeta

from .conftest import business_of


def test_steps_group_under_the_three_steps_of_table_4_2(report: Report) -> None:
    groups = step_groups(report)
    assert [(g.heading, g.steps) for g in groups] == [
        ("STEP1 仲間をつくる", (1, 2)),
        ("STEP2 協働化を検討する", (3,)),
        ("STEP3 協働し、PDCAを回す", (4, 5, 6)),
    ]
    assert groups[0].labels == ("①連携の契機と課題の共有", "②信頼醸成・試験的連携")


def test_without_table_4_2_the_steps_stay_ungrouped(report: Report) -> None:
    bare = copy.deepcopy(report)
    bare.tables = [t for t in bare.tables if t.number != "4-2"]
    [group] = step_groups(bare)
    assert group.number is None and group.steps == (1, 2, 3, 4, 5, 6)


def test_step_label_missing_its_circled_number_gets_it_back(cases: dict[int, Case]) -> None:
    assert cases[18].steps[0].label == "連携の契機と課題の共有"
    assert step_heading(cases[18].steps[0]) == "①連携の契機と課題の共有"
    assert step_heading(cases[1].steps[4]) == "⑤成果の検証と評価"


def test_each_case_lists_the_chapter_4_points_that_cite_it(report, validation, corrections, build) -> None:
    book = casebook_view(report, validation, corrections, build)
    case1 = book.case(1)
    assert [(c.chapter_section, c.section) for c in case1.citations] == [
        ("1. 協働化の効果・メリット", "(3) スケールメリットを活用したコスト削減"),
        ("1. 協働化の効果・メリット", "(6) 災害時対応力の向上"),
    ]
    # A typo in the credited legal form (社会福社…) still finds case 2, and says how it was credited.
    typo = [c for c in book.case(2).citations if c.credited_as]
    assert [c.credited_as for c in typo] == ["社会福社連携推進法人あたらしい保育イニシアチブ"]
    # Credits without an organisation (the bullets of 4.2.(1)) belong to no case.
    assert all(c.case_no is not None for c in book.citations)
    assert sum(len(v.citations) for v in book.cases) == len(book.citations)


def test_members_and_markers_come_from_validation(report, validation, corrections, build) -> None:
    book = casebook_view(report, validation, corrections, build)
    case5 = book.case(5)
    assert case5.members == "6"
    assert {b for b, mark in case5.business.items() if mark == YES} == business_of(5)
    assert case5.business["災害時支援業務"] == ""
    assert dict(book.by_business)["貸付業務"] == [5, 10, 15, 20, 25]


def test_without_validation_every_coded_value_shows_a_dash(report, corrections, build) -> None:
    book = casebook_view(report, None, corrections, build)
    assert {v.members for v in book.cases} == {MISSING}
    assert {m for v in book.cases for m in v.business.values()} == {MISSING}
    assert book.case(1).business_text == MISSING
    assert book.by_business is None and not book.validated and book.edition.draft


def test_prefecture_counts_cover_all_47_and_count_shared_cases_in_each(report, validation, corrections, build) -> None:
    book = casebook_view(report, validation, corrections, build)
    counts = book.prefecture_counts
    assert len(counts) == 47
    assert counts["東京都"] == 5  # 事例3, 4, 10, 18, 22; 事例4 also counts for 北海道 and 岐阜県
    assert counts["北海道"] == 2 and counts["岐阜県"] == 2
    assert sum(counts.values()) == sum(len(c.prefectures) for c in report.cases)


def test_cover_cites_the_source_read_from_the_pdf(report, validation, corrections, build) -> None:
    source = casebook_view(report, validation, corrections, build).source
    assert source.publisher == "株式会社NTTデータ経営研究所"
    assert source.title.startswith("介護事業所における協働化等による職場環境改善")
    assert source.sha256 == report.sha256


def test_a_source_without_title_data_is_cited_by_its_file_name(report, validation, corrections) -> None:
    untitled = copy.deepcopy(report)
    untitled.meta = SourceMeta()
    build = BuildInfo(None, "2026-03-01T09:00:00+09:00", "other_edition.pdf", "0" * 64)
    assert casebook_view(untitled, validation, corrections, build).source.citation == ["other_edition.pdf"]
