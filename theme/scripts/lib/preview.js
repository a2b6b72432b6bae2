// Under `folio serve` the server answers queries from its tantivy index (always current, no
// static index to rebuild on every save): the same results as the engine's search(), fetched per
// query from `url` (window.folioPreview.search).
import { parse, QueryError } from "./query.js";
import { matcher, excerpt } from "./excerpt.js";
import { plan } from "./engine.js";

export async function previewSearch(url, text, options) {
  var from = (options && options.offset) || 0;
  var limit = (options && options.limit) || 10;
  var params = new URLSearchParams();
  params.set("q", text);
  params.set("limit", String(from + limit));
  ((options && options.filters) || []).forEach(function (f) { params.set(f[0] === "tags" ? "tag" : f[0], f[1]); });
  var response = await fetch(url + "?" + params.toString());
  var body = await response.json();
  if (response.status === 400) throw new QueryError(body.column || 1, body.error);
  if (!response.ok) throw new Error(body.error || "search failed");
  var isMatch = matcher(plan(parse(text)));
  return { total: body.total, partial: body.partial, approximate: false, suggestions: body.suggestions || [],
    results: body.results.slice(from, from + limit).map(function (h) {
      return { score: h.score, match: h.match, title: h.title, heading: h.heading, url: h.url, text: h.snippet,
        excerpt: excerpt(h.snippet, isMatch) };
    }) };
}

// The filter values with their counts, as filterValues() gives them for the static index.
export function previewFilters(url) {
  return fetch(url + "/filters").then(function (r) { return r.json(); });
}
