// Folio search in the page: the search box, and the words marked on the page a result led to.
// The engine (lib/engine.js) queries the static index in assets/search/ with the same rules as
// `folio search`; index files are scripts that call back into window.folioSearch, so they load
// from any static host and from file:// alike. Loaded on demand by folio.js.
import { escapeHtml } from "./lib/escape.js";
import { parse, QueryError } from "./lib/query.js";
import { setIndexUrl, forget } from "./lib/index-files.js";
import { install, plan, filterValues } from "./lib/engine.js";
import { matcher, toMark } from "./lib/excerpt.js";

var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// `2026-02-16` as pages show it: `16 Feb 2026` (the same words in every locale, like the pages).
function humanDate(iso) {
  var p = iso.split("-");
  return p.length === 3 ? Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0] : iso;
}
import { previewSearch, previewFilters } from "./lib/preview.js";

// window.folioSearch, once installed.
var F = null;
// Under `folio serve`, the server's search URL (see lib/preview.js).
var preview = window.folioPreview && window.folioPreview.search;

// Reads an index file as a <script>, which calls back into window.folioSearch.
function readScript(key, reject, src) {
  var s = document.createElement("script");
  s.src = src;
  s.async = true;
  s.onerror = function () {
    forget(key);
    reject(new Error(location.protocol === "file:"
      ? "the search index could not be read from disk (" + key + ".js)"
      : "the search index could not be loaded (" + key + ".js): rebuild the site or reload the page"));
  };
  document.head.appendChild(s);
}

// Marks the words a search matched on the page it led to (`?h=words` in the URL; `extra`, from
// `&hx=`, the terms it also matched: typo corrections and synonyms).
function highlightPage(query, scope, extra) {
  var plans;
  try {
    plans = plan(parse(query));
  } catch (e) { return 0; }
  var matches = matcher(plans);
  var also = new Set((extra || "").split(" ").filter(function (t) { return t; }));
  var isMatch = function (term) { return also.has(term) ? 2 : matches(term); };
  var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
    acceptNode: function (n) {
      return n.parentNode.closest("script, style, mark, .anchor, button") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    }
  });
  var nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  var count = 0;
  nodes.forEach(function (node) {
    var text = node.nodeValue;
    var matches = toMark(text, isMatch);
    if (!matches.length) return;
    var frag = document.createDocumentFragment();
    var at = 0;
    matches.forEach(function (t) {
      frag.appendChild(document.createTextNode(text.slice(at, t.start)));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(t.start, t.end);
      frag.appendChild(mark);
      at = t.end;
      count++;
    });
    frag.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(frag, node);
  });
  return count;
}

// Values to filter by, with their counts: from the static index, or the server under `folio serve`.
function loadFilters() {
  return preview ? previewFilters(preview) : filterValues();
}

