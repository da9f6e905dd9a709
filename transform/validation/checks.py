"""Every check of Chapter 3's statements against the cases, each returned as a `Check`.

Groups, in report order:
- integrity: can the inputs be trusted at all (statements parsed, case numbering, codebook
  covers every stated label, every reviewed quote is in its case) — failures are errors;
- mechanical: counts taken straight from the records (cases, 図表3-1 rows and names);
- consistency: the report's own numbers against each other (parts add up to totals);
- coded: counts of coded attributes (reviewed decision where there is one, else auto-coding).
Checks compare and describe; they never raise for a disagreement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casebook.vocabulary import CATEGORIES, CATEGORY_IDS, show
from transform.records import Case
from transform.text import compact
from transform.validation.citations import describe_difference, split_corporate_form
from transform.validation.coding import Codebook, ReviewProblem
from transform.validation.model import CaseRef, Check, Coding, Evidence, Stated
from transform.validation.stated import StatedBin, StatedBusiness, StatedCounts, StatedItem

NOT_FOUND = "報告書に該当する記載が見つからない（報告書の書式が変わったか、読み取りの不具合）"


@dataclass
class Inputs:
    """What the checks read: the statements, the cases and the final codings by case."""

    stated: StatedCounts
    cases: list[Case]
    codings: dict[int, dict[str, Coding]]
    codebook: Codebook

    @classmethod
    def build(
        cls, stated: StatedCounts, cases: list[Case], codings: list[Coding], codebook: Codebook
    ) -> Inputs:
        """Index the codings by case and attribute."""
        by_case: dict[int, dict[str, Coding]] = {}
        for coding in codings:
            by_case.setdefault(coding.case, {})[coding.attribute] = coding
        return cls(stated, cases, by_case, codebook)

    def coding(self, case: Case, attribute: str) -> Coding | None:
        """The final coding of one attribute of one case."""
        return self.codings.get(case.no, {}).get(attribute)

    @property
    def excluded(self) -> set[int]:
        """Numbers of the cases the report excludes from the member-count bins."""
        return {c.no for c in self.stated.excluded}


def _check(
    check_id: str, title: str, group: str, stated: Stated | None, derived: object, basis: str,
    cases: list[CaseRef] | None = None, message: str = "", related: list[Stated] | None = None,
    flags: list[str] | None = None,
) -> Check:
    """Stated vs derived; a missing statement is an error (there is nothing to compare with).
    `flags` name what a disagreement would mean (read by the triage rules); a pass drops them."""
    if stated is None:
        status, message = "error", message or NOT_FOUND
    elif stated.value == derived:
        status = "pass"
    else:
        status = "mismatch"
        message = message or f"記載 {show(stated.value)} に対し、事例からは {show(derived)}"
    check = Check(check_id, title, group, status, stated, derived, basis, message, cases or [], related or [])
    check.flags = list(flags or []) if status != "pass" else []
    return check


def _ref(case: Case, decision: object, coding: Coding | None = None, note: str = "") -> CaseRef:
    if coding is None:
        return CaseRef(case.no, decision, "mechanical", [], case.name, note)
    return CaseRef(case.no, decision, coding.basis, list(coding.evidence), case.name, note or coding.note)


def _basis(codings: list[Coding | None]) -> str:
    reviewed = sum(1 for c in codings if c is not None and c.basis == "reviewed")
    auto = sum(1 for c in codings if c is not None and c.basis == "auto")
    return f"reviewed {reviewed}, auto {auto}"


def _cases_list(numbers: list[int] | set[int]) -> str:
    return "、".join(f"事例{n}" for n in sorted(numbers))


# ---------------------------------------------------------------------------------------------
# integrity


def integrity_checks(inputs: Inputs, problems: list[ReviewProblem]) -> list[Check]:
    """Errors that make the other checks meaningless until fixed."""
    return [_parsed(inputs.stated), _numbering(inputs.cases), _coverage(inputs), _reviewed(problems)]


def _integrity(check_id: str, title: str, failed: bool, derived: object, message: str,
               cases: list[CaseRef] | None = None) -> Check:
    status = "error" if failed else "pass"
    return Check(check_id, title, "integrity", status, None, derived, "mechanical", message, cases or [])


def _parsed(stated: StatedCounts) -> Check:
    missing = stated.missing
    message = ("見つからない記載: " + "、".join(missing)) if missing else "第3章の記載をすべて読み取った"
    return _integrity("stated.parsed", "第3章の記載の読み取り", bool(missing), {"missing": missing}, message)


def _numbering(cases: list[Case]) -> Check:
    numbers = [c.no for c in cases]
    ok = sorted(numbers) == list(range(1, len(cases) + 1))
    message = "事例番号は1から連番" if ok else f"事例番号が連番でない・重複がある: {numbers}"
    return _integrity("records.numbering", "事例番号の連続性", not ok, numbers, message)


def _coverage(inputs: Inputs) -> Check:
    labels = [("business", b.name) for b in inputs.stated.businesses]
    labels += [(kind, item.label) for kind, item in _stated_items(inputs.stated)]
    missing = [f"{kind}:{label}" for kind, label in labels if inputs.codebook.find(kind, label) is None]
    message = "記載の全項目に規則がある"
    if missing:
        message = "コードブックに規則がない項目: " + "、".join(missing)
    title = "コードブックが記載の全項目を定義しているか"
    return _integrity("codebook.coverage", title, bool(missing), {"missing": missing}, message)


def _reviewed(problems: list[ReviewProblem]) -> Check:
    refs = [
        CaseRef(p.case, p.attribute, "reviewed", [Evidence(p.quote)] if p.quote else [], p.name, p.message)
        for p in problems
    ]
    message = (
        f"使えないレビュー判断が{len(problems)}件（引用が本文にない等）"
        if problems
        else "すべての引用が事例の本文にある"
    )
    title = "レビュー済みコーディングの根拠（引用が事例の本文にあるか）"
    return _integrity("reviewed.codings", title, bool(problems), len(problems), message, refs)


def _stated_items(stated: StatedCounts) -> list[tuple[str, StatedItem]]:
    return [("trigger", t) for t in stated.triggers] + [("reason", r) for r in stated.reasons]


# ---------------------------------------------------------------------------------------------
# mechanical


def mechanical_checks(inputs: Inputs) -> list[Check]:
    """Case counts and 図表3-1 rows against the case headings."""
    stated, cases = inputs.stated, inputs.cases
    all_cases = [_ref(c, c.name) for c in cases]
    rows = _table_stated(stated, len(stated.table_rows))
    return [
        _check("hearing.count", "ヒアリング件数と事例数", "mechanical", stated.hearing, len(cases),
               "mechanical", all_cases, flags=["case-count"]),
        _check("table3-1.rows", "図表3-1の行数と事例数", "mechanical", rows, len(cases),
               "mechanical", all_cases, flags=["case-count"]),
        *_table_row_checks(stated, cases),
        _category_split(stated, cases),
    ]


def _table_stated(stated: StatedCounts, value: object) -> Stated | None:
    table = stated.table
    return Stated(value, table.page, table.sentence, table.label) if table else None


def _table_row_checks(stated: StatedCounts, cases: list[Case]) -> list[Check]:
    rows = {r.no: r for r in stated.table_rows}
    by_no = {c.no: c for c in cases}
    numbers = _check("table3-1.numbers", "図表3-1の事例番号と事例見出しの番号", "mechanical",
                     _table_stated(stated, sorted(rows)), sorted(by_no), "mechanical",
                     message=_number_message(set(rows), set(by_no)), flags=["table-differs"])
    both = sorted(set(rows) & set(by_no))
    names = _row_check(
        "table3-1.names", "図表3-1のヒアリング先名と事例見出しの名称", stated,
        [(by_no[no], rows[no].name, by_no[no].name) for no in both
         if compact(rows[no].name) != compact(by_no[no].name)],
        "名称が異なる行", _name_note,
    )
    categories = _row_check(
        "table3-1.categories", "図表3-1の分類と事例見出しの分類", stated,
        [(by_no[no], rows[no].category, by_no[no].category) for no in both
         if rows[no].category != by_no[no].category],
        "分類が異なる行", lambda _a, _b: "",
    )
    return [numbers, names, categories]


def _number_message(rows: set[int], cases: set[int]) -> str:
    parts = []
    if rows - cases:
        parts.append("図表3-1にあって事例にない: " + _cases_list(rows - cases))
    if cases - rows:
        parts.append("事例にあって図表3-1にない: " + _cases_list(cases - rows))
    return "／".join(parts)


def _name_note(table_name: str, heading: str) -> str:
    table_form, table_core = split_corporate_form(table_name)
    form, core = split_corporate_form(heading)
    if table_core == core:
        return f"法人格の表記が異なる（図表3-1: {table_form or 'なし'} ↔ 見出し: {form or 'なし'}）"
    return f"名称の表記が異なる（{describe_difference(table_name, heading)}）"


def _row_check(
    check_id: str, title: str, stated: StatedCounts, differing: list[tuple[Case, object, object]],
    what: str, note: Callable[[str, str], str],
) -> Check:
    """図表3-1 row by row against the case headings: stated and derived hold the rows that differ
    (both empty when all agree), and those rows are the cases."""
    table = {f"事例{case.no}": printed for case, printed, _ in differing}
    headings = {f"事例{case.no}": heading for case, _, heading in differing}
    if stated.table is None:
        return _check(check_id, title, "mechanical", None, headings, "mechanical")
    refs = [_ref(case, {"図表3-1": printed, "事例見出し": heading}, note=note(str(printed), str(heading)))
            for case, printed, heading in differing]
    message = f"{what}: " + "、".join(f"事例{r.no}（{r.note}）" if r.note else f"事例{r.no}" for r in refs)
    return Check(check_id, title, "mechanical", "mismatch" if refs else "pass",
                 _rows_stated(stated, table, [r.no for r in refs]), headings, "mechanical",
                 message if refs else "", refs, flags=["table-differs"] if refs else [])


def _rows_stated(stated: StatedCounts, value: object, rows: list[int]) -> Stated | None:
    """図表3-1 as stated for some of its rows: the page of the first and each row's page in the
    sentence (「事例29の行: p.8」), so that a reviewer finds the row, not just the table."""
    table = _table_stated(stated, value)
    placed = [(no, stated.table_row_pages[no]) for no in rows if no in stated.table_row_pages]
    if table is None or not placed:
        return table
    where = "、".join(f"事例{no}の行: {ref}" for no, (_page, ref) in placed)
    return Stated(value, placed[0][1][0], f"{table.sentence} — {where}", table.label)


def _category_split(stated: StatedCounts, cases: list[Case]) -> Check:
    printed = {cat: sum(1 for r in stated.table_rows if r.category == cat) for cat in CATEGORIES}
    derived = {cat: sum(1 for c in cases if c.category == cat) for cat in CATEGORIES}
    return _check("category.split", "分類別の事例数（図表3-1と事例見出し）", "mechanical",
                  _table_stated(stated, printed), derived, "mechanical", [_ref(c, c.category) for c in cases],
                  flags=["table-differs"])


# ---------------------------------------------------------------------------------------------
# consistency


def consistency_checks(inputs: Inputs) -> list[Check]:
    """The report's numbers against each other: parts add up to totals."""
    stated = inputs.stated
    rows = _table_stated(stated, len(stated.table_rows))
    hearing = _check("consistency.hearing-table", "ヒアリング件数＝図表3-1の行数", "consistency",
                     stated.hearing, rows.value if rows else None, "stated", related=[rows] if rows else [],
                     flags=["sum-contradiction"])
    checks = [hearing, _bins_sum(inputs), _area_sum(inputs), *(_business_sum(b) for b in stated.businesses)]
    checks += [_group_sum(inputs, kind) for kind in ("trigger", "reason")]
    return checks


