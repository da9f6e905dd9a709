"""Evidence a reviewer can cite: whole sentences of the case, with the pages they are printed on."""

from __future__ import annotations

from transform.records import Case, Item, Section, Step
from transform.text import sentences
from transform.validation.evidence import cite, sentence_at, units
from transform.validation.model import Evidence, ValidationReport


def _every_evidence(vr: ValidationReport) -> list[tuple[str, int, Evidence]]:
    out = [(c.id, r.no, e) for c in vr.checks for r in (*c.cases, *c.others) for e in r.evidence]
    return out + [(f"coding.{c.attribute}", c.case, e) for c in vr.codings for e in c.evidence]


def test_every_evidence_sentence_has_its_pages(shipped: ValidationReport) -> None:
    evidence = _every_evidence(shipped)
    assert len(evidence) == 687
    assert [(where, no) for where, no, e in evidence if not e.pages] == []


def test_every_excerpt_is_whole_sentences_of_its_case(shipped: ValidationReport, cases: dict[int, Case]) -> None:
    """Each piece of a quote (pieces joined by 「…」) is a run of consecutive sentences of the
    case's headings, items and notes — never cut inside a sentence."""
    cut = []
    for where, no, e in _every_evidence(shipped):
        if not e.quote or e.quote.startswith("【"):  # the heading's region (area codings)
            continue
        every = [u for step in cases[no].steps for u in units(step)]
        # Runs over all the case's texts, and over its items alone (what citations align with).
        orders = [[s for u in texts for s in sentences(u.text)] for texts in (every, [u for u in every if u.kind == "item"])]
        for piece in e.quote.split("…"):
            runs = {"".join(said[i:j]) for said in orders for i in range(len(said))
                    for j in range(i + 1, min(i + 6, len(said)) + 1) if piece.startswith(said[i])}
            if piece not in runs:
                cut.append((where, no, piece))
    assert cut == []


def test_a_fuzzy_alignment_is_widened_to_the_sentences_it_covers(shipped: ValidationReport) -> None:
    power = shipped.check("citation.4.1.(3).1").cases[0].evidence[1]
    assert (power.quote, power.pages) == (
        "例えば、電力会社との大口割引交渉により、コロナ前には年間約1,500万円の割引効果が得られた。", [51])
    incorporated = shipped.check("citation.4.2.(3).6").cases[0].evidence[1]
    assert (incorporated.quote, incorporated.step, incorporated.pages) == (
        "令和3年4月に一般社団法人化した。現在は福智町内の社会福祉法人25法人が参画している。", 3, [50])


def test_table_rows_are_cited_on_the_page_they_are_printed_on(shipped: ValidationReport) -> None:
    names = shipped.check("table3-1.names")
    assert names.stated.page == 10  # 事例19's row, the first that differs (PDF 10 = p.7)
    assert names.stated.sentence == ("図表3-1 ヒアリング対象先一覧（29行、p.7–8（PDF 10–11）） — "
                                     "事例19の行: p.7（PDF 10）、事例29の行: p.8（PDF 11）")


def _case() -> Case:
    step = Step(2, "②連携先の検討", [20, 21], [
        Section("見出しA", [Item("第一の文である。第二の文は長く、ページをまたぐ。", [20, 21]),
                           Item("第三の文。", [21])], [20, 21]),
    ], ["※注記の文。"])
    return Case(1, "テスト法人", "東京都", ["東京都"], "緊密な連携", [19, 20, 21], [step])


def test_cite_widens_a_partial_quote_and_joins_distant_sentences_with_an_ellipsis() -> None:
    case = _case()
    assert cite(case, Evidence("第二の文は長く", 2)) == Evidence("第二の文は長く、ページをまたぐ。", 2, None, [20, 21])
    assert cite(case, Evidence("第一の文…第三", None)) == Evidence("第一の文である。…第三の文。", 2, None, [20, 21])
    assert cite(case, Evidence("注記", 2)).pages == [20, 21]  # a note: its step's pages
    # An alignment (score below 100) keeps the sentences it covers at least half of.
    assert cite(case, Evidence("る。第二の文は長く、ページをまたぐ。第", 2, 70.0)).quote == "第二の文は長く、ページをまたぐ。"
    # Not in the case: the text stays, with the step's pages (or the heading's page).
    assert cite(case, Evidence("【東京都】")) == Evidence("【東京都】", None, None, [19])


def test_sentence_at_gives_the_whole_sentence_around_an_offset() -> None:
    text = "第一の文である。第二の文は「長く。」続く。"
    assert sentence_at(text, 10) == "第二の文は「長く。」続く。"
    assert sentence_at(text, 2, 12) == text