// The search box: results as you type, arrow keys and Enter, filters, more results.
function initUi() {
  var box = document.querySelector(".search");
  if (!box || box.getAttribute("data-ready")) return;
  box.setAttribute("data-ready", "1");
  var input = box.querySelector(".search-input");
  var panel = box.querySelector(".search-panel");
  var list = panel.querySelector(".search-results");
  var statusLine = panel.querySelector(".search-status");
  var filtersRow = panel.querySelector(".search-filters");
  var root = document.documentElement.getAttribute("data-root") || "./";
  var shown = 0, lastQuery = null, timer = 0, active = -1, generation = 0, results = [];
  var selects = {};

  function filters() {
    var out = [];
    Object.keys(selects).forEach(function (f) { if (selects[f].value) out.push([f, selects[f].value]); });
    return out;
  }
  function href(r, q, marks) {
    var url = r.url;
    var hash = "";
    var i = url.indexOf("#");
    if (i >= 0) { hash = url.slice(i); url = url.slice(0, i); }
    if (location.protocol === "file:" && (url === "" || /\/$/.test(url))) url += "index.html";
    var words = q.replace(/(^|\s)-("[^"]*"|\S+)/g, " ").replace(/\b(kind|status|tags?|owner|section):("[^"]*"|\S+)/gi, " ").trim();
    // Words the search also matched (typo corrections, synonyms) are marked on the page too.
    var also = (marks || []).join(" ");
    return root + url + (words ? "?h=" + encodeURIComponent(words) : "") +
      (words && also ? "&hx=" + encodeURIComponent(also) : "") + hash;
  }
  function setActive(i) {
    var items = list.querySelectorAll("[role=option]");
    if (!items.length) { active = -1; return; }
    active = (i + items.length) % items.length;
    items.forEach(function (el, k) { el.setAttribute("aria-selected", k === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }
  function open(on) {
    panel.hidden = !on;
    input.setAttribute("aria-expanded", on ? "true" : "false");
    document.body.classList.toggle("search-open", on);
  }
  function render(q, page, append) {
    var previous = results.length ? results[results.length - 1].match : "all";
    var html = page.results.map(function (r, k) {
      var id = "search-result-" + (shown + k);
      var partial = r.match === "partial";
      // Results with only some of the words follow the ones with all, under a divider.
      var divider = partial && (k ? page.results[k - 1].match : previous) !== "partial"
        ? '<li class="search-divider" role="presentation">Partial matches: some of the words</li>'
        : "";
      // The link is the option (a link inside an option would be a control inside a control).
      return divider + '<li role="presentation"' + (partial ? ' class="search-partial"' : "") +
        '><a role="option" id="' + id + '" aria-selected="false" href="' + escapeHtml(href(r, q, page.marks)) + '">' +
        '<span class="search-title">' + escapeHtml(r.title) + (r.heading ? ' <span class="search-heading">› ' +
        escapeHtml(r.heading) + "</span>" : "") + "</span>" +
        (r.excerpt ? '<span class="search-excerpt">' + r.excerpt + "</span>" : "") +
        (r.updated ? '<span class="search-updated">Updated <time datetime="' + escapeHtml(r.updated) + '">' +
          escapeHtml(humanDate(r.updated)) + "</time></span>" : "") +
        (partial ? '<span class="search-match">Partial match</span>' : "") + "</a></li>";
    }).join("");
    if (append) list.insertAdjacentHTML("beforeend", html); else list.innerHTML = html;
    list.setAttribute("data-query", q);
    shown += page.results.length;
    results = results.concat(page.results);
    var count = function (n, one, many) { return n.toLocaleString("en-US") + (n === 1 ? one : many); };
    statusLine.textContent = page.total === 0 && !page.partial ? "No results for “" + q + "”" :
      (page.total ? (page.approximate ? "About " : "") + count(page.total, " result", " results") : "No result has every word") +
      (page.partial ? " · " + count(page.partial, " partial match", " partial matches") : "");
    if (page.suggestions && page.suggestions.length) {
      statusLine.appendChild(document.createTextNode(". Did you mean "));
      page.suggestions.forEach(function (s, i) {
        if (i) statusLine.appendChild(document.createTextNode(i === page.suggestions.length - 1 ? " or " : ", "));
        var b = document.createElement("button");
        b.type = "button";
        b.className = "search-suggestion";
        b.textContent = s;
        b.addEventListener("click", function () { input.value = s; input.focus(); lastQuery = null; query(false); });
        statusLine.appendChild(b);
      });
      statusLine.appendChild(document.createTextNode("?"));
    }
    var more = panel.querySelector(".search-more");
    more.hidden = shown >= page.total + (page.partial || 0);
  }
  async function query(append) {
    var q = input.value;
    if (!q.trim() && !filters().length) { list.innerHTML = ""; statusLine.textContent = ""; open(false); lastQuery = null; return; }
    var key = q + "\u0000" + JSON.stringify(filters());
    if (!append && key === lastQuery) { open(true); return; }
    lastQuery = key;
    var mine = ++generation;
    if (!append) { shown = 0; results = []; active = -1; }
    try {
      var text = q.trim() ? q : "";
      var options = { filters: filters(), offset: append ? shown : 0, limit: 10 };
      var page = await (preview ? previewSearch(preview, text, options) : F.search(text, options));
      if (mine !== generation) return;
      open(true);
      render(q, page, append);
    } catch (e) {
      if (mine !== generation) return;
      open(true);
      list.innerHTML = "";
      panel.querySelector(".search-more").hidden = true;
      statusLine.textContent = e instanceof QueryError ? "Query error at column " + e.column + ": " + e.message : String(e.message || e);
    }
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { query(false); }, 90);
  }
  input.addEventListener("input", schedule);
  input.addEventListener("focus", function () { if (input.value.trim()) query(false); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); setActive(active + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); setActive(active - 1); }
    else if (e.key === "Enter") {
      var items = list.querySelectorAll("[role=option]");
      var target = items[active >= 0 ? active : 0];
      if (target) { e.preventDefault(); clearTimeout(timer); target.click(); }
    }
  });
  // While results show, the box is a dialog: Tab and Shift-Tab cycle through the input and the
  // panel's controls; Escape closes it and gives focus back to what opened it (the element
  // that had it when `/` or Ctrl-K was pressed, see folio.js), or keeps it in the input.
  // Focus that leaves the box some other way (a click elsewhere) forgets where to go back to.
  box.addEventListener("focusout", function (e) {
    if (!e.relatedTarget || !box.contains(e.relatedTarget)) input.folioReturnTo = null;
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      var back = input.folioReturnTo;
      input.folioReturnTo = null;
      if (panel.hidden) { input.value = ""; }
      open(false);
      if (back && back !== input && back !== document.body && document.contains(back)) back.focus();
      else if (panel.contains(document.activeElement)) input.focus();
      else if (!input.value) input.blur();
      return;
    }
    if (e.key !== "Tab" || panel.hidden) return;
    var stops = [input].concat(Array.prototype.filter.call(panel.querySelectorAll("a[href], button, select"), function (el) {
      return !el.disabled && !el.hidden && el.getClientRects().length > 0;
    }));
    var first = stops[0], last = stops[stops.length - 1];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
  panel.querySelector(".search-more").addEventListener("click", function () { query(true); });
  document.addEventListener("click", function (e) { if (!box.contains(e.target)) open(false); });
  loadFilters().then(function (all) {
    ["kind", "status", "tag"].forEach(function (field) {
      var values = all[field];
      if (!values || !values.length) return;
      var label = document.createElement("label");
      label.className = "search-filter";
      var select = document.createElement("select");
      select.setAttribute("aria-label", "Filter by " + field);
      select.innerHTML = '<option value="">Any ' + field + "</option>" + values.map(function (v) {
        return '<option value="' + escapeHtml(v[0]) + '">' + escapeHtml(v[0]) + " (" + v[1] + ")</option>";
      }).join("");
      select.addEventListener("change", function () { lastQuery = null; query(false); });
      label.appendChild(select);
      filtersRow.appendChild(label);
      selects[field] = select;
    });
    filtersRow.hidden = !Object.keys(selects).length;
  }, function (e) { statusLine.textContent = e.message; open(true); });
  if (document.activeElement === input && input.value.trim()) query(false);
}

// Loaded twice, the first copy stays in charge.
if (!(window.folioSearch && window.folioSearch.search)) {
  F = install(window, readScript);
  F.highlightPage = highlightPage;
  var box = document.querySelector(".search");
  if (box) {
    setIndexUrl(box.getAttribute("data-index"));
    initUi();
  }
  var h = new URLSearchParams(location.search).get("h");
  var main = document.querySelector(".content") || document.querySelector("main");
  if (h && main) {
    var count = highlightPage(h, main, new URLSearchParams(location.search).get("hx"));
    var first = main.querySelector("mark.search-hit");
    if (count && first && !location.hash) first.scrollIntoView({ block: "center" });
  }
}