GROUP_WORDS = {"trigger": "きっかけ", "reason": "理由"}


def _group_sum(inputs: Inputs, kind: str) -> Check:
    """The listed counts of one group (triggers or reasons) against the number of cases: a sum
    above it is expected where the report notes double counting or lists only the main items."""
    items = [item for k, item in _stated_items(inputs.stated) if k == kind]
    word = GROUP_WORDS[kind]
    title = f"{word}の件数の合計と事例数"
    summed = None
    if items:
        head = items[0].count
        notes = list(dict.fromkeys(n for item in items for n in item.count.notes))
        summed = Stated(sum(i.count.value for i in items), head.page, head.sentence, f"{word}の合計", notes)
    n = len(inputs.cases)
    message = ""
    if summed is not None and summed.value != n:
        parts = "＋".join(str(i.count.value) for i in items)
        message = f"{word}の件数の合計 {parts} ＝ {summed.value} 件は事例数 {n} 件と異なる"
    return _check(f"consistency.{kind}-sum", title, "consistency", summed, n, "stated",
                  message=message, related=[i.count for i in items], flags=["group-sum"])


def _bins_stated(stated: StatedCounts) -> Stated | None:
    """The bins' sum, located at the sentence that lists them."""
    if not stated.bins:
        return None
    head = stated.bins[0].count
    total = sum(b.count.value for b in stated.bins)
    return Stated(total, head.page, head.sentence, "区分の合計", list(head.notes))


