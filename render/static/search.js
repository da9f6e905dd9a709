/* Filters (分類 / 都道府県 / 業務) and full-text search for the casebook index page.
   Everything runs here in the page: the data comes from search-index.js, loaded by a plain
   <script> tag so that the site works from file:// as well as from any static server.
   Record text is only ever inserted with textContent, never as markup. */
(() => {
  "use strict";
  const form = document.getElementById("finder");
  const data = window.CASEBOOK_INDEX;
  if (!form || !data) return;

  const MAX_HITS = 100;
  const rows = Array.from(document.querySelectorAll("#cases tbody tr"));
  const status = document.getElementById("finder-status");
  const hitsBox = document.getElementById("hits");
  const hitsList = hitsBox.querySelector("ol");

  // Width-insensitive, case-insensitive matching (ＩＣＴ = ICT, ｺｽﾄ = コスト).
  const fold = (s) => s.normalize("NFKC").toLowerCase();
  const entries = data.entries.map(([no, step, kind, text]) => ({ no, step, kind, text, folded: fold(text) }));

  function criteria() {
    const value = (name) => (form.elements[name] ? form.elements[name].value : "");
    return {
      category: value("category"),
      pref: value("pref"),
      business: value("business"),
      terms: fold(value("q")).split(/\s+/).filter(Boolean),
    };
  }

  function caseMatches(no, c) {
    const info = data.cases[String(no)];
    return (!c.category || info.category === c.category)
      && (!c.pref || info.prefectures.includes(c.pref))
      && (!c.business || info.business.includes(c.business));
  }

  // A text field also fires "change" when it loses focus, e.g. on the mousedown of a click on a
  // hit: rebuilding the list then would remove the link being clicked. Only redo what changed.
  let last = null;

  function apply() {
    const c = criteria();
    const key = JSON.stringify(c);
    if (key === last) return;
    last = key;
    let shown = 0;
    for (const row of rows) {
      const visible = caseMatches(row.dataset.case, c);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    if (c.terms.length) {
      const hits = entries.filter((e) => caseMatches(e.no, c) && c.terms.every((t) => e.folded.includes(t)));
      showHits(hits, c.terms);
      status.textContent = `${rows.length}事例中 ${shown}事例を表示・「${c.terms.join(" ")}」を含む記述 ${hits.length}件`;
    } else {
      hitsBox.hidden = true;
      status.textContent = `${rows.length}事例中 ${shown}事例を表示`;
    }
  }

  function showHits(hits, terms) {
    hitsList.replaceChildren(...hits.slice(0, MAX_HITS).map((hit) => hitItem(hit, terms)));
    if (hits.length > MAX_HITS) {
      const more = document.createElement("li");
      more.textContent = `ほか${hits.length - MAX_HITS}件（語を足して絞り込んでください）`;
      hitsList.append(more);
    }
    if (!hits.length) {
      const none = document.createElement("li");
      none.textContent = "該当する記述はありません。";
      hitsList.append(none);
    }
    hitsBox.hidden = false;
  }

  function hitItem(hit, terms) {
    const info = data.cases[String(hit.no)];
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = `case-${hit.no}.html#step-${hit.step}`;
    link.className = "hit-where";
    link.textContent = `事例${hit.no} ${info.name} › ${info.steps[String(hit.step)]}`;
    const text = document.createElement("p");
    text.className = "hit-text";
    text.append(...highlighted(hit, terms));
    li.append(link, text);
    return li;
  }

  // The text with each term wrapped in <mark>. Offsets found in the folded text are used on the
  // original only when folding kept its length (true for almost all Japanese text).
  function highlighted(hit, terms) {
    if (hit.folded.length !== hit.text.length) return [document.createTextNode(hit.text)];
    const marks = new Array(hit.text.length).fill(false);
    for (const term of terms) {
      for (let i = hit.folded.indexOf(term); i >= 0; i = hit.folded.indexOf(term, i + 1)) {
        marks.fill(true, i, i + term.length);
      }
    }
    const nodes = [];
    let start = 0;
    for (let i = 1; i <= hit.text.length; i += 1) {
      if (i === hit.text.length || marks[i] !== marks[start]) {
        const part = hit.text.slice(start, i);
        if (marks[start]) {
          const mark = document.createElement("mark");
          mark.textContent = part;
          nodes.push(mark);
        } else {
          nodes.push(document.createTextNode(part));
        }
        start = i;
      }
    }
    return nodes;
  }

  // Filters may come in the address (the tile map links to index.html?pref=…#overview).
  const params = new URLSearchParams(window.location.search);
  for (const name of ["category", "pref", "business", "q"]) {
    const field = form.elements[name];
    if (field && params.has(name)) field.value = params.get(name);
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.addEventListener("reset", () => window.setTimeout(apply, 0));
  apply();
})();
