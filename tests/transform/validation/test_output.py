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
    assert (bin3["cause"], bin3["severity"], bin3["review"]["state"]) == ("coding-doubt", "medium", "open")
    assert len(bin3["fingerprint"]) == 16
