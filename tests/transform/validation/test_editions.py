"""Validation on an updated edition printed by Chromium, through the CLI as QA runs it:

- a case added (事例30), the hearing count and one area count updated, the member-count bins left
  stale, and six 【参考となる事例】 credited to the wrong case — three verbatim quotes of 4.1 and
  three paraphrases of 4.2, each moved to the case most similar to the true one in content;
- QA accepted every finding of the shipped PDF (`casebook review --accept-all`; the report's own
  defects are corrected by the shipped errata), so `validate --strict` passes there, and fails on
  the edition with exactly the findings whose values changed or that newly fail open — every wrong
  credit among them, naming the true case; each reopened one carries the values it was decided on,
  and the terminal, the page and the CSV count new and reopened alike.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import pytest

from flows.cli import main
from tests.editions.attribution import Swap, credit, plan_swaps
from tests.editions.report import report_edition
from transform.records import Case, Report
from transform.validation.model import counts_text
from transform.validation.review import fingerprint_of, stable_value

pytestmark = pytest.mark.browser

EDITS = {"29件をヒアリング対象": "30件をヒアリング対象",
         "同一都道府県内の法人間の連携23件": "同一都道府県内の法人間の連携24件"}


@pytest.fixture(scope="module")
def swaps(report: Report) -> list[Swap]:
    verbatim = [i for i, c in enumerate(report.citations) if c.section_path.startswith("4.1")][:3]
    paraphrased = [i for i, c in enumerate(report.citations) if c.section_path.startswith("4.2")][::7][:3]
    return plan_swaps(report, verbatim + paraphrased)


@pytest.fixture(scope="module")
def edition(report: Report, swaps: list[Swap], tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra: Case = copy.deepcopy(report.cases[-1])
    extra.no, extra.name = 30, "株式会社ライフサポート水戸"
    by_no = {c.no: c for c in report.cases}
    edits = dict(EDITS)
    for swap in swaps:
        citation = report.citations[swap.index]
        edits[citation.raw.lstrip("• ")] = credit(citation, by_no[swap.wrong]).raw.lstrip("• ")
    pdf = tmp_path_factory.mktemp("updated") / "updated-edition.pdf"
    return report_edition(report, pdf, producer="chromium", extra_case=extra, edits=edits)


@pytest.fixture
def shipped_records(monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    """`casebook validate` without a PDF argument reads the session's records of the shipped PDF
    instead of extracting it again; a named PDF is extracted for real."""
    import flows.progress

    real = flows.progress.ProgressStages.extract
    monkeypatch.setattr(flows.progress.ProgressStages, "extract",
                        lambda self, pdf, settings: report if Path(pdf).name == report.source
                        else real(self, pdf, settings))


def _validate(pdf: Path | None, out: Path, review: Path, *extra: str) -> tuple[int, dict]:
    args = ["validate", *([str(pdf)] if pdf else []), "--out", str(out), "--review", str(review), "--quiet"]
    code = main([*args, *extra])
    return code, json.loads((out / "validation.json").read_text(encoding="utf-8"))


def _csv_states(out: Path) -> list[str]:
    text = (out / "validation-findings.csv").read_text(encoding="utf-8-sig")
    return [row["状態"] for row in csv.DictReader(io.StringIO(text))]


def _findings(data: dict) -> dict[str, dict]:
    return {c["id"]: c for c in data["checks"] if c["status"] != "pass"}


def test_decisions_hold_on_the_shipped_pdf_and_reopen_what_the_edition_changed(
    edition: Path, swaps: list[Swap], tmp_path: Path, shipped_records: None, capsys: pytest.CaptureFixture[str]
) -> None:
    review = tmp_path / "review.yaml"
    review.write_text("decisions: []\n", encoding="utf-8")  # a new decision file: nothing decided yet
    code, before = _validate(None, tmp_path / "shipped", review, "--strict")
    assert code == 1  # nothing decided yet
    assert main(["review", "--accept-all", "--by", "QA", "--note", "初回レビュー",
                 "--validation", str(tmp_path / "shipped" / "validation.json"), "--review", str(review)]) == 0
    assert _validate(None, tmp_path / "shipped-again", review, "--strict")[0] == 0

    capsys.readouterr()
    code, after = _validate(edition, tmp_path / "edition", review, "--strict")
    assert code == 1
    line = capsys.readouterr().out
    old, new = _findings(before), _findings(after)
    changed = {cid for cid, c in new.items()
               if cid not in old or fingerprint_of((old[cid]["stated"] or {}).get("value"), old[cid]["derived"])
               != fingerprint_of((c["stated"] or {}).get("value"), c["derived"])}
    still_open = {cid for cid, c in new.items() if c["review"]["state"] in ("open", "reopened")}
    assert still_open == changed
    assert {"consistency.members-bins", "area.single"} <= still_open  # the stale bins; 24 vs 27 now
    assert "hearing.count" not in new  # 30 stated, 30 cases

    ids = [c["id"] for c in before["checks"] if c["group"] == "citations"]
    wrong = {c["id"]: c for c in after["checks"] if c["cause"] == "misattributed"}
    assert set(wrong) == {ids[s.index] for s in swaps}  # every wrong credit, and no fair citation
    for swap in swaps:
        check = wrong[ids[swap.index]]
        assert (check["severity"], check["derived"]["supported_by"]) == ("high", swap.true)
        assert check["review"]["state"] in ("open", "reopened")

    # Every reopened finding says what it was decided on; new and reopened are counted apart, the
    # same on the terminal, on the page and in the CSV.
    reopened = {cid: c for cid, c in new.items() if c["review"]["state"] == "reopened"}
    assert reopened and len(reopened) < len(still_open)
    for cid, c in reopened.items():
        previous = c["review"]["previous"]
        assert previous == {"stated": (old[cid]["stated"] or {}).get("value"),
                            "derived": stable_value(old[cid]["derived"])}, cid
    s = after["summary"]
    assert (s["reopened"], s["new"]) == (len(reopened), len(still_open) - len(reopened))
    assert line.startswith(counts_text(s))
    html = (tmp_path / "edition" / "validation.html").read_text(encoding="utf-8")
    assert f'<span id="count-reopened">{s["reopened"]}</span>' in html
    assert f'<span id="count-new">{s["new"]}</span>' in html
    states = _csv_states(tmp_path / "edition")
    assert (states.count("再オープン"), states.count("未判断")) == (s["reopened"], s["new"])
