// Text analysis: the same tokens, lowercase and English (Snowball) stems as the Rust analyzer.
import { stem } from "./stem.js";

function utf8Length(s) {
  var n = 0;
  for (var i = 0; i < s.length; i++) {
    var c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}
export function lower(s) {
  // Character by character, as tantivy's LowerCaser does (no context-dependent sigma).
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  var out = "";
  for (var ch of s) out += ch.toLowerCase();
  return out;
}
// Letters and digits of any script form words; Han, kana and Hangul are one token per character.
const RUN = /[\p{Alphabetic}\p{N}]+/gu;
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
const CJK_SPLIT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]+/gu;
// Terms by raw token, as analysing is the costly part.
const analysed = new Map();
function termOf(raw) {
  var t = analysed.get(raw);
  if (t === undefined) {
    t = stem(lower(raw));
    if (analysed.size > 50000) analysed.clear();
    analysed.set(raw, t);
  }
  return t;
}
// Calls fn(term, start, end, position) for each token of `text` from UTF-16 offset `from`
// (positions then count from there); stops when fn returns true.
export function eachToken(text, fn, from) {
  var pos = -1;
  var m;
  RUN.lastIndex = from || 0;
  while ((m = RUN.exec(text)) !== null) {
    var parts = CJK.test(m[0]) ? m[0].match(CJK_SPLIT) : [m[0]];
    var at = m.index;
    for (var k = 0; k < parts.length; k++) {
      var raw = parts[k];
      pos++;
      if (!(raw.length >= 16 && utf8Length(raw) >= 48) && fn(termOf(raw), at, at + raw.length, pos)) return;
      at += raw.length;
    }
  }
}
// Tokens of `text`: {term, start, end, pos} with UTF-16 offsets. Long tokens (48 bytes or more)
// are dropped but keep their position, as in the Rust analyzer.
export function tokenize(text) {
  var out = [];
  eachToken(text, function (term, start, end, pos) { out.push({ term: term, start: start, end: end, pos: pos }); });
  return out;
}
// The terms of `text`, in order.
export function terms(text) {
  return tokenize(text).map(function (t) { return t.term; });
}
