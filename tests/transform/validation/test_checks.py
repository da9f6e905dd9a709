"""Checks on the shipped PDF, and what changes when the report or its records change."""

from __future__ import annotations

import copy
from pathlib import Path

from casebook.errors import ErrorChecksError, OpenFindingsError
from casebook.vocabulary import CATEGORIES
from tests.transform.validation.helpers import edited, paragraph
from transform.records import Report
from transform.validation.coding import Codebook, Reviewed, load_reviewed
from transform.validation.model import ValidationReport
from transform.validation.run import validate


def _statuses(vr: ValidationReport) -> dict[str, str]:
    return {c.id: c.status for c in vr.checks}


def _changed(before: ValidationReport, after: ValidationReport) -> dict[str, tuple[str, str]]:
    old, new = _statuses(before), _statuses(after)
    return {k: (old.get(k, "—"), new.get(k, "—")) for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def test_shipped_pdf_has_no_errors_and_known_findings(shipped: ValidationReport) -> None:
    status = _statuses(shipped)
    assert shipped.summary()["error"] == 0
    assert shipped.blocking() is None
    assert isinstance(shipped.blocking(strict=True), OpenFindingsError)
    assert shipped.blocking(strict=True).exit_code == 1
    for check_id in ("hearing.count", "table3-1.rows", "table3-1.numbers", "table3-1.categories", "category.split",
                     "consistency.hearing-table", "consistency.members-bins", "consistency.area",
                     "members.exclusions", "reviewed.codings", "stated.parsed", "codebook.coverage"):
        assert status[check_id] == "pass", check_id
    assert all(status[f"consistency.business.{b}"] == "pass"
               for b in ("地域福祉支援業務", "災害時支援業務", "経営支援業務", "貸付業務", "人材確保等業務", "物資等供給業務"))


def test_table_names_that_differ_from_the_headings(shipped: ValidationReport) -> None:
    check = shipped.check("table3-1.names")
    assert check.status == "mismatch"
    assert [(r.no, r.note) for r in check.cases] == [
        (19, "名称の表記が異なる（「エ」↔「ェ」）"),
        (29, "法人格の表記が異なる（図表3-1: なし ↔ 見出し: 株式会社）"),
    ]


def test_every_stated_number_has_a_page_and_every_derived_one_its_cases(shipped: ValidationReport) -> None:
    counted = [c for c in shipped.checks if c.group in ("mechanical", "consistency", "coded")]
    assert len(counted) == 6 + 9 + 2 + 2 + 11 + 2 + 18 + 10  # + the trigger and reason sums
    assert all(c.stated is not None and c.stated.page and c.stated.sentence for c in counted)
    for check in shipped.checks:
        if check.group == "coded" and isinstance(check.derived, int) and check.id != "members.counted":
            assert len(check.cases) == check.derived, check.id
            assert all(r.evidence for r in check.cases if r.decision is not None), check.id


def test_bin_count_traces_to_cases_and_quotes(shipped: ValidationReport) -> None:
    check = shipped.check("members.bin.7法人")
    assert (check.status, check.stated.value, check.derived) == ("pass", 1, 1)
    [case] = check.cases
    assert (case.no, case.decision, case.basis) == (7, 7, "reviewed")
    # The reviewer quoted part of a sentence; the evidence is the whole sentence, with its page.
    assert case.evidence[0].quote == ("参画する7法人はいずれも京都府社会福祉法人経営者協議会の会員法人であり、"
                                      "従前から相互に交流や情報共有を行う関係が構築されていた。")
    assert (case.evidence[0].step, case.evidence[0].pages) == (1, [22])


def test_an_edited_hearing_count_flips_exactly_its_checks(
    report: Report, codebook: Codebook, reviewed: Reviewed, shipped: ValidationReport
) -> None:
    after = validate(edited(report, "29件をヒアリング対象", "30件をヒアリング対象"), codebook, reviewed)
    assert _changed(shipped, after) == {
        "hearing.count": ("pass", "mismatch"),
        "consistency.hearing-table": ("pass", "mismatch"),
    }
    assert after.check("hearing.count").message == "記載 30 に対し、事例からは 29"


def test_an_edited_bin_flips_exactly_its_checks(
    report: Report, codebook: Codebook, reviewed: Reviewed, shipped: ValidationReport
) -> None:
    after = validate(edited(report, "7法人1件", "7法人2件"), codebook, reviewed)
    assert _changed(shipped, after) == {
        "members.bin.7法人": ("pass", "mismatch"),
        "consistency.members-bins": ("pass", "mismatch"),
    }


def test_an_edited_business_split_breaks_the_sum(
    report: Report, codebook: Codebook, reviewed: Reviewed, shipped: ValidationReport
) -> None:
    after = validate(edited(report, "緩やかな連携（計2件）", "緩やかな連携（計3件）"), codebook, reviewed)
    assert _changed(shipped, after) == {
        "business.災害時支援業務.loose": ("pass", "mismatch"),
        "consistency.business.災害時支援業務": ("pass", "mismatch"),
    }


def test_dropping_a_case_fails_the_count_checks(
    report: Report, codebook: Codebook, reviewed: Reviewed, shipped: ValidationReport
) -> None:
    copied = copy.deepcopy(report)
    copied.cases = [c for c in copied.cases if c.no != 7]
    after = validate(copied, codebook, reviewed)
    changed = _changed(shipped, after)
    for check_id in ("hearing.count", "table3-1.rows", "table3-1.numbers", "consistency.members-bins",
                     "consistency.area", "members.bin.7法人"):
        assert changed[check_id] == ("pass", "mismatch"), check_id
    assert changed["records.numbering"] == ("pass", "error")
    assert after.check("table3-1.numbers").message == "図表3-1にあって事例にない: 事例7"
    assert isinstance(after.blocking(), ErrorChecksError) and after.blocking().exit_code == 2


def test_a_fabricated_review_quote_is_an_error(report: Report, codebook: Codebook, tmp_path: Path) -> None:
    path = tmp_path / "reviewed.yaml"
    path.write_text(
        "cases:\n- case: 7\n  name: 社会福祉連携推進法人きょうと福祉キャリアサポート\n  codings:\n"
        "    business:貸付業務: {value: true, quote: 参画法人に運転資金を貸し付けている。}\n",
        encoding="utf-8",
    )
    vr = validate(report, codebook, load_reviewed(path))
    check = vr.check("reviewed.codings")
    assert check.status == "error"
    assert [(r.no, r.decision, r.note, r.evidence[0].quote) for r in check.cases] == [
        (7, "business:貸付業務", "引用が事例の本文にありません", "参画法人に運転資金を貸し付けている。")
    ]
    assert isinstance(vr.blocking(), ErrorChecksError)


def _with_added_case(report: Report) -> Report:
    """A new edition: a 30th case (a copy of 事例7 under a new name), listed in 図表3-1, with the
    hearing count and the 7法人 bin updated — and every other statement left as it was."""
    copied = edited(report, "29件をヒアリング対象", "30件をヒアリング対象")
    bins = paragraph(copied, "7法人1件")
    bins.text = bins.text.replace("7法人1件", "7法人2件")
    new = copy.deepcopy(next(c for c in copied.cases if c.no == 7))
    new.no, new.name = 30, "社会福祉連携推進法人みらい福祉サポート"
    copied.cases.append(new)
    table = copied.table("3-1")
    table.rows.append([f"{CATEGORIES[0]}\n(社会福祉連携推進法人)", "事例30", new.name])
    return copied


def test_an_added_case_is_counted_and_only_stale_statements_mismatch(
    report: Report, codebook: Codebook, reviewed: Reviewed, shipped: ValidationReport
) -> None:
    after = validate(_with_added_case(report), codebook, reviewed)
    assert after.check("hearing.count").status == "pass"
    assert after.check("hearing.count").derived == 30
    assert after.check("members.bin.7法人").status == "pass"
    assert [(r.no, r.basis) for r in after.check("members.bin.7法人").cases] == [(7, "reviewed"), (30, "auto")]
    # the area split was not updated for the new case: that statement, and only it, no longer adds up
    assert _changed(shipped, after) == {"consistency.area": ("pass", "mismatch")}
    bins = {c.id: c.status for c in after.checks if c.id.startswith("members.bin.")}
    assert {k for k, v in bins.items() if v == "mismatch"} == {
        "members.bin.2法人", "members.bin.3法人", "members.bin.5法人", "members.bin.6法人", "members.bin.11～20法人"
    }


def test_reviews_survive_a_renumbering(report: Report, codebook: Codebook, reviewed: Reviewed) -> None:
    copied = copy.deepcopy(report)
    new = copy.deepcopy(next(c for c in copied.cases if c.no == 19))
    new.name = "新しい福祉ネットワーク"
    for case in copied.cases:
        if case.no >= 19:
            case.no += 1
    copied.cases.insert(18, new)
    vr = validate(copied, codebook, reviewed)
    assert vr.check("reviewed.codings").status == "pass"
    assert vr.value(20, "members") == 9  # アソウェルプラス, reviewed, now 事例20
    assert next(c for c in vr.codings if c.case == 20 and c.attribute == "members").basis == "reviewed"
    assert next(c for c in vr.codings if c.case == 19 and c.attribute == "members").basis == "auto"
