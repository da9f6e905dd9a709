"""付録A tells readers the truth about the report's errors: one an erratum corrected says so, and a
corrected typo is not listed as left as printed."""

from __future__ import annotations

from render.appendix import appendix
from tests.paths import PROJECT_ROOT
from transform.corrections import apply_corrections, load_corrections
from transform.records import Report
from transform.validation.run import validate_report

EDITORIAL = PROJECT_ROOT / "editorial"


def test_errors_the_errata_corrected_are_said_corrected(report: Report) -> None:
    fixed, applied = apply_corrections(report, load_corrections(EDITORIAL / "corrections.yaml"))
    vr = validate_report(fixed, EDITORIAL / "codebook.yaml", EDITORIAL / "reviewed_codings.yaml",
                         proofreading=EDITORIAL / "proofreading.yaml", original=report)
    text = appendix(vr, fixed, applied)
    assert len(text.defects) == 7
    assert all(d.endswith("本事例集は付録Bのとおり訂正して掲載しています。") for d in text.defects)
    assert text.proofreading == []  # every typo the proofreading found is corrected (付録B)
    assert text.errata.startswith(f"報告書の誤字・誤記など{len(applied)}件は、付録Bのとおり訂正して")
