"""Small measurements shared by the cell and body-text readers."""

from __future__ import annotations


def right_edge(x1s: list[float]) -> float:
    """Where full lines end: a high percentile, so one overhanging line does not move it."""
    if not x1s:
        return 0.0
    ordered = sorted(x1s)
    if len(ordered) < 5:
        return ordered[-1]
    return ordered[int(0.8 * (len(ordered) - 1))]
