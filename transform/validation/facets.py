"""One defect, one finding: findings that are facets of the same printed error are grouped.

A typo in a citation's credit (「社会福社連携推進法人…」) fails the citation check — its name
differs from the case heading — and is a proofreading hit as well. Both say the same thing about
the same printed characters: the proofreading hit becomes a facet of the citation finding, shown
and decided with it, and is no finding of its own.

A proofreading hit is a facet of a finding when its text lies inside what that finding reports as
differing (a citation's organisation or region) and both are printed in the same place (the same
section of the report).
"""

from __future__ import annotations

from transform.text import compact
from transform.validation.model import Check

# Citation flags that say which part of the credit differs from the case heading.
NAME_FLAGS = frozenset({"name-form", "name-variant", "name-mentioned", "name-unknown", "unclosed"})
REGION_FLAGS = frozenset({"region"})


def group_facets(checks: list[Check]) -> list[Check]:
    """The checks with every proofreading finding that is a facet of another finding moved into
    that finding's `facets` (order otherwise kept)."""
    hosts = [c for c in checks if c.is_finding and c.group != "proofreading"]
    out = []
    for check in checks:
        host = _host(check, hosts) if check.group == "proofreading" and check.is_finding else None
        if host is None:
            out.append(check)
        else:
            host.facets.append(check)
    return out


def _host(hit: Check, hosts: list[Check]) -> Check | None:
    typo = compact(str(hit.stated.value)) if hit.stated else ""
    place = _place(hit)
    if not typo or place is None:
        return None
    for host in hosts:
        if _section(host) == place and any(typo in compact(text) for text in differing(host)):
            return host
    return None


def differing(check: Check) -> list[str]:
    """The printed texts a finding reports as differing from the cases."""
    value = check.stated.value if check.stated else None
    if check.group == "citations" and isinstance(value, dict):
        texts = []
        if NAME_FLAGS & set(check.flags):
            texts.append(str(value.get("organisation") or ""))
        if REGION_FLAGS & set(check.flags):
            texts.append(str(value.get("region") or ""))
        return texts
    return []


def place_of(check: Check) -> str | None:
    """Where the text a finding is about is printed, as 「section 4.1.(3)」 or 「case 6 step 3」, read
    from its stable id (「citation.<path>.<k>」, 「proofreading.<section-<path>|case-N.step-M>.<text>」);
    None for a finding about counts."""
    if check.group == "citations" and check.id.startswith("citation."):
        return "section " + check.id[len("citation."):].rsplit(".", 1)[0]
    text = str(check.stated.value) if check.stated else ""
    if check.group != "proofreading" or not check.id.startswith("proofreading.") \
            or not check.id.endswith("." + text):
        return None
    key = check.id[len("proofreading."): -len(text) - 1]
    if key.startswith("section-"):
        return "section " + key[len("section-"):]
    case, _, step = key.partition(".")
    return f"{case.replace('-', ' ')} {step.replace('-', ' ')}" if case.startswith("case-") else None


def _place(hit: Check) -> str | None:
    place = place_of(hit)
    return place if place is not None and place.startswith("section ") else None


def _section(check: Check) -> str | None:
    return place_of(check) if check.group == "citations" else None
