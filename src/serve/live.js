// Folio preview: live reload. Served only by `folio serve` (never part of a built site).
// Keeps a WebSocket to the server; after each rebuild the server names the URLs that changed:
// this page reloads (keeping its scroll position) when it is among them, stylesheets are swapped
// in place when only CSS changed, and build errors are shown in an overlay until fixed.
(function () {
  "use strict";
  if (window.folioLive) return;
  var live = (window.folioLive = { build: null, connected: false });
  // The search box asks the server (the tantivy index) instead of a static index.
  window.folioPreview = { search: "/_folio/serve/search" };

  var SCROLL_KEY = "folio-live-scroll:" + location.pathname;
  try {
    var saved = sessionStorage.getItem(SCROLL_KEY);
    if (saved) {
      sessionStorage.removeItem(SCROLL_KEY);
      var pos = JSON.parse(saved);
      var restore = function () { window.scrollTo(pos[0], pos[1]); };
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore);
      restore();
    }
  } catch (e) { /* storage may be disabled: reloads then start at the top */ }

  function here() {
    var p = decodeURIComponent(location.pathname);
    return p.replace(/index\.html$/, "");
  }

  function reload() {
    try { sessionStorage.setItem(SCROLL_KEY, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) {}
    location.reload();
  }

  function swapStylesheets(urls) {
    var stamp = Date.now();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (urls.indexOf(decodeURIComponent(url.pathname)) < 0) return;
      url.searchParams.set("live", stamp);
      // The new sheet loads before the old one goes, so the page never shows unstyled.
      var next = link.cloneNode();
      next.href = url.href;
      next.onload = next.onerror = function () { link.remove(); };
      link.after(next);
    });
  }

  var overlay = null, pill = null;
  function element(tag, css, text) {
    var e = document.createElement(tag);
    e.style.cssText = css;
    if (text != null) e.textContent = text;
    return e;
  }
  function showErrors(errors) {
    if (!errors.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (overlay) overlay.remove();
    overlay = element("div", "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,24,.88);color:#fff;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow:auto;padding:2rem");
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build failed");
    overlay.className = "folio-live-overlay";
    var box = element("div", "max-width:60rem;margin:0 auto;background:#2a1215;border:1px solid #f87171;border-radius:8px;padding:1.25rem 1.5rem");
    box.appendChild(element("h2", "margin:0 0 .25rem;font-size:1.1rem;color:#fca5a5", "Build failed"));
    box.appendChild(element("p", "margin:0 0 1rem;color:#e5e7eb",
      "Still showing the last good build. This message goes away as soon as the error is fixed."));
    var list = element("ul", "margin:0;padding:0;list-style:none");
    errors.forEach(function (d) {
      var li = element("li", "margin:.5rem 0;white-space:pre-wrap;overflow-wrap:anywhere");
      li.className = "folio-live-error";
      li.appendChild(element("strong", "color:#fecaca", d.location));
      li.appendChild(document.createTextNode(": " + d.message));
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = element("button", "margin-top:1rem;background:#f87171;color:#111;border:0;border-radius:4px;padding:.35rem .8rem;cursor:pointer;font:inherit", "Dismiss");
    close.type = "button";
    close.onclick = function () { if (overlay) { overlay.remove(); overlay = null; } };
    box.appendChild(close);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }
  function showWarnings(warnings) {
    if (pill) { pill.remove(); pill = null; }
    if (!warnings.length) return;
    pill = element("details", "position:fixed;right:.75rem;bottom:.75rem;z-index:2147483646;max-width:min(36rem,calc(100vw - 1.5rem));" +
      "background:#fffbeb;color:#713f12;border:1px solid #f59e0b;border-radius:6px;font:12px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.15)");
    pill.className = "folio-live-warnings";
    var summary = element("summary", "cursor:pointer;padding:.3rem .6rem",
      warnings.length + (warnings.length === 1 ? " warning" : " warnings"));
    pill.appendChild(summary);
    var list = element("ul", "margin:0;padding:.2rem .8rem .5rem 1.6rem;max-height:40vh;overflow:auto");
    warnings.slice(0, 100).forEach(function (d) {
      list.appendChild(element("li", "overflow-wrap:anywhere", d.location + ": " + d.message));
    });
    pill.appendChild(list);
    document.body.appendChild(pill);
  }

  function handle(msg) {
    if (msg.type === "hello") {
      // A different build than the one this page came from: the server restarted or rebuilt
      // while we were away.
      if (live.build !== null && msg.build !== live.build) return reload();
      live.build = msg.build;
    } else if (msg.type === "reload") {
      live.build = msg.build;
      var changed = msg.changed || [];
      if (msg.css_only) swapStylesheets(changed);
      else if (changed.indexOf(here()) >= 0 || changed.some(function (u) { return !/\.(css|html|json|xml|txt)$|\/$/.test(u); })) {
        return reload();
      }
    }
    showErrors(msg.errors || []);
    showWarnings(msg.warnings || []);
    document.documentElement.setAttribute("data-folio-live", msg.type + ":" + msg.build);
  }

  var delay = 250;
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/_folio/serve/live");
    ws.onopen = function () { delay = 250; live.connected = true; };
    ws.onmessage = function (e) {
      try { handle(JSON.parse(e.data)); } catch (err) { console.error("folio live reload:", err); }
    };
    ws.onclose = function () {
      live.connected = false;
      // The server restarted or went away: try again, backing off to once every 5 s.
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  if (document.body) connect();
  else document.addEventListener("DOMContentLoaded", connect);
})();
