"""validation.json against its documented schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from transform.validation.model import ValidationReport
from transform.validation.output import validation_json

SCHEMA = yaml.safe_load(
    (Path(__file__).parents[3] / "transform" / "validation" / "schema.yaml").read_text(encoding="utf-8")
)


def test_json_follows_the_documented_schema(shipped: ValidationReport) -> None:
    data = json.loads(validation_json(shipped))
    jsonschema.validate(data, SCHEMA)
    assert data["summary"] == shipped.summary()
    bin3 = next(c for c in data["checks"] if c["id"] == "members.bin.3法人")
    assert (bin3["stated"]["value"], bin3["stated"]["page"]) == (8, 58)
    assert bin3["cases"][0]["evidence"][0]["step"] is not None
    assert (bin3["cause"], bin3["severity"], bin3["review"]["state"]) == ("not-evidenced", "low", "open")
    assert len(bin3["fingerprint"]) == 16


def test_corrected_reopened_and_grouped_findings_follow_the_schema(report) -> None:
    """The parts a plain validation has none of: errata (訂正済み), a reopened decision's previous
    values, a reported decision's addressee, facets."""
    from tests.paths import PROJECT_ROOT
    from transform.corrections import Correction, apply_corrections
    from transform.validation.review import Decision, apply_decisions
    from transform.validation.run import validate_report

    editorial = PROJECT_ROOT / "editorial"
    fix = Correction(None, None, "(社会福祉法人十日町福祉会【新潟県】)",
                     "(一般社団法人妻有地域メディカル&ケアネットワーク【新潟県】)", "出典の取り違え", section="4.2.(3)")
    fixed, _ = apply_corrections(report, [fix])
    vr = validate_report(fixed, editorial / "codebook.yaml", editorial / "reviewed_codings.yaml",
                         proofreading=editorial / "proofreading.yaml", original=report)
    apply_decisions(vr, [Decision("area.single", "accepted", "QA", "2026-12-01", "", "0" * 16, 22, 26),
                         Decision("area.multiple", "reported", "QA", "2026-12-01", "照会", "x", 6, 3, "発行元")])
    data = json.loads(validation_json(vr))
    jsonschema.validate(data, SCHEMA)
    checks = {c["id"]: c for c in data["checks"]}
    assert checks["area.single"]["review"]["previous"] == {"stated": 22, "derived": 26}
    assert (checks["area.multiple"]["review"]["state"], checks["area.multiple"]["review"]["to"]) == ("reopened", "発行元")
    assert checks["citation.4.2.(3).9"]["errata"]["corrections"][0]["location"] == "第4章 4.2.(3)"
    assert checks["citation.4.2.(3).9"]["review"]["state"] == "corrected"
    assert [f["id"] for f in checks["citation.4.1.(4).3"]["facets"]] == ["proofreading.section-4.1.(4).社会福社"]
    assert data["summary"]["reopened"] == 2 and data["summary"]["corrected"] == 1


def test_the_schema_names_the_states_and_decisions_of_states_py() -> None:
    from render.validation import OPEN_SECTIONS
    from transform.validation.states import DECISIONS, OPEN_STATES, STATES

    review = SCHEMA["$defs"]["review"]["properties"]
    assert review["state"]["enum"] == list(STATES)
    assert review["decision"]["enum"] == [*DECISIONS, None]
    assert set(OPEN_SECTIONS) == OPEN_STATES
