// The query language, as src/search/query.rs parses it: words, "phrases", -exclusions,
// field:value filters and the last word as a type-ahead prefix.
import { lower } from "./tokenize.js";

const FILTER_FIELDS = ["kind", "status", "tag", "tags", "owner", "section"];
// A malformed query: `column` counts characters from 1.
export function QueryError(column, message) { this.column = column; this.message = message; }
// The clauses and filters of `input`; `extra` filters ([field, value]) come from the search box.
export function parse(input, extra) {
  var chars = Array.from(input);
  var q = { clauses: [], filters: (extra || []).map(function (f) { return [f[0], lower(f[1])]; }),
    prefixLast: !/\s$/.test(input) };
  var i = 0;
  var isSpace = function (c) { return /\s/.test(c); };
  while (i < chars.length) {
    if (isSpace(chars[i])) { i++; continue; }
    var start = i;
    // `-word` excludes; `--dry-run` is a command-line flag to look for.
    var negated = chars[i] === "-" && i + 1 < chars.length && !isSpace(chars[i + 1]) && chars[i + 1] !== "-";
    if (negated) i++;
    if (chars[i] === '"') {
      var close = chars.indexOf('"', i + 1);
      if (close < 0) throw new QueryError(i + 1, "this quote is never closed: add a closing `\"`");
      var text = chars.slice(i + 1, close).join("");
      if (!text.trim()) throw new QueryError(i + 1, "empty phrase `\"\"`");
      q.clauses.push({ phrase: true, text: text.trim(), negated: negated });
      i = close + 1;
      continue;
    }
    var end = i;
    while (end < chars.length && !isSpace(chars[end])) end++;
    var colon = chars.slice(i, end).indexOf(":");
    if (colon >= 0 && chars[i + colon + 1] === '"') {
      var open = i + colon + 1;
      var closing = chars.indexOf('"', open + 1);
      if (closing < 0) throw new QueryError(open + 1, "this quote is never closed: add a closing `\"`");
      end = closing + 1;
    }
    var word = chars.slice(i, end).join("");
    i = end;
    var c = word.indexOf(":");
    if (c >= 0) {
      var field = word.slice(0, c);
      var value = word.slice(c + 1).replace(/^"+|"+$/g, "");
      var fieldL = lower(field);
      if (FILTER_FIELDS.indexOf(fieldL) >= 0) {
        if (negated) throw new QueryError(start + 1, "filters cannot be excluded: remove the `-` before `" + field + ":`");
        if (!value) throw new QueryError(start + Array.from(field).length + 2, "`" + field + ":` needs a value");
        q.filters.push([fieldL === "tags" ? "tag" : fieldL, lower(value)]);
        continue;
      }
    }
    q.clauses.push({ phrase: false, text: word, negated: negated });
  }
  var positives = q.clauses.filter(function (c) { return !c.negated; }).length;
  if (q.clauses.length && !positives && !q.filters.length) {
    throw new QueryError(1, "a query needs at least one word to look for, not only exclusions");
  }
  if (!q.clauses.length && !q.filters.length) throw new QueryError(1, "the query is empty");
  var last = q.clauses[q.clauses.length - 1];
  q.prefixLast = q.prefixLast && !!last && !last.phrase && !last.negated;
  return q;
}
