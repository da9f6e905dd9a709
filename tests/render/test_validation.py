"""validation.html as a triage page and its CSV: order, counts, evidence, decided findings folded,
method notes, no Python reprs — read from the page's HTML."""

from __future__ import annotations

import copy
import csv
import io
import re

import pytest

from render.validation import CSV_NAME, validation_files
from transform.records import Report
from transform.validation.model import ValidationReport
from transform.validation.review import apply_decisions, decide, findings_of

HIGH = ["table3-1.names", "citation.4.1.(3).1", "citation.4.1.(4).3", "citation.4.1.(7).1",
        "citation.4.2.(2).13", "citation.4.2.(3).6", "citation.4.2.(3).9"]


@pytest.fixture(scope="module")
def triaged(shipped: ValidationReport) -> ValidationReport:
    """The shipped validation with two decisions: area.single accepted, area.multiple waived."""
    vr = copy.deepcopy(shipped)
    done = decide(findings_of(vr), [], by="品質 花子", note="ヒアリング記録で確認", check_ids=["area.single"],
                  at="2026-12-01T09:00:00+00:00")
    done = decide(findings_of(vr), done.decisions, by="品質 花子", note="", decision="waived",
                  check_ids=["area.multiple"], at="2026-12-01T09:00:00+00:00")
    apply_decisions(vr, done.decisions)
    return vr


@pytest.fixture(scope="module")
def files(triaged: ValidationReport, report: Report) -> dict[str, bytes]:
    return validation_files(triaged, report, casebook_base="html/")


@pytest.fixture(scope="module")
def html(files: dict[str, bytes]) -> str:
    return files["validation.html"].decode("utf-8")


def _order(html: str) -> list[str]:
    return re.findall(r'<article class="finding [^"]*" id="check-([^"]+)"', html)


def test_open_high_findings_come_first_and_decided_ones_are_folded(html: str, triaged: ValidationReport) -> None:
    order = _order(html)
    assert sorted(order[:7]) == sorted(h.replace("(", "_").replace(")", "_") for h in HIGH)
    decided = html[html.index('<details id="decided"'):]
    assert _order(decided) == ["area.single", "area.multiple"]
    severities = re.findall(r'data-severity="(\w+)"', html[: html.index('<details id="decided"')])
    assert severities == sorted(severities, key=["high", "medium", "low"].index)


def test_counts_at_the_top(html: str, triaged: ValidationReport) -> None:
    s = triaged.summary()
    assert (s["high"], s["decided"]) == (7, 2)
    head = html[: html.index('id="findings"')]
    for key, label in (("high", "要対応"), ("medium", "要確認"), ("low", "参考"), ("decided", "判断済み")):
        assert f'<strong id="count-{key}">{s[key]}</strong>{label}' in head


def test_a_finding_shows_evidence_page_method_note_and_action(html: str) -> None:
    trigger = html[html.index('id="check-trigger.既存会議体_イベント等での接点"'):]
    trigger = trigger[: trigger.index("</article>")]
    assert ("報告書の注記：3.3 ヒアリング調査結果のまとめ（見出し）／【既存の人的・組織的关系性を基盤として協働化に発展した事例】"
            "／※以下、重複カウント有。ヒアリング結果から集計。") in trigger
    assert "数え方の違い" in trigger and "対応案：" in trigger
    citation = html[html.index('id="check-citation.4.1._7_.1"'):]
    citation = citation[: citation.index("</article>")]
    assert "地域が事例見出しと異なる（【山口県】↔【山口県・滋賀県】）" in citation
    assert '<a href="html/case-11.html#step-6">（⑥改善と深化・p.26（PDF 29））</a>' in citation  # step and printed page
    decided = html[html.index('id="check-area.single"'):]
    assert "判断：問題なし（品質 花子、2026-12-01T09:00:00+00:00）— ヒアリング記録で確認" in decided


def test_no_python_reprs_or_english_status_words(html: str) -> None:
    text = re.sub(r"<[^>]+>", " ", html[: html.index("<script>")])
    for leak in ("None", "True", "False", "{'", "['", "mismatch", "reviewed 2"):
        assert leak not in text, leak


