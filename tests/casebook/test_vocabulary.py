"""The report's vocabulary: the survey's frame as the shipped PDF prints it, and labels for
everything validation produces."""

from __future__ import annotations

import ast
import sys

import pytest
import yaml

from casebook.vocabulary import (
    BUSINESSES,
    CATEGORIES,
    CATEGORY_IDS,
    GROUPS,
    HEAD_WORDS,
    MEMBERS,
    STEP_NUMBERS,
    STEPS,
    circled,
    circled_number,
    step_name,
)
from tests.conftest import CODEBOOK, ROOT
from transform.records import Report
from transform.validation.coding import Codebook, CodebookError, parse_codebook
from transform.validation.model import ValidationReport


def test_six_steps_as_the_case_tables_label_them(report: Report) -> None:
    assert STEP_NUMBERS == (1, 2, 3, 4, 5, 6)
    assert [step_name(n) for n in STEP_NUMBERS] == [
        "①連携の契機と課題の共有", "②信頼醸成・試験的連携", "③連携の公式化と目標策定",
        "④協働活動の実行", "⑤成果の検証と評価", "⑥改善と深化",
    ]
    # Every step of every case names one of them once its lost circled number is restored (事例19 ①).
    printed = {(s.step, step_name(s.step, s.label)) for c in report.cases for s in c.steps}
    assert printed == {(n, step_name(n)) for n in STEPS}
    assert sum(1 for c in report.cases for s in c.steps if circled_number(s.label) is None) == 1


def test_circled_numbers() -> None:
    assert (circled(1), circled(6), circled(20), circled(21)) == ("①", "⑥", "⑳", "21")
    assert [circled_number(t) for t in ("④協働活動の実行", "⑳", "連携", "", "1.")] == [4, 20, None, None, None]
    assert step_name(1, "連携の契機と課題の共有") == "①連携の契機と課題の共有"  # the number restored
    assert step_name(5, "⑤成果の検証と評価") == "⑤成果の検証と評価"  # printed as it is


def test_six_businesses_and_their_column_heads(shipped: ValidationReport) -> None:
    assert BUSINESSES == ("地域福祉支援業務", "災害時支援業務", "経営支援業務", "貸付業務", "人材確保等業務",
                          "物資等供給業務")
    assert {"".join(HEAD_WORDS[b]) for b in BUSINESSES} == set(BUSINESSES)
    assert "".join(HEAD_WORDS[MEMBERS]) == MEMBERS == "社員法人数"
    # Chapter 3 states a total for exactly these six.
    totals = [c.id.split(".")[1] for c in shipped.checks if c.id.startswith("business.") and c.id.endswith(".total")]
    assert totals == list(BUSINESSES)


def test_two_categories(report: Report) -> None:
    assert CATEGORIES == ("緊密な連携", "緩やかな連携")
    assert CATEGORY_IDS == {"緊密な連携": "close", "緩やかな連携": "loose"}
    assert {c.category for c in report.cases} == set(CATEGORIES)


def test_every_group_label_is_a_group_the_checks_produce(shipped: ValidationReport) -> None:
    assert {c.group for c in shipped.checks} == set(GROUPS)


def test_the_codebook_codes_the_six_businesses(codebook: Codebook) -> None:
    business = [r.label for r in codebook.rules.values() if r.attribute.startswith("business:")]
    assert business == list(BUSINESSES)


def test_a_codebook_business_not_of_the_six_is_refused() -> None:
    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    data["business"]["災害支援業務"] = data["business"].pop("災害時支援業務")
    with pytest.raises(CodebookError) as raised:
        parse_codebook(data, "codebook.yaml")
    message = str(raised.value)
    assert message == ("codebook.yaml: business.災害支援業務: not one of the six 社会福祉連携推進業務 "
                       "(地域福祉支援業務、災害時支援業務、経営支援業務、貸付業務、人材確保等業務、物資等供給業務); "
                       "correct the key")
    assert "\n" not in message


def test_the_vocabulary_imports_no_stage() -> None:
    """casebook/ is the bottom layer: every stage imports it, it imports none of them."""
    tree = ast.parse((ROOT / "casebook" / "vocabulary.py").read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    # The standard library only (dates in Japan time need datetime and zoneinfo), never a stage.
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {"__future__"}


# --- the reader's labels ---------------------------------------------------------------------------

def test_a_figure_carries_at_most_one_qualifier() -> None:
    from casebook.vocabulary import NO_VALUE, qualified

    assert qualified(3) == "3" and qualified(3, inferred=True) == "3（推定）"
    assert qualified(None) == NO_VALUE and qualified("", inferred=True) == NO_VALUE


def test_dates_are_the_day_in_japan_whatever_the_zone_of_the_timestamp() -> None:
    from casebook.vocabulary import reader_date, reader_time

    # 20:05 UTC on 3 December is 05:05 on 4 December in Japan.
    assert reader_date("2026-12-03T20:05:00+00:00") == "2026年12月4日（令和8年）"
    assert reader_time("2026-12-03T20:05:00+00:00") == "2026年12月4日（令和8年）5時05分"
    assert reader_date("2026-12-04T23:59:00+09:00") == "2026年12月4日（令和8年）"
    assert reader_date("not a date") == "not a date"


def test_qa_sentences_become_the_reader_s_words() -> None:
    from casebook.vocabulary import reader_words

    assert reader_words("事例6 ステップ3「何をを行う」") == "事例6 調査項目③「何をを行う」"
    assert reader_words("レビュー済みコーディングの引用（事例1 business:人材確保等業務）") == (
        "本事例集の読み取りの根拠とした引用（事例1 業務「人材確保等業務」）")
    assert reader_words("members") == "社員法人数"


def test_the_glossary_defines_every_label_the_figures_use() -> None:
    from casebook.vocabulary import FROM_CASES, GLOSSARY, INFERRED, NO_VALUE, STATED, YES

    terms = [term for term, _ in GLOSSARY]
    assert YES in terms and NO_VALUE in terms and f"（{INFERRED}）" in terms
    assert STATED in terms and FROM_CASES in terms
    assert any(t.startswith("調査項目") for t in terms) and any(t.startswith("STEP") for t in terms)
