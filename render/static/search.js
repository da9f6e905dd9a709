/* Filters (分類 / 都道府県 / 業務) and full-text search for the casebook index page; on a case page,
   the terms of the search that led there (case-3.html?q=…#step-2) are highlighted.
   Everything runs here in the page: the data comes from search-index.js, loaded by a plain
   <script> tag so that the site works from file:// as well as from any static server.
   Record text is only ever inserted with textContent, never as markup.
   A search filters the case table to the cases with a hit (each with its number of hits) and
   lists the hits with the terms marked. */
(() => {
  "use strict";
  // Width-insensitive, case-insensitive matching (ＩＣＴ = ICT, ｺｽﾄ = コスト).
  const fold = (s) => s.normalize("NFKC").toLowerCase();
  const params = new URLSearchParams(window.location.search);
  const article = document.querySelector("article.case");
  if (article && params.get("q")) {
    markTerms(article, fold(params.get("q")).split(/\s+/).filter(Boolean));
  }

  const form = document.getElementById("finder");
  const data = window.CASEBOOK_INDEX;
  if (!form || !data) return;

  const MAX_HITS = 100;
  const rows = Array.from(document.querySelectorAll("#cases tbody tr"));
  const status = document.getElementById("finder-status");
  const hitsBox = document.getElementById("hits");
  const hitsList = hitsBox.querySelector("ol");

  const entries = data.entries.map(([no, step, kind, text]) => ({ no, step, kind, text, folded: fold(text) }));

  function criteria() {
    const value = (name) => (form.elements[name] ? form.elements[name].value : "");
    return {
      category: value("category"),
      pref: value("pref"),
      business: value("business"),
      terms: fold(value("q")).split(/\s+/).filter(Boolean),
      typed: value("q").trim().split(/\s+/).filter(Boolean),  // as the user wrote it (ICT, not ict)
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
    const hits = c.terms.length
      ? entries.filter((e) => caseMatches(e.no, c) && c.terms.every((t) => e.folded.includes(t)))
      : [];
    const perCase = new Map();
    for (const hit of hits) perCase.set(String(hit.no), (perCase.get(String(hit.no)) || 0) + 1);
    let shown = 0;
    for (const row of rows) {
      const count = perCase.get(row.dataset.case) || 0;
      const visible = caseMatches(row.dataset.case, c) && (!c.terms.length || count > 0);
      row.hidden = !visible;
      row.classList.toggle("has-hits", c.terms.length > 0 && visible);
      hitCount(row).textContent = c.terms.length && visible ? `${count}件` : "";
      if (visible) shown += 1;
    }
    if (c.terms.length) {
      showHits(hits, c.terms);
      status.textContent = `${rows.length}事例中 ${shown}事例を表示・「${c.typed.join(" ")}」を含む記述 ${hits.length}件`;
    } else {
      hitsBox.hidden = true;
      status.textContent = `${rows.length}事例中 ${shown}事例を表示`;
    }
  }

  // The badge after a case's name that says how many of its texts match the search.
  function hitCount(row) {
    let badge = row.querySelector(".hit-count");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "hit-count";
      row.querySelector("th").append(badge);
    }
    return badge;
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
    link.href = `case-${hit.no}.html?q=${encodeURIComponent(terms.join(" "))}#step-${hit.step}`;
    link.className = "hit-where";
    link.textContent = `事例${hit.no} ${info.name} › ${info.steps[String(hit.step)]}`;
    const text = document.createElement("p");
    text.className = "hit-text";
    text.append(...highlighted(hit, terms));
    li.append(link, text);
    return li;
  }

  function highlighted(hit, terms) {
    return markedNodes(hit.text, terms) || [document.createTextNode(hit.text)];
  }

  // Filters may come in the address (the tile map links to index.html?pref=…#overview).
  for (const name of ["category", "pref", "business", "q"]) {
    const field = form.elements[name];
    if (field && params.has(name)) field.value = params.get(name);
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  form.addEventListener("reset", () => window.setTimeout(apply, 0));
  apply();

  // The text as nodes with each term wrapped in <mark>, or null when it has no term. Offsets
  // found in the folded text are used on the original only when folding kept its length (true
  // for almost all Japanese text).
  function markedNodes(text, terms) {
    const folded = fold(text);
    if (folded.length !== text.length || !terms.some((t) => folded.includes(t))) return null;
    const marks = new Array(text.length).fill(false);
    for (const term of terms) {
      for (let i = folded.indexOf(term); i >= 0; i = folded.indexOf(term, i + 1)) marks.fill(true, i, i + term.length);
    }
    const nodes = [];
    let start = 0;
    for (let i = 1; i <= text.length; i += 1) {
      if (i === text.length || marks[i] !== marks[start]) {
        const part = text.slice(start, i);
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

  // Mark the terms in every text of an element (a case page opened from a search hit).
  function markTerms(root, terms) {
    if (!terms.length) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const texts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n);
    for (const node of texts) {
      const nodes = markedNodes(node.nodeValue, terms);
      if (nodes) node.replaceWith(...nodes);
    }
  }
})();
