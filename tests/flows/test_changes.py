"""The change report against the previous build, without Prefect."""

from __future__ import annotations

import copy
import html as htmllib
import json
import re
from pathlib import Path

import pytest

from casebook.vocabulary import STATUS
from flows.changes import change_files, changes_markdown, char_diff, compare
from flows.files import write_files
from render.validation import validation_files
from tests.paths import PROJECT_ROOT
from transform.export import report_files
from transform.records import AppliedCorrection, Report
from transform.validation.model import ValidationReport
from transform.validation.output import validation_json
from transform.validation.run import validate_report

PREV = "20260101T000000Z-9f35a2c1f093"


def _text(html: str) -> str:
    """What a reader sees of changes.html: the text without tags, styles or the build's id."""
    body = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return htmllib.unescape(body).replace(PREV, " ")


def assert_japanese_only(html: str) -> None:
    """No English words and no Python reprs (None, quotes of dicts/lists) in what a reader sees."""
    text = re.sub(r"PDF版|Word版", "", _text(html))  # the publication bar names the file formats
    assert not re.search(r"[A-Za-z]{3,}", text), re.findall(r"[A-Za-z]{3,}", text)
    assert not re.search(r"[\[\]{}']", text), text


@pytest.fixture(scope="module")
def checked(report: Report) -> ValidationReport:
    editorial = PROJECT_ROOT / "editorial"
    return validate_report(report, editorial / "codebook.yaml", editorial / "reviewed_codings.yaml")


@pytest.fixture(scope="module")
def validation(checked: ValidationReport) -> dict:
    """validation.json data, as the flow compares it."""
    return json.loads(validation_json(checked))


@pytest.fixture
def previous(tmp_path: Path, report: Report, checked: ValidationReport) -> Path:
    build = tmp_path / "builds" / PREV
    write_files(build, report_files(report) | validation_files(checked, report))
    return build


def test_no_previous_build(report: Report, validation: dict) -> None:
    changes = compare(None, report, validation, [])
    assert changes.summary() == "初めて公開するビルドです（比較する前回のビルドはありません）"
    assert_japanese_only(change_files(changes)["changes.html"].decode("utf-8"))


def test_unchanged(previous: Path, report: Report, validation: dict) -> None:
    changes = compare(previous, report, validation, [])
    assert changes.empty and changes.summary() == f"前回のビルド {PREV} から変更なし"
    assert changes.status_before == changes.status_after == validation["summary"]


def test_changed_item_named_by_case_and_step_with_a_diff(
    previous: Path, report: Report, validation: dict
) -> None:
    new = copy.deepcopy(report)
    item = new.cases[10].steps[3].sections[0].items[0]
    old_text = item.text
    item.text = "改訂後の文。"
    changes = compare(previous, new, validation, [AppliedCorrection(11, 4, old_text, "改訂後の文。", "誤記")])
    (case,) = changes.cases_changed
    assert (case.no, [s.step for s in case.steps], case.fields) == (11, [4], [])
    assert f"-・{old_text}" in case.steps[0].diff and "+・改訂後の文。" in case.steps[0].diff
    assert changes.summary().endswith("事例の追加 0・削除 0・変更 1（ステップ 1）、チェックの変化 0、移動した指摘 0")
    files = change_files(changes)
    html = files["changes.html"].decode("utf-8")
    assert "事例11" in html and "改訂後の文。" in html and "誤記" in html
    assert_japanese_only(html)
    assert json.loads(files["changes.json"])["cases_changed"][0]["steps"][0]["step"] == 4
    markdown = changes_markdown(changes)
    assert "## 事例11" in markdown and "+・改訂後の文。" in markdown and "誤記" in markdown


