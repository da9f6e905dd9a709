"""Errata reach every field a finding compares: a finding of the report as printed that an erratum
resolves stays, closed as 訂正済み with the erratum; what an erratum changed is recorded on the
checks it changed and explained on the erratum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.paths import PROJECT_ROOT
from transform.corrections import Correction, apply_corrections, load_corrections
from transform.records import Report
from transform.validation.errata import explain_corrections
from transform.validation.model import ValidationReport
from transform.validation.run import validate_report

EDITORIAL = PROJECT_ROOT / "editorial"
CODEBOOK, REVIEWED = EDITORIAL / "codebook.yaml", EDITORIAL / "reviewed_codings.yaml"
PATTERNS = EDITORIAL / "proofreading.yaml"


def _validated(report: Report, corrections: list[Correction]) -> tuple[Report, ValidationReport]:
    fixed, _ = apply_corrections(report, corrections)
    return fixed, validate_report(fixed, CODEBOOK, REVIEWED, proofreading=PATTERNS, original=report)


@pytest.fixture(scope="module")
def shipped_errata(report: Report) -> ValidationReport:
    return _validated(report, load_corrections(EDITORIAL / "corrections.yaml"))[1]


def _mentioning(vr: ValidationReport, text: str) -> list[str]:
    data = json.loads(json.dumps(vr.to_dict(), ensure_ascii=False))
    return [c["id"] for c in data["checks"] if c["status"] != "pass" and text in json.dumps(c, ensure_ascii=False)]


def test_the_shipped_errata_close_the_seven_defects_of_the_report_as_corrected(shipped_errata: ValidationReport) -> None:
    locations = {c.id: [e.location for e in c.errata.corrections] for c in shipped_errata.checks if c.corrected}
    assert {k: v for k, v in locations.items() if not k.startswith("proofreading.")} == {
        "table3-1.names": ["図表3-1", "図表3-1"],
        "citation.4.1.(3).1": ["第4章 4.1.(3)"],
        "citation.4.1.(4).3": ["第4章 4.1.(4)"],
        "citation.4.1.(7).1": ["第4章 4.1.(7)"],
        "citation.4.2.(2).13": ["第4章 4.2.(2)"],
        "citation.4.2.(3).6": ["第4章 4.2.(3)"],
        "citation.4.2.(3).9": ["第4章 4.2.(3)"],
    }
    for check_id in locations:
        check = shipped_errata.check(check_id)
        assert (check.review.state, check.is_open, check.status) == ("corrected", False, "mismatch")
    福智町 = shipped_errata.check("citation.4.1.(3).1")
    assert 福智町.stated.value["organisation"] == "社会福祉法人福智町社会福祉連携協議会"  # as printed
    assert 福智町.errata.after.status == "pass"
    assert 福智町.errata.corrections[0].new == "(一般社団法人福智町社会福祉連携協議会【福岡県】)"
    summary = shipped_errata.summary()
    assert (summary["high"], summary["corrected"]) == (0, 17)
    assert summary["medium"] <= 5


def test_one_defect_is_one_finding(shipped_errata: ValidationReport) -> None:
    """社会福社 is a citation's typo and a proofreading hit: one finding, corrected by one erratum."""
    assert _mentioning(shipped_errata, "社会福社") == ["citation.4.1.(4).3"]
    check = shipped_errata.check("citation.4.1.(4).3")
    assert [f.id for f in check.facets] == ["proofreading.section-4.1.(4).社会福社"]
    assert shipped_errata.check("proofreading.section-4.1.(4).社会福社") is check


def test_the_suggested_typo_erratum_reaches_the_citation(report: Report) -> None:
    """Pasting the proofreading's suggested erratum corrects the credit too: the citation no longer
    shows 社会福社 — only its missing bracket is left to fix."""
    suggested = Correction(None, None, "社会福社", "社会福祉", "「祉」の誤字（示偏）", section="4.1.(4)")
    _, vr = _validated(report, [suggested])
    check = vr.check("citation.4.1.(4).3")
    assert check.stated.value["organisation"] == "社会福祉連携推進法人あたらしい保育イニシアチブ"
    assert (check.flags, check.severity, check.review.state, check.facets) == (["unclosed"], "high", "open", [])
    assert check.errata.before.stated["organisation"] == "社会福社連携推進法人あたらしい保育イニシアチブ"
    assert [e.location for e in check.errata.corrections] == ["第4章 4.1.(4)"]
    assert vr.check("proofreading.section-4.1.(4).社会福社") is None


def test_a_heading_erratum_resolves_the_citations_that_compare_with_it(report: Report) -> None:
    _, vr = _validated(report, [Correction(11, None, "山口県・滋賀県", "山口県", "地域")])
    check = vr.check("citation.4.1.(7).1")
    assert check.corrected and [e.location for e in check.errata.corrections] == ["事例11 地域"]


def test_a_corrected_statement_moves_its_counts_and_the_erratum_says_so(report: Report) -> None:
    """A Chapter 3 sentence corrected: the area count it states passes (corrected), the sum it feeds
    now fails (a finding the erratum made, with its values before), and the erratum lists both."""
    fix = Correction(None, None, "同一都道府県内の法人間の連携23件", "同一都道府県内の法人間の連携26件", "数字の誤り",
                     section="3.3.(2)")
    fixed, vr = _validated(report, [fix])
    single, total = vr.check("area.single"), vr.check("consistency.area")
    assert single.corrected and (single.stated.value, single.errata.after.stated) == (23, 26)
    assert (total.status, total.review.state, total.errata.before.status) == ("mismatch", "open", "pass")
    explained = explain_corrections(fixed, fixed.corrections, vr, REVIEWED)
    assert explained[0].moved == ["協働化のエリア別件数の合計＝事例数（報告書の記載）: 29 → 32",
                                  "協働化のエリア：同一都道府県内（報告書の記載）: 23 → 26"]


def test_a_typo_corrected_away_stays_as_a_corrected_finding_in_check_order(shipped_errata: ValidationReport) -> None:
    ids = [c.id for c in shipped_errata.checks]
    gone = "proofreading.case-6.step-3.「何をを行う"
    assert shipped_errata.check(gone).corrected and shipped_errata.check(gone).errata.after is None
    assert ids.index(gone) > max(i for i, c in enumerate(ids) if c.startswith("citation."))


def test_without_the_original_nothing_is_marked(report: Report) -> None:
    fixed, _ = apply_corrections(report, load_corrections(EDITORIAL / "corrections.yaml"))
    vr = validate_report(fixed, CODEBOOK, REVIEWED)
    assert not [c for c in vr.checks if c.errata] and vr.summary()["corrected"] == 0
    assert vr.check("citation.4.1.(3).1").status == "pass"


def test_explained_without_reviewed_codings(report: Report, tmp_path: Path) -> None:
    fixed, vr = _validated(report, load_corrections(EDITORIAL / "corrections.yaml"))
    explained = explain_corrections(fixed, fixed.corrections, vr, None)
    assert [e.updated for e in explained][:2] == [[], []]
