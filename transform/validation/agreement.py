"""Agreement of the auto-coder with the reviewer: percent agreement and Cohen's κ.

κ = (p_o − p_e) / (1 − p_e), where p_o is the observed agreement and p_e the agreement expected
by chance from each coder's own value frequencies. κ is undefined (None) when p_e = 1, i.e. both
coders gave every case the same single value.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

from transform.validation.model import Agreement, Coding


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's κ of two codings of the same items (values compared as categories)."""
    if len(first) != len(second):
        raise ValueError("both codings must cover the same items")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[v] * counts_b[v] for v in counts_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(attribute: str, pairs: Sequence[tuple[Hashable, Hashable]]) -> Agreement:
    """Percent agreement and κ over (auto, reviewed) value pairs of one attribute."""
    auto = [a for a, _ in pairs]
    reviewed = [r for _, r in pairs]
    n = len(pairs)
    percent = 100.0 * sum(a == r for a, r in pairs) / n if n else 0.0
    kappa = cohen_kappa(auto, reviewed)
    return Agreement(attribute, n, round(percent, 1), None if kappa is None else round(kappa, 3))


def agreements(codings: list[Coding], attributes: list[str]) -> list[Agreement]:
    """Agreement per attribute, over the cases a reviewer decided."""
    out = []
    for attribute in attributes:
        reviewed = [c for c in codings if c.attribute == attribute and c.basis == "reviewed"]
        out.append(agreement(attribute, [(c.auto_value, c.value) for c in reviewed]))
    return out
