// What a search matched, for marking: which terms match the planned query, and result excerpts
// with those words in <mark>.
import { eachToken } from "./tokenize.js";
import { escapeHtml } from "./escape.js";

// What to mark in excerpts and on the target page: a test of a term against the query's terms,
// typo candidates and prefixes (from plan()).
export function matcher(plans) {
  var exact = new Set(), prefixes = [];
  plans.forEach(function (p) {
    if (p.clause.negated) return;
    p.terms.forEach(function (t) { exact.add(t); });
    (p.candidates || []).forEach(function (t) { exact.add(t); });
    (p.prefixes || []).forEach(function (t) { prefixes.push(t); });
  });
  return function (term) {
    if (exact.has(term)) return true;
    for (var k = 0; k < prefixes.length; k++) if (term.startsWith(prefixes[k])) return true;
    return false;
  };
}
// A window of about `width` characters around the first match, matches in <mark>, HTML-escaped.
export function excerpt(text, isMatch, width) {
  width = width || 180;
  var first = -1;
  eachToken(text, function (term, start) {
    if (!isMatch(term)) return false;
    first = start;
    return true;
  });
  var start = 0;
  if (first > 0) {
    start = Math.max(0, first - 50);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < first) start = sp + 1; }
  }
  var end = Math.min(text.length, start + width);
  if (end < text.length) { var back = text.lastIndexOf(" ", end); if (back > start + width / 2) end = back; }
  var clean = function (t) { return escapeHtml(t.replace(/\s+/g, " ")); };
  var out = start > 0 ? "… " : "";
  var at = start;
  eachToken(text, function (term, s, e) {
    if (e > end) return true;
    if (!isMatch(term)) return false;
    out += clean(text.slice(at, s)) + "<mark>" + clean(text.slice(s, e)) + "</mark>";
    at = e;
    return false;
  }, start);
  out += clean(text.slice(at, end)) + (end < text.length ? " …" : "");
  return out;
}

