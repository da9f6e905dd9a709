"""validation.json against its schema; validation.html for QA."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml

from transform.records import Report
from transform.validation.model import ValidationReport
from transform.validation.output import TEMPLATES, validation_files

SCHEMA = yaml.safe_load((TEMPLATES.parent / "schema.yaml").read_text(encoding="utf-8"))


def test_json_follows_the_documented_schema(shipped: ValidationReport, report: Report) -> None:
    data = json.loads(validation_files(shipped, report)["validation.json"])
    jsonschema.validate(data, SCHEMA)
    assert data["summary"] == shipped.summary()
    bin3 = next(c for c in data["checks"] if c["id"] == "members.bin.3法人")
    assert (bin3["stated"]["value"], bin3["stated"]["page"]) == (8, 58)
    assert bin3["cases"][0]["evidence"][0]["step"] is not None


def test_html_puts_the_summary_first_and_links_evidence_to_case_steps(
    shipped: ValidationReport, report: Report
) -> None:
    html = validation_files(shipped, report, casebook_base="../html/")["validation.html"].decode("utf-8")
    summary = shipped.summary()
    assert html.index("概要") < html.index("確認が必要なチェック") < html.index('id="check-hearing.count"')
    assert f"<strong>{summary['mismatch']}</strong>不一致（要確認）" in html
    assert '<a href="../html/case-11.html#step-4">（④協働活動の実行）</a>' in html
    assert "ライフサポート山野" in html and "アソウエルプラス" in html


def test_html_escapes_report_text(shipped: ValidationReport, report: Report) -> None:
    html = validation_files(shipped, report)["validation.html"].decode("utf-8")
    assert "ジョイント&amp;リップル" in html
    assert not re.search(r"ジョイント&リップル", html)