def _bins_sum(inputs: Inputs) -> Check:
    stated = inputs.stated
    summed = _bins_stated(stated)
    derived = len(inputs.cases) - len(stated.excluded)
    related = [b.count for b in stated.bins] + ([stated.exclusions] if stated.exclusions else [])
    message = ""
    if summed is not None and summed.value != derived:
        message = (f"区分の合計 {summed.value} 件に対し、事例数 {len(inputs.cases)} − "
                   f"除く事例 {len(stated.excluded)} = {derived}")
    return _check("consistency.members-bins", "社員法人数の区分の合計＝事例数−区分から除く事例",
                  "consistency", summed, derived, "stated", message=message, related=related,
                  flags=["sum-contradiction"])


def _area_sum(inputs: Inputs) -> Check:
    single, multiple = inputs.stated.area_single, inputs.stated.area_multiple
    summed = None
    if single and multiple:
        summed = Stated(single.value + multiple.value, single.page, single.sentence, "エリア別の合計")
    return _check("consistency.area", "協働化のエリア別件数の合計＝事例数", "consistency", summed,
                  len(inputs.cases), "stated", related=[s for s in (single, multiple) if s],
                  flags=["sum-contradiction"])


def _business_sum(business: StatedBusiness) -> Check:
    """The categories' counts add up to the 総計, and the summary sentence's total = the bullet's 総計."""
    parts = [business.by_category.get(cat) for cat in CATEGORIES]
    derived = sum(p.value for p in parts if p) if all(parts) else None
    related = [s for s in (business.total, business.listed_total, *parts) if s]
    problems = []
    if not all(parts):
        problems.append("連携形態別の内訳の記載が見つからない")
    total, listed = business.total, business.listed_total
    if total and listed and total.value != listed.value:
        problems.append(f"まとめ文の{total.value}件と「総計{listed.value}件」が異なる")
    check = _check(f"consistency.business.{business.name}",
                   f"{business.name}：{'＋'.join(CATEGORIES)}＝総計", "consistency",
                   listed or total, derived, "stated", message="／".join(problems), related=related,
                   flags=["sum-contradiction"])
    if problems and check.status == "pass":
        check.status, check.flags = "mismatch", ["sum-contradiction"]
    return check


