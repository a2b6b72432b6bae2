// What a search matched, for marking: which terms match the planned query, and result excerpts
// with those words in <mark>.
import { tokenize } from "./tokenize.js";
import { escapeHtml } from "./escape.js";

// What to mark in excerpts and on the target page: a test of a term against the query's terms,
// typo candidates and prefixes (from plan()).
export function matcher(plans) {
  var exact = new Set(), prefixes = [];
  plans.forEach(function (p) {
    if (p.clause.negated) return;
    p.alternatives.forEach(function (a) {
      a.words.forEach(function (t) { exact.add(t); });
      if (a.whole !== null) exact.add(a.whole);
    });
    (p.candidates || []).forEach(function (t) { exact.add(t); });
    p.prefixes.forEach(function (t) { prefixes.push(t); });
  });
  // 2: the term itself, 1: a prefix of it, 0: no match.
  return function (term) {
    if (exact.has(term)) return 2;
    for (var k = 0; k < prefixes.length; k++) if (term.startsWith(prefixes[k])) return 1;
    return 0;
  };
}
// The tokens of `text` to mark, in order and never overlapping: a compound's whole token when
// it matches as a word, else its matching sub-words (typing `pgbouncer` marks `pgbouncer` in
// `pgbouncer-config.ini`, not the whole name), else the whole when only it matches a prefix.
export function toMark(text, isMatch) {
  var tokens = tokenize(text), out = [], end = 0;
  for (var i = 0; i < tokens.length; i++) {
    var t = tokens[i];
    if (t.start < end) continue;
    var m = isMatch(t.term);
    if (!m) continue;
    if (t.whole && m === 1) {
      var inner = false;
      for (var j = i + 1; j < tokens.length && tokens[j].start < t.end; j++) if (isMatch(tokens[j].term)) inner = true;
      if (inner) continue;
    }
    out.push(t);
    end = t.end;
  }
  return out;
}
// A window of about `width` characters around the first match, matches in <mark>, HTML-escaped.
export function excerpt(text, isMatch, width) {
  width = width || 180;
  var marks = toMark(text, isMatch);
  var first = marks.length ? marks[0].start : -1;
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
  for (var k = 0; k < marks.length; k++) {
    var m = marks[k];
    if (m.start < start) continue;
    if (m.end > end) break;
    out += clean(text.slice(at, m.start)) + "<mark>" + clean(text.slice(m.start, m.end)) + "</mark>";
    at = m.end;
  }
  out += clean(text.slice(at, end)) + (end < text.length ? " …" : "");
  return out;
}
