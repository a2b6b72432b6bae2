// Folio default theme script: theme toggle, navigation drawer, lazy nav tree, copy buttons, the
// hidden-lines toggle on code blocks and links that work when the site is opened from disk.
// Progressive: pages work without it.
import { escapeHtml } from "./lib/escape.js";

var doc = document.documentElement;
doc.classList.add("js");
var root = doc.getAttribute("data-root") || "./";

// Light/dark toggle: remembers an explicit choice, otherwise follows the system.
var themeButton = document.querySelector(".theme-toggle");
if (themeButton) {
  themeButton.addEventListener("click", function () {
    var current = doc.getAttribute("data-theme");
    if (!current) current = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    var next = current === "dark" ? "light" : "dark";
    doc.setAttribute("data-theme", next);
    try { localStorage.setItem("folio-theme", next); } catch (e) { /* private mode */ }
  });
}

// Navigation drawer on narrow screens.
var navButton = document.querySelector(".nav-toggle");
if (navButton) {
  navButton.addEventListener("click", function () {
    var open = document.body.classList.toggle("nav-open");
    navButton.setAttribute("aria-expanded", open ? "true" : "false");
    // Keyboard users land in the menu they opened: on the current page's link, or the first.
    if (open) {
      var first = document.querySelector("#sidebar [aria-current=page]") || document.querySelector("#sidebar a, #sidebar summary");
      if (first) first.focus();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.body.classList.contains("nav-open")) {
      document.body.classList.remove("nav-open");
      navButton.setAttribute("aria-expanded", "false");
      navButton.focus();
    }
  });
}

// Search: the engine (search.js) loads on first use; `/` and Ctrl-K focus the box. A page
// reached from a result (`?h=words`) loads it too, to mark the words.
var searchBox = document.querySelector(".search");
var searchLoading = false;
function loadSearch() {
  if (searchLoading || !searchBox) return;
  searchLoading = true;
  var s = document.createElement("script");
  s.src = searchBox.getAttribute("data-script");
  document.head.appendChild(s);
}
if (searchBox) {
  var searchInput = searchBox.querySelector(".search-input");
  searchInput.addEventListener("focus", loadSearch);
  searchInput.addEventListener("input", loadSearch);
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if ((e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) ||
        ((e.ctrlKey || e.metaKey) && (e.key === "k" || e.key === "K"))) {
      e.preventDefault();
      // Escape in the search box gives focus back here (search.js).
      if (t !== searchInput) searchInput.folioReturnTo = t;
      searchInput.focus();
      searchInput.select();
    }
  });
  if (/[?&]h=/.test(location.search)) loadSearch();
}

// Charts are images (role="img", their numbers in a table beside them): a row's label carries
// its heading's link as data-href, followed on a click; keyboards use the table's links.
function followChartLink(e) {
  var target = e.target.closest && e.target.closest("svg [data-href]");
  if (!target || (e.type === "auxclick" && e.button !== 1)) return;
  var url = new URL(target.getAttribute("data-href"), location.href);
  if (url.protocol === "file:" && /\/$/.test(url.pathname)) url.pathname += "index.html";
  // As a link would: a middle click or Ctrl/Cmd/Shift-click opens a new tab.
  if (e.type === "auxclick" || e.ctrlKey || e.metaKey || e.shiftKey) window.open(url.href, "_blank", "noopener");
  else location.href = url.href;
}
document.addEventListener("click", followChartLink);
document.addEventListener("auxclick", followChartLink);