# ---------------------------------------------------------------------------------------------
# coded


def coded_checks(inputs: Inputs) -> list[Check]:
    """Counts of coded attributes against the stated counts."""
    stated = inputs.stated
    checks = [_exclusions(inputs), _members_counted(inputs), *(_bin(inputs, b) for b in stated.bins)]
    checks.append(_area(inputs, "single", stated.area_single, "協働化のエリア：同一都道府県内"))
    checks.append(_area(inputs, "multiple", stated.area_multiple, "協働化のエリア：複数の都道府県"))
    for business in stated.businesses:
        checks += _business_checks(inputs, business)
    for kind, item in _stated_items(stated):
        word = "きっかけ" if kind == "trigger" else "理由"
        checks.append(_count_check(inputs, f"{kind}.{item.label}", f"{word}「{item.label}」の件数",
                                   kind, item.label, item.count))
    return checks


def _members(inputs: Inputs, case: Case) -> Coding | None:
    return inputs.coding(case, "members")


def _exclusions(inputs: Inputs) -> Check:
    """The cases the note excludes exist under that name and have no member count."""
    title = "社員法人数の区分から除く事例（※なお書き）"
    note = inputs.stated.exclusions
    if note is None:
        return Check("members.exclusions", title, "coded", "pass", None, [], "mechanical",
                     "区分から除く事例の注記はない")
    by_no = {c.no: c for c in inputs.cases}
    refs, codings, problems = [], [], []
    for named in inputs.stated.excluded:
        case = by_no.get(named.no)
        if case is None:
            problems.append(f"事例{named.no}が事例にない")
            continue
        coding = _members(inputs, case)
        codings.append(coding)
        refs.append(_ref(case, coding.value if coding else None, coding, "社員法人数"))
        if compact(named.name) and compact(named.name) not in compact(case.name):
            problems.append(f"事例{named.no}の見出しは「{case.name}」（注記:「{named.name}」）")
        if coding and coding.value is not None:
            problems.append(f"事例{named.no}には社員法人数（{coding.value}法人）の記載がある")
    stated = Stated([{"no": n.no, "name": n.name} for n in inputs.stated.excluded], note.page,
                    note.sentence, note.label)
    derived = [{"no": r.no, "name": r.name} for r in refs]
    return Check("members.exclusions", title, "coded", "mismatch" if problems else "pass", stated,
                 derived, _basis(codings), "／".join(problems), refs,
                 flags=["note-contradiction"] if problems else [])