def test_csv_lists_every_finding_worst_first(files: dict[str, bytes], triaged: ValidationReport) -> None:
    rows = list(csv.reader(io.StringIO(files[CSV_NAME].decode("utf-8-sig"))))
    assert rows[0][:4] == ["重要度", "原因", "状態", "チェックID"]
    assert len(rows) - 1 == len(triaged.findings())
    assert [r[0] for r in rows[1:8]] == ["要対応"] * 7
    assert rows[-1][2] in ("問題なし", "対象外")


def test_report_text_is_escaped(html: str) -> None:
    assert "ジョイント&amp;リップル" in html
    assert not re.search(r"ジョイント&リップル", html)


def test_a_punctuation_finding_shows_the_source_as_printed(html: str) -> None:
    card = html[html.index('id="check-citation.4.1._4_.3"'):]
    card = card[: card.index("</article>")]
    assert "出典の括弧が閉じていない" in card
    # The credit as printed: its opening 「(」 and no closing 「)」.
    assert "印刷どおりの原文：・「こども誰でも通園制度」への対応として、" in card
    assert card.split("印刷どおりの原文：")[1].split("</div>")[0].endswith("(社会福社連携推進法人あたらしい保育イニシアチブ【和歌山県】")


def _card(html: str, check_id: str) -> str:
    card = html[html.index(f'id="check-{check_id}"'):]
    return card[: card.index("</article>")]


def test_a_reopened_card_and_row_show_old_and_new_and_that_the_decision_lapsed(
    shipped: ValidationReport, report: Report
) -> None:
    from transform.validation.review import Decision

    vr = copy.deepcopy(shipped)
    apply_decisions(vr, [Decision("members.bin.3法人", "accepted", "QA", "2026-12-01", "確認済み", "0" * 16, 7, 5)])
    files = validation_files(vr, report)
    html = files["validation.html"].decode("utf-8")
    card = _card(html, "members.bin.3法人")
    assert "判断（問題なし）は次の値に対するもので、値が変わったため無効です。" in card
    assert "<th scope=\"row\">報告書の記載</th><td>7</td><td>8</td>" in card
    assert "<th scope=\"row\">事例からの値</th><td>5</td><td>6</td>" in card
    assert html.index('id="open-reopened"') < html.index('id="open-open"')
    rows = {r["チェックID"]: r for r in csv.DictReader(io.StringIO(files[CSV_NAME].decode("utf-8-sig")))}
    row = rows["members.bin.3法人"]
    assert (row["状態"], row["報告書の記載"], row["事例からの値"], row["判断"]) == (
        "再オープン", "7 → 8", "5 → 6", "問題なし（値が変わったため無効）")


def test_a_corrected_card_names_its_erratum_and_a_grouped_one_its_facets(report: Report) -> None:
    from tests.paths import PROJECT_ROOT
    from transform.corrections import apply_corrections, load_corrections
    from transform.validation.run import validate_report

    editorial = PROJECT_ROOT / "editorial"
    fixed, _ = apply_corrections(report, load_corrections(editorial / "corrections.yaml"))
    vr = validate_report(fixed, editorial / "codebook.yaml", editorial / "reviewed_codings.yaml",
                         proofreading=editorial / "proofreading.yaml", original=report)
    files = validation_files(vr, fixed)
    card = _card(files["validation.html"].decode("utf-8"), "citation.4.1._4_.3")
    assert "<strong>訂正済み</strong>：正誤表の訂正により解消" in card
    assert ("第4章 4.1.(4)（p.60（PDF 63））:「(社会福社連携推進法人あたらしい保育イニシアチブ【和歌山県】」→"
            "「(社会福祉連携推進法人あたらしい保育イニシアチブ【和歌山県】)」") in card
    assert "同じ誤りの所見（あわせて判断されます）" in card and "proofreading.section-4.1.(4).社会福社" in card
    rows = {r["チェックID"]: r for r in csv.DictReader(io.StringIO(files[CSV_NAME].decode("utf-8-sig")))}
    assert rows["citation.4.1.(4).3"]["状態"] == "訂正済み"
    assert rows["citation.4.1.(4).3"]["同じ誤りの所見"].startswith("proofreading.section-4.1.(4).社会福社: ")
    assert "社会福社" not in "".join(r["チェックID"] for r in rows.values() if r["チェックID"] != "citation.4.1.(4).3")
