"""`casebook extract` as users run it: the console script, its files and the cases.json contract."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The console script `pip install -e .` puts beside this interpreter (PATH may not include it).
CASEBOOK = Path(sys.executable).parent / "casebook"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("extract")
    result = subprocess.run([str(CASEBOOK), "extract", "--out", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"29 cases, 598 items, 4 tables, 67 citations → {out} (10 files)"
    return out


def test_files_written(extracted: Path) -> None:
    names = sorted(str(p.relative_to(extracted)) for p in extracted.rglob("*") if p.is_file())
    assert names == [
        "cases.json", "chapter3.json", "citations.json", "items.csv", "outline.json", "report.json",
        "tables/2-2.csv", "tables/3-1.csv", "tables/3-2.csv", "tables/4-2.csv",
    ]


def test_cases_json_contract(extracted: Path) -> None:
    cases = json.loads((extracted / "cases.json").read_text(encoding="utf-8"))
    case = cases[10]
    assert {k: case[k] for k in ("no", "name", "region", "prefectures", "category", "pages")} == {
        "no": 11, "name": "社会福祉連携推進法人はあとライン", "region": "山口県・滋賀県",
        "prefectures": ["山口県", "滋賀県"], "category": "緊密な連携", "pages": [28, 29],
    }
    step = case["steps"][0]
    assert (step["step"], step["label"], step["pages"]) == (1, "①連携の契機と課題の共有", [28])
    section = step["sections"][0]
    assert section["heading"] == "地域課題の深刻化と緩やかな連携での限界"
    assert set(section["items"][0]) == {"text", "pages", "children"}
    assert step["notes"] == []


def test_items_csv_one_row_per_item(extracted: Path) -> None:
    with (extracted / "items.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 598
    assert list(rows[0]) == ["case", "step", "section", "level", "order", "text", "pages"]
    third = [r for r in rows if r["level"] == "3"]
    assert [r["text"] for r in third][:1] == [
        "具体的には、公益的取り組みや地域貢献活動について、小規模事業所では単独での実施が困難であることから、法人が集まり共同で実施すること、さらに、法人間で実施可能な取り組みについて検討することとしている。"
    ]
    assert third[0]["case"] == "21" and third[0]["pages"] == "44"


def test_table_csv_and_chapter3_json(extracted: Path) -> None:
    with (extracted / "tables" / "3-1.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["分類", "#", "ヒアリング先"] and len(rows) == 30
    chapter3 = json.loads((extracted / "chapter3.json").read_text(encoding="utf-8"))
    area = next(s for s in chapter3 if s["title"] == "協働化のエリア")
    assert area["path"] == "3.3.(2)" and area["paragraphs"][0]["pages"] == [59]


def test_rerun_replaces_files_in_place(extracted: Path, tmp_path: Path) -> None:
    shutil.copytree(extracted, tmp_path / "out")
    subprocess.run([str(CASEBOOK), "extract", "--out", str(tmp_path / "out"), "--quiet"], check=True)
    assert not list((tmp_path / "out").glob(".staging-*"))
    assert (tmp_path / "out" / "cases.json").read_bytes() == (extracted / "cases.json").read_bytes()


def test_bad_table_settings_fail_in_one_line(tmp_path: Path) -> None:
    settings = tmp_path / "tables.yaml"
    settings.write_text("column_gap: 0.8\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [str(CASEBOOK), "extract", "--out", str(out), "--table-settings", str(settings)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"casebook extract: error: {settings}: bad table settings: unknown table settings ['column_gap']")
    assert not out.exists()