def _members_counted(inputs: Inputs) -> Check:
    """How many cases (less the excluded) have a member count that falls in a stated bin."""
    bins = inputs.stated.bins
    refs, codings = [], []
    for case in inputs.cases:
        if case.no in inputs.excluded:
            continue
        coding = _members(inputs, case)
        codings.append(coding)
        value = coding.value if coding else None
        note = _bin_of(bins, value) or ("社員法人数の記載なし" if value is None else "どの区分にも当たらない")
        refs.append(_ref(case, value, coding, note))
    outside = [r for r in refs if not _bin_of(bins, r.decision)]
    message = "区分に数えられない事例: " + "、".join(f"事例{r.no}（{r.note}）" for r in outside)
    return _check("members.counted", "社員法人数が区分に当てはまる事例の数", "coded",
                  _bins_stated(inputs.stated), len(refs) - len(outside), _basis(codings), refs,
                  message if outside else "")


def _bin_of(bins: list[StatedBin], value: object) -> str | None:
    """The first stated bin containing the value (21～30 and 30以上 share 30: the first wins)."""
    if not isinstance(value, int):
        return None
    return next((b.label for b in bins if b.contains(value)), None)


def _bin(inputs: Inputs, stated_bin: StatedBin) -> Check:
    refs, codings = [], []
    for case in inputs.cases:
        coding = _members(inputs, case)
        if case.no in inputs.excluded or coding is None:
            continue
        if _bin_of(inputs.stated.bins, coding.value) == stated_bin.label:
            refs.append(_ref(case, coding.value, coding))
            codings.append(coding)
    check = _check(f"members.bin.{stated_bin.label}", f"社員法人数「{stated_bin.label}」の件数", "coded",
                   stated_bin.count, len(refs), _basis(codings), refs,
                   flags=_coded_flags(stated_bin.count, codings, len(inputs.cases)))
    return _name_inferred(check, codings)


