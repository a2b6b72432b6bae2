// Folio diagrams: draws each ```mermaid block with the vendored Mermaid (loaded before this
// script, only on pages that have a diagram). The block's source stays in the page: it is what
// shows without JavaScript, and again (with Mermaid's message) when a diagram has an error.
// Diagrams follow the theme: the header toggle (data-theme on <html>) or else the system's
// colour scheme, and are drawn again when either changes.

var doc = document.documentElement;
var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
var diagrams = [];
var drawing = null;
var pending = false;
var counter = 0;

/** The colour scheme the page shows: the toggle's choice, else the system's. */
export function pageTheme(explicit, systemDark) {
  if (explicit === "dark" || explicit === "light") return explicit;
  return systemDark ? "dark" : "light";
}

function currentTheme() {
  return pageTheme(doc.getAttribute("data-theme"), !!(darkQuery && darkQuery.matches));
}

/** What a screen reader announces for a drawing: its accTitle, else "Diagram". */
export function diagramLabel(title) {
  var text = (title || "").replace(/\s+/g, " ").trim();
  return text || "Diagram";
}

function setUp(container) {
  var pre = container.querySelector(".diagram-source");
  if (!pre) return null;
  // folio.js may have wrapped the block with a copy button: hide and show the whole of it.
  var block = pre.closest(".code-wrap") || pre;
  var drawingBox = document.createElement("div");
  drawingBox.className = "diagram-drawing";
  var message = document.createElement("div");
  message.className = "diagram-error";
  message.setAttribute("role", "status");
  message.hidden = true;
  container.insertBefore(message, block);
  container.appendChild(drawingBox);
  return { container: container, source: pre.textContent, block: block, drawing: drawingBox, message: message };
}

function showSource(d, error) {
  d.drawing.innerHTML = "";
  d.drawing.hidden = true;
  d.block.hidden = false;
  var said = document.createElement("p");
  said.textContent = "This diagram could not be drawn:";
  var detail = document.createElement("pre");
  detail.textContent = String((error && error.message) || error).trim();
  d.message.replaceChildren(said, detail);
  d.message.hidden = false;
  d.container.setAttribute("data-state", "error");
  ["tabindex", "role", "aria-label"].forEach(function (a) { d.container.removeAttribute(a); });
  d.container.removeAttribute("data-drawn-theme");
}

function showDrawing(d, svg, theme) {
  d.drawing.innerHTML = svg;
  var el = d.drawing.querySelector("svg");
  if (el) {
    var title = el.querySelector(":scope > title");
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", diagramLabel(title && title.textContent));
    el.removeAttribute("aria-roledescription");
    // Mermaid scales a drawing down to fit; on a phone a wide one would shrink past reading, so
    // below three quarters of its size it scrolls sideways instead.
    var natural = parseFloat(el.style.maxWidth);
    if (natural > 0) el.style.minWidth = Math.round(natural * 0.75) + "px";
  }
  d.drawing.hidden = false;
  d.block.hidden = true;
  d.message.hidden = true;
  d.container.setAttribute("data-state", "drawn");
  // A drawing wider than a phone scrolls sideways: the keyboard reaches it as a named group.
  d.container.setAttribute("tabindex", "0");
  d.container.setAttribute("role", "group");
  d.container.setAttribute("aria-label", diagramLabel(el && el.getAttribute("aria-label")));
  d.container.setAttribute("data-drawn-theme", theme);
}

async function drawAll() {
  var mermaid = window.mermaid;
  var theme = currentTheme();
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    suppressErrorRendering: true,
    theme: theme === "dark" ? "dark" : "default",
    // Mermaid's dark edge labels (#ccc on #585858) fall short of 4.5:1; a darker plate passes.
    themeVariables: theme === "dark" ? { edgeLabelBackground: "#3d3d3d" } : {},
    fontFamily: getComputedStyle(document.body).fontFamily,
  });
  for (var i = 0; i < diagrams.length; i++) {
    var d = diagrams[i];
    var id = "folio-diagram-" + (++counter);
    try {
      var result = await mermaid.render(id, d.source);
      showDrawing(d, result.svg, theme);
    } catch (e) {
      showSource(d, e);
    } finally {
      // Mermaid drafts in a temporary element that an error can leave behind.
      var draft = document.getElementById("d" + id);
      if (draft) draft.remove();
    }
  }
}

/** Draws every diagram; a change while drawing draws them all again once it is done. */
function redraw() {
  if (drawing) {
    pending = true;
    return;
  }
  drawing = drawAll().finally(function () {
    drawing = null;
    if (pending) {
      pending = false;
      redraw();
    }
  });
}

if (window.mermaid) {
  document.querySelectorAll('.diagram[data-diagram="mermaid"]').forEach(function (c) {
    var d = setUp(c);
    if (d) diagrams.push(d);
  });
  if (diagrams.length) {
    redraw();
    // The header's toggle sets data-theme on <html>.
    new MutationObserver(function () {
      var theme = currentTheme();
      if (diagrams.some(function (d) { return d.container.getAttribute("data-drawn-theme") !== theme; })) redraw();
    }).observe(doc, { attributes: true, attributeFilter: ["data-theme"] });
    if (darkQuery && darkQuery.addEventListener) {
      darkQuery.addEventListener("change", function () { redraw(); });
    }
  }
}
