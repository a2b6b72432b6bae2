// Text analysis, rule for rule as src/search/tokenizer.rs (see its header): words of letters and
// digits, one token per CJK character; compounds joined by `_`, `-` or `.` and split at case
// changes (acronyms kept), indexed whole (not stemmed, marked `!`) and as sub-words (stemmed); lowercase
// per character, Latin/Greek/Cyrillic diacritics folded, English (Snowball) stems; tokens over
// 255 UTF-8 bytes left out but counted in positions.
import { stem } from "./stem.js";

const MAX_TOKEN_BYTES = 255;
const ALNUM = /[\p{Alphabetic}\p{N}]/u;
const UPPER = /\p{Uppercase}/u;
const LOWER = /\p{Lowercase}/u;
const NUMERIC = /\p{N}/u;

function utf8Length(s) {
  var n = 0;
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}
function isCjk(cp) {
  return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2ffff);
}
function isAlnum(cp) {
  if (cp < 0x80) return (cp >= 48 && cp <= 57) || (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122);
  return ALNUM.test(String.fromCodePoint(cp));
}
function isWordChar(cp) { return isAlnum(cp) && !isCjk(cp); }
function isUpper(ch) { return ch.length === 1 && ch < "\x80" ? ch >= "A" && ch <= "Z" : UPPER.test(ch); }
function isLower(ch) { return ch.length === 1 && ch < "\x80" ? ch >= "a" && ch <= "z" : LOWER.test(ch); }
function isNumeric(ch) { return ch.length === 1 && ch < "\x80" ? ch >= "0" && ch <= "9" : NUMERIC.test(ch); }

// Lowercase character by character (as tantivy's LowerCaser did and the Rust side does), then
// fold the diacritics of Latin, Greek and Cyrillic letters.
export function lower(s) {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  var out = "";
  for (var ch of s) {
    for (var l of ch.toLowerCase()) {
      var cp = l.codePointAt(0);
      out += (cp >= 0xc0 && cp <= 0x52f) || (cp >= 0x1e00 && cp <= 0x1fff)
        ? l.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : l;
    }
  }
  return out;
}

// Terms by token text, as analysing is the costly part (whole compounds and words differ in
// their text, so the text is the key).
const analysed = new Map();
function termOf(raw, whole) {
  var key = (whole ? "w" : "s") + raw;
  var t = analysed.get(key);
  if (t === undefined) {
    t = whole ? "!" + lower(raw) : stem(lower(raw));  // `whole`: joined with _ - .
    if (analysed.size > 50000) analysed.clear();
    analysed.set(key, t);
  }
  return t;
}

// The sub-words of one word (UTF-16 offsets from `base`): split where the case changes or an
// acronym ends, never before a lone plural `s`.
function splitCase(word, base, out) {
  if (!/[^a-z0-9]/.test(word)) { out.push([base, base + word.length]); return; }
  var chars = [], offsets = [], o = 0;
  for (var ch of word) { chars.push(ch); offsets.push(o); o += ch.length; }
  var from = 0;
  for (var j = 1; j < chars.length; j++) {
    var prev = chars[j - 1], cur = chars[j];
    if (!isUpper(cur)) continue;
    var split = isLower(prev) || isNumeric(prev);
    if (!split && isUpper(prev)) {
      var run = 0;
      for (var k = j + 1; k < chars.length && isLower(chars[k]); k++) run++;
      split = run >= 2;
    }
    if (split) {
      out.push([base + offsets[from], base + offsets[j]]);
      from = j;
    }
  }
  out.push([base + offsets[from], base + word.length]);
}

// Calls fn(term, start, end, position, whole) for each token of `text` from UTF-16 offset
// `from` (positions then count from there), a compound's whole token before its sub-words;
// stops when fn returns true.
export function eachToken(text, fn, from) {
  var n = text.length, i = from || 0, pos = 0;
  while (i < n) {
    var cp = text.codePointAt(i);
    if (!isAlnum(cp)) { i += cp > 0xffff ? 2 : 1; continue; }
    var start = i;
    i += cp > 0xffff ? 2 : 1;
    var subs = [];
    if (isCjk(cp)) {
      subs.push([start, i]);
    } else {
      for (;;) {
        while (i < n) {
          cp = text.codePointAt(i);
          if (!isWordChar(cp)) break;
          i += cp > 0xffff ? 2 : 1;
        }
        var c = text.charCodeAt(i);
        if (i + 1 < n && (c === 95 || c === 45 || c === 46) && isWordChar(text.codePointAt(i + 1))) { i++; continue; }
        break;
      }
      var w = start;
      while (w < i) {
        var wc = text.codePointAt(w);
        if (!isWordChar(wc)) { w += wc > 0xffff ? 2 : 1; continue; }
        var ws = w;
        while (w < i && isWordChar(text.codePointAt(w))) w += text.codePointAt(w) > 0xffff ? 2 : 1;
        splitCase(text.slice(ws, w), ws, subs);
      }
    }
    if (subs.length >= 2) {
      var whole = text.slice(start, i);
      // A CamelCase whole is a word (stemmed); one joined with `_`, `-` or `.` is marked `!`.
      var joined = /[_.\-]/.test(whole);
      if (utf8Length(whole) <= MAX_TOKEN_BYTES && fn(termOf(whole, joined), start, i, pos, true)) return;
    }
    for (var k = 0; k < subs.length; k++) {
      var raw = text.slice(subs[k][0], subs[k][1]);
      if (!(raw.length >= 64 && utf8Length(raw) > MAX_TOKEN_BYTES) &&
        fn(termOf(raw, false), subs[k][0], subs[k][1], pos + k, false)) return;
    }
    pos += subs.length;
  }
}
// Tokens of `text`: {term, start, end, pos, whole} with UTF-16 offsets.
export function tokenize(text) {
  var out = [];
  eachToken(text, function (term, start, end, pos, whole) {
    out.push({ term: term, start: start, end: end, pos: pos, whole: whole });
  });
  return out;
}
// The terms of `text`, in order.
export function terms(text) {
  return tokenize(text).map(function (t) { return t.term; });
}
// How a query word searches, as word_terms() in Rust: the sub-words (one per position) and the
// whole term when the word is one compound of several sub-words.
export function wordTerms(text) {
  var ts = tokenize(text);
  var wholes = ts.filter(function (t) { return t.whole; });
  var words = ts.filter(function (t) { return !t.whole; }).map(function (t) { return t.term; });
  var single = wholes.length === 1 && ts.every(function (t) {
    return t.whole || (t.start >= wholes[0].start && t.end <= wholes[0].end);
  });
  return { words: words, whole: single ? wholes[0].term : null };
}
