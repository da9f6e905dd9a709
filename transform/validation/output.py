"""validation.json, the stable contract read by QA tools, the renderers and the flow.

validation.html (the QA triage page) is rendered with every other page, in `render/validation.py`.
"""

from __future__ import annotations

import json

from transform.validation.model import ValidationReport


def validation_json(vr: ValidationReport) -> bytes:
    """The stable JSON form (schema.yaml describes it)."""
    return (json.dumps(vr.to_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
