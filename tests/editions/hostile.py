"""Hostile text for the editions: the sample cases with items that markup, templates and quotes
would break, long enough that lines wrap between two Latin characters.

Chromium drops the space glyph where it wraps a line at a space, so `{% raw %}` printed across a
wrap comes back as 「{% raw」 + 「%}」: the extractor has to restore the space (a wrap between two
Latin characters is a space, one next to a Japanese character is nothing). Repeating each
phrase many times in a cell makes such wraps certain on any paper.
"""

from __future__ import annotations

import copy

from transform.records import Case, Item, Section

from .sample import SAMPLE_CASES

RAW = "{% raw %}"
QUOTES = "\"引用\" 'single'"
SCRIPT = "<script>alert(1)</script>"

# No space between a Latin and a Japanese character: such a space is a typesetting gap where a
# line wraps (rule 4 of transform/text.py), so the expected text would depend on the wrap.
HOSTILE_ITEMS = (
    "テンプレートの" + " ".join([RAW, "{{ value }}", "{% endraw %}"] * 6) + "はそのまま表示する。",
    "引用符は" + " ".join([QUOTES] * 10) + "のように書く。",
    f"{SCRIPT}と<b>太字</b> & &amp;の表記、Latin words wrap at spaces: alpha beta gamma delta "
    "epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi "
    "psi omega.",
    "双方にメリットのある" + " ".join(["Win-Win"] * 12) + "の関係を築く。",
)
HOSTILE_HEADING = f"見出しの{RAW}と{QUOTES}"
HOSTILE_NOTE = f"(※)注記の{SCRIPT}と{QUOTES}"


def hostile_cases() -> list[Case]:
    """The sample cases; the first one's step ① gets a section of hostile items and a note."""
    cases = copy.deepcopy(SAMPLE_CASES)
    step = cases[0].steps[0]
    step.sections.append(Section(HOSTILE_HEADING, [Item(t, [0], []) for t in HOSTILE_ITEMS], [0]))
    step.notes.append(HOSTILE_NOTE)
    return cases
