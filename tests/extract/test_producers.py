"""The same report written by another PDF producer extracts to the same records.

`pdftocairo -pdf` (poppler, installed by make setup) rewrites the shipped report through cairo:
the same pages drawn by another program, with its own font subsets, content streams and metrics.
Its CJK fonts declare a descent of about -1.05 em, which hung every glyph box below its baseline
and moved the last line of each table row into the next row.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from extract.layout import _descent
from flows.pipeline import extract_pdf
from transform.export import report_to_dict
from transform.records import Report


@pytest.fixture(scope="module")
def cairo_edition(source_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pdftocairo") is None:
        pytest.fail("pdftocairo is missing: run `make setup` (Debian poppler-utils)")
    out = tmp_path_factory.mktemp("cairo") / "cairo.pdf"
    subprocess.run(["pdftocairo", "-pdf", str(source_pdf), str(out)], check=True, capture_output=True)
    return out


def test_a_cairo_rewritten_report_gives_the_same_records(cairo_edition: Path, report: Report) -> None:
    again = report_to_dict(extract_pdf(cairo_edition, workers=2))
    original = report_to_dict(report)
    for part in ("cases", "tables", "outline", "citations", "page_labels"):
        assert again[part] == original[part], part
    first = again["cases"][0]["steps"][0]["sections"][1]["items"][1]  # a row's last line
    assert first["text"] == ("社会福祉連携推進法人制度の施行を受け、新たな制度を活用して連携体制を構築することが、"
                             "課題解決に向けた一つの好機であると判断した。")


@pytest.mark.parametrize(("declared", "used"), [(-1.048, -0.12), (0.3, -0.12), (-0.12, -0.12), (0.0, 0.0),
                                                (-0.5, -0.5), (-0.21, -0.21)])
def test_a_font_descent_outside_type_s_range_is_taken_as_the_ideographic_em_box_s(
    declared: float, used: float
) -> None:
    assert _descent(SimpleNamespace(get_descent=lambda: declared)) == used