def _coded_flags(stated: Stated | None, counted: list[Coding | None], in_scope: int) -> list[str]:
    """What a coded count's disagreement may come from: a count above the cases it could
    include (the report contradicts itself), or the reviewer's inferred values among those
    counted — only where they account for the difference (the cases give more than the report
    states, and no more than the inferred ones): an inference that brings the count closer to the
    report's raises no doubt."""
    flags = []
    value = stated.value if stated is not None else None
    if isinstance(value, int) and value > in_scope:
        flags.append("exceeds-cases")
    inferred = sum(1 for c in counted if c is not None and c.inferred)
    if inferred and isinstance(value, int) and len(counted) - inferred <= value < len(counted):
        flags.append("inferred-coding")
    return flags


def _name_inferred(check: Check, counted: list[Coding | None]) -> Check:
    """Add the cases counted on an inferred value to a finding's message."""
    inferred = [c for c in counted if c is not None and c.inferred]
    if check.status != "pass" and inferred:
        named = "、".join(f"事例{c.case}（{c.note}）" if c.note else f"事例{c.case}" for c in inferred)
        check.message = "／".join(m for m in (check.message, f"推定による値を含む: {named}") if m)
    return check


def _area(inputs: Inputs, value: str, stated: Stated | None, title: str) -> Check:
    pairs = [(c, inputs.coding(c, "area")) for c in inputs.cases]
    refs = [_ref(c, value, k) for c, k in pairs if k and k.value == value]
    counted = [k for _, k in pairs if k and k.value == value]
    check = _check(f"area.{value}", title, "coded", stated, len(refs), _basis([k for _, k in pairs]), refs,
                   flags=_coded_flags(stated, counted, len(pairs)))
    check.others = [_ref(c, k.value if k else None, k) for c, k in pairs if not (k and k.value == value)]
    return check


def _business_checks(inputs: Inputs, business: StatedBusiness) -> list[Check]:
    """The total and each category's count of one 業務."""
    name = business.name
    related = [business.listed_total] if business.total and business.listed_total else []
    checks = [_count_check(inputs, f"business.{name}.total", f"{name}の実施件数（総計）", "business", name,
                           business.total or business.listed_total, related=related)]
    for category in CATEGORIES:
        checks.append(_count_check(
            inputs, f"business.{name}.{CATEGORY_IDS[category]}", f"{name}の実施件数（{category}）",
            "business", name, business.by_category.get(category),
            include=lambda c, cat=category: c.category == cat,
        ))
    return checks


def _count_check(
    inputs: Inputs, check_id: str, title: str, kind: str, label: str, stated: Stated | None,
    include: Callable[[Case], bool] = lambda _c: True, related: list[Stated] | None = None,
) -> Check:
    """Cases (of those `include` keeps) coded yes for the codebook rule of a stated label."""
    rule = inputs.codebook.find(kind, label)
    if rule is None:
        message = f"コードブックに「{label}」の規則がない"
        return Check(check_id, title, "coded", "error", stated, None, "", message)
    pairs = [(c, inputs.coding(c, rule.attribute)) for c in inputs.cases if include(c)]
    refs = [_ref(c, True, k) for c, k in pairs if k and k.value]
    counted = [k for _, k in pairs if k and k.value]
    check = _check(check_id, title, "coded", stated, len(refs), _basis([k for _, k in pairs]), refs,
                   related=related, flags=_coded_flags(stated, counted, len(pairs)))
    _name_inferred(check, counted)
    check.others = [_ref(c, False, k, _overridden(k)) for c, k in pairs if not (k and k.value)]
    return check


def _overridden(coding: Coding | None) -> str:
    """A note when the reviewer said no where the auto-coder said yes (a likely report count)."""
    if coding is None or coding.basis != "reviewed" or not coding.auto_value:
        return ""
    return "；".join(n for n in (coding.note, "自動コーディングでは該当") if n)