// Large sites carry a window of the nav tree in each page: each list on the page's path shows a
// few entries around it (`ul[data-part]`, from entry `data-from`), closed groups are empty
// (`ul[data-lazy]`). The rest comes from the group's shared file, `_folio/nav/<group>.js`,
// loaded with a script tag so that it works from disk too.
var navNav = document.querySelector(".site-nav[data-parts]");
var navBase = navNav && navNav.getAttribute("data-parts");
var navWaiting = {};
// A group's file, `{v: version, e: entries}`. `version` (a window's `data-v`) keeps a browser's
// cached copy of an older list from being read; a file that fails to load may be tried again.
function navPart(id, version, then) {
  var parts = window.FOLIO_NAV_PARTS || {};
  if (parts[id]) return then(parts[id]);
  if (navWaiting[id]) return navWaiting[id].push(then);
  navWaiting[id] = [then];
  var s = document.createElement("script");
  s.src = navBase + id + ".js" + (version ? "?v=" + encodeURIComponent(version) : "");
  s.onload = s.onerror = function () {
    var got = (window.FOLIO_NAV_PARTS || {})[id];
    var waiting = navWaiting[id];
    delete navWaiting[id];
    s.remove();
    if (got && got.e) waiting.forEach(function (f) { f(got); });
  };
  document.head.appendChild(s);
}
function navEntry(c, path) {
  var title = (c.n !== undefined ? '<span class="nav-number">' + escapeHtml(c.n) + "</span> " : "") + escapeHtml(c.t);
  var bar = c.p !== undefined
    ? '<span class="nav-progress" role="img" aria-label="' + c.p + '% done" style="--p:' + c.p + '%"></span>' : "";
  // As the server decides (`markdown::is_external`): a scheme of two or more characters, `//`
  // or a fragment is written as it is.
  var external = c.u !== undefined && /^(\/\/|#|[a-z0-9+.-]{2,}:)/i.test(c.u);
  var link = c.u === undefined ? '<span class="nav-label">' + title + "</span>"
    : external ? '<a href="' + escapeHtml(c.u) + '" rel="external">' + title + "</a>"
    : '<a href="' + escapeHtml(root + c.u.replace(/[ "<>?#%]/g, encodeURIComponent)) + '">' + title + bar + "</a>";
  if (!c.c) return "<li>" + link + "</li>";
  // As the server writes a group (render/nav.rs): a linked group's link before its disclosure,
  // whose summary is named after it; a group without a page keeps its label in the summary.
  var lazy = '<ul data-lazy="' + c.c + '"></ul></details></li>';
  if (c.u === undefined) return '<li class="nav-group"><details data-nav="' + path + '"><summary>' + link + "</summary>" + lazy;
  var name = (c.n !== undefined ? c.n + " " : "") + c.t;
  return '<li class="nav-group">' + link + '<details data-nav="' + path + '"><summary aria-label="' + escapeHtml(name) + '"></summary>' + lazy;
}
function childPath(id, i) { return id === "root" ? String(i) : id + "." + i; }
// Fills a windowed list: the entries before and after the window are added around the ones the
// page carries, which keep their open groups and the current-page mark.
function fillWindow(list) {
  var id = list.getAttribute("data-part"), from = +list.getAttribute("data-from");
  var version = list.getAttribute("data-v");
  navPart(id, version, function (part) {
    // A page older or newer than the file (a cache between them): keep the window, whose hidden
    // entries are links to the table of contents, rather than merge two versions.
    if (version && part.v !== version) return;
    var entries = part.e;
    var kept = Array.prototype.filter.call(list.children, function (li) { return !li.classList.contains("nav-more"); });
    var html = entries.map(function (c, i) { return navEntry(c, childPath(id, i)); });
    var tmp = document.createElement("ul");
    tmp.innerHTML = html.slice(0, from).join("");
    var before = Array.prototype.slice.call(tmp.children);
    tmp.innerHTML = html.slice(from + kept.length).join("");
    var after = Array.prototype.slice.call(tmp.children);
    list.textContent = "";
    before.concat(kept, after).forEach(function (li) { list.appendChild(li); });
    list.removeAttribute("data-part");
    list.removeAttribute("data-from");
    list.removeAttribute("data-v");
    fixFileLinks(list);
    var current = navNav.querySelector("[aria-current=page]");
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  });
}
if (navBase) navNav.querySelectorAll("ul[data-part]").forEach(fillWindow);
document.addEventListener("toggle", function (e) {
  var details = e.target;
  if (!navBase || !details.open || !details.matches || !details.matches("details[data-nav]")) return;
  var list = details.querySelector(":scope > ul[data-lazy]");
  if (!list) return;
  var id = details.getAttribute("data-nav");
  navPart(id, null, function (part) {
    if (!list.hasAttribute("data-lazy")) return;
    list.innerHTML = part.e.map(function (c, i) { return navEntry(c, childPath(id, i)); }).join("");
    list.removeAttribute("data-lazy");
    fixFileLinks(list);
  });
}, true);

// Code block tools: a copy button on every block, and on blocks with hidden lines (mdBook's
// `# ` lines in Rust, `<span class="boring">` in the HTML) a toggle. Lines are hidden only once
// this script has given the block its toggle, so without JavaScript every line shows.
function hiddenLinesToggle(pre, wrap) {
  pre.classList.add("hide-boring");
  wrap.classList.add("has-hidden");
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "lines-toggle";
  // A toggle keeps its name; aria-pressed carries the state.
  toggle.textContent = "Show hidden lines";
  toggle.setAttribute("aria-pressed", "false");
  toggle.addEventListener("click", function () {
    var hide = pre.classList.toggle("hide-boring");
    toggle.setAttribute("aria-pressed", hide ? "false" : "true");
  });
  return toggle;
}

document.querySelectorAll(".content pre").forEach(function (pre) {
  var wrap = document.createElement("div");
  wrap.className = "code-wrap";
  pre.parentNode.insertBefore(wrap, pre);
  if (pre.querySelector(".boring")) wrap.appendChild(hiddenLinesToggle(pre, wrap));
  wrap.appendChild(pre);
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy code to clipboard");
  button.addEventListener("click", function () {
    // The code as shown, as mdBook copies it: innerText leaves out hidden lines while they are
    // hidden, and their `# ` markers were removed when the page was built.
    var text = pre.innerText.replace(/\n$/, "");
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Press Ctrl-C"; });
    } else {
      var ta = document.createElement("textarea");
      ta.value = text;
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand("copy"); done(); } catch (e) { button.textContent = "Press Ctrl-C"; }
      document.body.removeChild(ta);
    }
  });
  wrap.appendChild(button);
});

// Opened from disk (file://), folder links do not open index.html by themselves.
function fixFileLinks(scope) {
  if (location.protocol !== "file:") return;
  scope.querySelectorAll("a[href]").forEach(function (a) {
    var href = a.getAttribute("href");
    if (/^[a-z][a-z0-9+.-]*:|^\/\/|^#/i.test(href)) return;
    var m = href.match(/^([^#?]*)(.*)$/);
    if (m[1] === "" || /\/$/.test(m[1])) a.setAttribute("href", m[1] + "index.html" + m[2]);
  });
}
fixFileLinks(document);

// Collapsed callouts (`??? note`) print open, and fold again after.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.callout:not([open])").forEach(function (d) { d.open = d.dataset.printed = true; });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-printed]").forEach(function (d) { d.open = false; delete d.dataset.printed; });
});

// The table of contents starts folded on screens too narrow to show it beside the text.
if (!window.matchMedia("(min-width: 1280px)").matches) {
  document.querySelectorAll(".toc > details[open]").forEach(function (d) { d.removeAttribute("open"); });
}

// Keep the current page visible in a long sidebar.
var current = document.querySelector('.site-nav a[aria-current="page"]');
var sidebar = document.querySelector(".sidebar");
if (current && sidebar && current.getBoundingClientRect().bottom > sidebar.getBoundingClientRect().bottom) {
  sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 3;
}
