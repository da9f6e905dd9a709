"""Proofreading findings on the shipped PDF: each with its place, page and a pasteable erratum."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.paths import PROJECT_ROOT
from transform.records import Report
from transform.validation.model import Check
from transform.validation.proofreading import load_patterns, proofreading_checks

# Every proofreading hit on the shipped PDF (raw text, shipped patterns), with its kind, the page
# it is printed on (PDF page, checked against pdftotext), the suggestion, and whether it is a
# real typo (read by hand in the PDF). 11 hits, 11 real: precision 11/11. The two rules no list
# names (look-alike, unknown-word) add 2 hits, both real (連携参画, 士業); unknown-word has none
# here (奉志 is a name, 医療法人社団奉志会; 一五 a number).
SHIPPED_HITS = [
    # (check id, kind, PDF page, suggestion, real?)
    ("proofreading.case-6.step-3.「何をを行う", "doubled", 21, "「何を行う", True),
    ("proofreading.case-6.step-6.直ちにに取り", "doubled", 22, "直ちに取り", True),
    ("proofreading.case-15.step-1.認識で合った", "known-typo", 34, "認識であった", True),
    ("proofreading.case-18.step-1.同士で合った", "known-typo", 38, "同士であった", True),
    ("proofreading.case-26.step-3.にくいいため", "doubled", 53, "にくいため", True),
    ("proofreading.case-26.step-3.連携参面の", "look-alike", 52, "連携参画の", True),  # a sub-heading
    ("proofreading.section-3.3.(4).組織的关系性を基盤として協働化に発展する", "non-jis", 60,
     "組織的関係性を基盤として協働化に発展する", True),
    ("proofreading.section-3.3.(4).組織的关系性を基盤として協働化に発展し", "non-jis", 60,
     "組織的関係性を基盤として協働化に発展し", True),  # the bracket heading 【…発展した事例】
    ("proofreading.section-4.1.(3).比較的实施し", "non-jis", 63, "比較的実施し", True),
    ("proofreading.section-4.1.(4).社会福社", "known-typo", 63, "社会福祉", True),
    ("proofreading.section-4.2.(4).土業と", "look-alike", 71, "士業と", True),
]


@pytest.fixture(scope="module")
def hits(report: Report) -> dict[str, Check]:
    return {c.id: c for c in proofreading_checks(report, load_patterns(PROJECT_ROOT / "editorial" /
                                                                        "proofreading.yaml"))}


def test_every_shipped_hit_is_listed_with_its_page_and_suggestion(hits: dict[str, Check]) -> None:
    assert [(c.id, c.flags[0], c.stated.page, c.derived["suggestion"]) for c in hits.values()] == [
        row[:4] for row in SHIPPED_HITS]
    real = [row for row in SHIPPED_HITS if row[4]]
    assert len(real) / len(SHIPPED_HITS) == 1.0  # measured precision on the shipped report
    assert all(c.group == "proofreading" and c.status == "mismatch" for c in hits.values())


def test_no_suggestion_proposes_an_old_form(hits: dict[str, Check]) -> None:
    import joyokanji

    from transform.text import standard_form

    for check in hits.values():
        new = check.derived["suggestion"] or ""
        added = set(new) - set(check.stated.value)
        assert not [ch for ch in added if standard_form(ch) or joyokanji.convert(ch) != ch], check.id
        assert "實" not in new and "當" not in new and "體" not in new


def test_a_hit_carries_its_sentence_reason_and_a_pasteable_erratum(hits: dict[str, Check]) -> None:
    doubled = hits["proofreading.case-26.step-3.にくいいため"]
    assert yaml.safe_load(doubled.derived["erratum"]) == [
        {"case": 26, "step": 3, "old": "にくいいため", "new": "にくいため", "reason": "「いい」の重複（いが一つ多い）"}]
    assert doubled.stated.sentence.startswith("ただし、参加法人に公益活動を前面に打ち出すと賛同を得にくいいため、")
    foreign = hits["proofreading.section-4.1.(3).比較的实施し"]
    assert foreign.message == ("「实」は中国語の簡体字（JIS X 0208 にも JIS X 0213 にもない）。"
                               "訂正案:「比較的实施し」→「比較的実施し」")
    kan = hits["proofreading.section-3.3.(4).組織的关系性を基盤として協働化に発展する"]
    assert kan.message.startswith("「关」は中国語の簡体字（JIS X 0208 になく、JIS X 0213 第4水準）")
    lookalike = hits["proofreading.section-4.2.(4).土業と"]
    assert lookalike.message == ("「土業」は辞書にない語。「士」と字形の似た「土」の誤りか（報告書の他の箇所では「士業」を1回使用）。"
                                 "訂正案:「土業と」→「士業と」")
    assert lookalike.stated.sentence == "認可申請手続きや定款の作成、土業との専門的な調整を担う。"


def test_an_unknown_word_is_reported_with_its_standard_form_or_no_suggestion(report: Report) -> None:
    from dataclasses import replace

    from transform.records import OutlineSection, Paragraph

    section = OutlineSection("9.9", 3, "テスト", 80, [Paragraph("text", "業務の標凖化を進め、效率化を図った。", [80])])
    checks = proofreading_checks(replace(report, cases=[], outline=[section], citations=[]), [])
    assert [(c.id, c.derived["suggestion"], c.flags, c.stated.page) for c in checks] == [
        ("proofreading.section-9.9.標凖化を", None, ["unknown-word"], 80),  # 凖: no data names 準
        ("proofreading.section-9.9.效率化", "効率化", ["unknown-word"], 80),  # 效 → 効 (常用漢字表)
    ]
    assert checks[1].message == "「效率」は辞書にない語（報告書で1回）。「效」は「効」の旧字体・異体字。訂正案:「效率化」→「効率化」"


def test_character_set_claims_in_the_editorial_files_match_the_codecs() -> None:
    """A note saying a character is not in a JIS set is checked against the codecs."""
    import re

    from transform.text import jis_level

    claims = 0
    for path in (PROJECT_ROOT / "editorial").glob("*.yaml"):
        for ch, sets in re.findall(r"「(.)」[^。]*?((?:JIS X 02\d\d[^。]*?)+)にない", path.read_text(encoding="utf-8")):
            level = jis_level(ch) or ""
            for named in re.findall(r"JIS X 02\d\d", sets):
                claims += 1
                assert not level.startswith(named), f"{path.name}: 「{ch}」 is in {level}"
    assert claims >= 1


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
