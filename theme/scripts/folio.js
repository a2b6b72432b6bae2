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
      searchInput.focus();
      searchInput.select();
    }
  });
  if (/[?&]h=/.test(location.search)) loadSearch();
}

// Large sites carry only part of the nav tree; the rest comes from nav.js when opened.
function navNode(path) {
  var nodes = window.FOLIO_NAV, node = null;
  var parts = path.split(".");
  for (var i = 0; i < parts.length; i++) {
    node = nodes && nodes[+parts[i]];
    if (!node) return null;
    nodes = node.c;
  }
  return node;
}
function renderChildren(children, path) {
  return children.map(function (c, i) {
    var p = path + "." + i;
    var link = c.u !== undefined
      ? '<a href="' + escapeHtml(/^[a-z][a-z0-9+.-]*:|^\/\//i.test(c.u) ? c.u : root + c.u) + '">' + escapeHtml(c.t) + "</a>"
      : '<span class="nav-label">' + escapeHtml(c.t) + "</span>";
    if (!c.c) return "<li>" + link + "</li>";
    return '<li class="nav-group"><details data-nav="' + p + '"><summary>' + link +
      '</summary><ul data-lazy="' + c.c.length + '"></ul></details></li>';
  }).join("");
}
document.addEventListener("toggle", function (e) {
  var details = e.target;
  if (!details.open || !details.matches || !details.matches("details[data-nav]")) return;
  var list = details.querySelector(":scope > ul[data-lazy]");
  if (!list || !window.FOLIO_NAV) return;
  var node = navNode(details.getAttribute("data-nav"));
  if (node && node.c) {
    list.innerHTML = renderChildren(node.c, details.getAttribute("data-nav"));
    list.removeAttribute("data-lazy");
    fixFileLinks(list);
  }
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
