"""How well each case's text supports a passage (a Chapter 4 quote or paraphrase).

Chapter 4 section 1 quotes its cases; section 2 mostly paraphrases them, so characters alone
cannot tell a fair summary from a citation of the wrong case. Support is measured on meaning and
on characters together: tf-idf cosine similarity over content words in their normalized form
(SudachiPy, `transform.text.content_words`) and over character bigrams (the baseline), each
against the whole case and against its best-matching step, averaged. IDF comes from the cases
themselves, so words every case uses (連携, 法人) weigh little and a case's own words weigh most.

Measured on the shipped PDF (bench/citations.py): the named case ranks first for 67 of 67
citations, and the best case beats the second by ×1.13 at the least and ×1.4 or more for 66.

Speed: a build validates twice — the corrected records, and the records as extracted to tell what
each correction moved — and the two differ in a few passages only. A text's content words
(SudachiPy, the costly part) are kept per text for the process (`words`), so the second
validation tokenizes only what the errata changed; the cosines run over the vectors in C
(`map`), in the same order as a loop would add them, so the scores do not change by a bit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import mul

from transform.records import Case, Step
from transform.text import char_bigrams, content_words
from transform.validation.coding import step_texts

Vector = dict[str, float]
Features = Callable[[str], list[str]]



@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(content_words(text))


def words(text: str) -> list[str]:
    """`content_words`, kept per text for the process (see the module doc)."""
    return list(_words(text))


FEATURES: dict[str, Features] = {"words": words, "chars": char_bigrams}


@dataclass(frozen=True)
class Support:
    """Support of one passage by every case: score per case (0–1), best first."""

    scores: dict[int, float]

    def ranking(self) -> list[tuple[int, float]]:
        return sorted(self.scores.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def best(self) -> int | None:
        ranked = self.ranking()
        return ranked[0][0] if ranked else None

    def of(self, case: int | None) -> float:
        return self.scores.get(case, 0.0) if case is not None else 0.0

    def ratio(self, case: int, other: int) -> float:
        """How many times better `case` supports the passage than `other` does."""
        return self.of(case) / max(self.of(other), 1e-9)


class _Space:
    """tf-idf vectors of one feature kind over the cases and their steps."""

    def __init__(self, features: Features, cases: list[Case]) -> None:
        self.features = features
        counts = {c.no: Counter(features(case_text(c))) for c in cases}
        df = Counter(term for bag in counts.values() for term in bag)
        n = len(counts)
        self.idf = {term: math.log((n + 1) / (d + 1)) + 1 for term, d in df.items()}
        self.unseen = math.log(n + 1) + 1
        self.cases = {no: self.vector(bag) for no, bag in counts.items()}
        self.steps = {
            c.no: [self.vector(Counter(features(step_text(s)))) for s in c.steps] for c in cases
        }

    def vector(self, bag: Counter[str]) -> Vector:
        weights = {t: (1 + math.log(k)) * self.idf.get(t, self.unseen) for t, k in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {t: w / norm for t, w in weights.items()}

    def scores(self, text: str) -> dict[int, float]:
        query = self.vector(Counter(self.features(text)))
        out = {}
        for no, whole in self.cases.items():
            best_step = max((_cosine(query, v) for v in self.steps[no]), default=0.0)
            out[no] = (_cosine(query, whole) + best_step) / 2
        return out


class SupportIndex:
    """Built once per validation from the cases; `support(text)` scores a passage."""

    def __init__(self, cases: list[Case], features: dict[str, Features] | None = None) -> None:
        self.spaces = [_Space(f, cases) for f in (features or FEATURES).values()]

    def support(self, text: str) -> Support:
        per_space = [space.scores(text) for space in self.spaces]
        cases = per_space[0].keys() if per_space else []
        return Support({no: round(sum(s[no] for s in per_space) / len(per_space), 4) for no in cases})


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    # sum(w * b.get(t, 0.0) for t, w in a.items()), the products in the same order, in C
    return sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))


def step_text(step: Step) -> str:
    """Everything a step row says: sub-headings, items at any depth, notes."""
    return "\n".join(step_texts(step))


def case_text(case: Case) -> str:
    return "\n".join(step_text(s) for s in case.steps)