def test_changed_item_has_a_character_level_diff(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    item = new.cases[0].steps[1].sections[0].items[0]
    old_text = item.text
    item.text = old_text[:4] + "必ず" + old_text[6:]
    (case,) = compare(previous, new, validation, []).cases_changed
    (edit,) = case.steps[0].edits
    assert (edit.kind, edit.before, edit.after) == ("changed", f"・{old_text}", f"・{item.text}")
    assert [(s.op, s.text) for s in edit.segments if s.op != "same"] == [("del", old_text[4:6]), ("ins", "必ず")]
    html = change_files(compare(previous, new, validation, []))["changes.html"].decode("utf-8")
    assert f"<del>{old_text[4:6]}</del><ins>必ず</ins>" in html
    assert "~~" + old_text[4:6] + "~~**必ず**" in changes_markdown(compare(previous, new, validation, []))


def test_char_diff_of_an_inserted_word() -> None:
    assert [(s.op, s.text) for s in char_diff("研修会を定期的で開催", "研修会を定期的に開催")] == [
        ("same", "研修会を定期的"), ("del", "で"), ("ins", "に"), ("same", "開催")]


def test_html_escapes_extracted_text(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    new.cases[0].steps[0].sections[0].items[0].text = "<script>alert(1)</script>"
    html = change_files(compare(previous, new, validation, []))["changes.html"].decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_removed_step_is_listed(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    new.cases[4].steps = new.cases[4].steps[:-1]
    (case,) = compare(previous, new, validation, []).cases_changed
    assert [s.step for s in case.steps] == [6] and all(line.startswith(("-", "@", "---", "+++")) for line in case.steps[0].diff)


def test_added_and_removed_cases(previous: Path, report: Report, validation: dict) -> None:
    new = copy.deepcopy(report)
    extra = copy.deepcopy(new.cases[-1])
    extra.no = 30
    new.cases = [*new.cases[1:], extra]
    changes = compare(previous, new, validation, [])
    assert [(c.no, c.name, c.pages) for c in changes.cases_added] == [(30, extra.name, extra.pages)]
    assert [(c.no, c.name) for c in changes.cases_removed] == [(1, report.cases[0].name)]
    html = change_files(changes)["changes.html"].decode("utf-8")
    first, last = extra.pages[0], extra.pages[-1]
    pages = f"p.{first}" if first == last else f"p.{first}–{last}"
    assert f"追加: 事例30 {extra.name}（{pages}）" in html
    assert f"削除: 事例1 {report.cases[0].name}（前回 p.{report.cases[0].pages[0]}" in html
    assert f"事例30 {extra.name}（{pages}）" in changes_markdown(changes)
    assert_japanese_only(html)


def test_changed_check_is_listed(previous: Path, report: Report, validation: dict) -> None:
    changed = copy.deepcopy(validation)
    check = next(c for c in changed["checks"] if c["status"] == "pass" and isinstance(c["derived"], int))
    derived = check["derived"]
    check["status"] = "error"
    check["derived"] = 999
    changes = compare(previous, report, changed, [])
    assert [c.id for c in changes.checks_changed] == [check["id"]]
    assert changes.checks_changed[0].after == {**changes.checks_changed[0].before, "status": check["status"], "derived": 999}
    html = change_files(changes)["changes.html"].decode("utf-8")
    assert f"事例本文からの集計: {derived} → 999" in html and f"判定: 一致 → {STATUS['error']}" in html
    assert_japanese_only(html)


def test_changed_counts_old_to_new(previous: Path, report: Report, validation: dict) -> None:
    changed = copy.deepcopy(validation)
    s = validation["summary"]
    changed["summary"] = {**s, "pass": s["pass"] - 1, "mismatch": s["mismatch"] + 1, "high": s["high"] + 1}
    html = change_files(compare(previous, report, changed, []))["changes.html"].decode("utf-8")
    assert f"要対応 {s['high']} → {s['high'] + 1}、要確認 {s['medium']} → {s['medium']}" in html
    assert f"一致 {s['pass']} → {s['pass'] - 1}、エラー（公開不可） 0 → 0" in html


def test_moved_finding_is_listed(previous: Path, report: Report, validation: dict) -> None:
    moved = copy.deepcopy(validation)
    check = next(c for c in moved["checks"] if c["status"] == "mismatch" and c["stated"] and c["cases"])
    page = check["stated"]["page"]
    check["stated"]["page"] = page + 1
    changes = compare(previous, report, moved, [])
    assert changes.checks_changed == [] and [m.id for m in changes.findings_moved] == [check["id"]]
    html = change_files(changes)["changes.html"].decode("utf-8")
    assert f"{check['title']}（不一致）: 記載のページ {page} → {page + 1}" in html
    assert_japanese_only(html)


def test_a_correction_absorbed_from_word_shows_its_reviser_and_date(report: Report, validation: dict) -> None:
    absorbed = AppliedCorrection(3, 1, "意識を抱いていた", "意識を持っていた", "表記を原稿に合わせる", by="校正者A",
                                 date="2026-12-04", note="casebook.docx の変更履歴から取り込み")
    changes = compare(None, report, validation, [absorbed])
    page = change_files(changes)["changes.html"].decode("utf-8")
    assert ('<td data-label="理由">表記を原稿に合わせる<br>修正：校正者A、2026年12月4日（令和8年）<br>'
            "casebook.docx の変更履歴から取り込み</td>") in page
    assert ("- 事例3 調査項目① : 「意識を抱いていた」→「意識を持っていた」（表記を原稿に合わせる、"
            "修正：校正者A、2026年12月4日（令和8年））") in \
        changes_markdown(changes)
    assert json.loads(change_files(changes)["changes.json"])["corrections"][0]["by"] == "校正者A"
