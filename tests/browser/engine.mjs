// Runs the theme's search engine under Node against a built site, without a browser:
// `node engine.mjs SITE_DIR < requests.json` prints one JSON answer per request.
// Requests: [{"query": "...", "filters": [["kind", "runbook"]], "limit": 3}] or
// {"stem": ["word", ...]} to stem words, or {"analyze": ["text", ...]} for token streams.
// Each search answer lists the index files it fetched (`fetched`).
//
// The engine is imported from the theme's own modules (theme/scripts/lib/), the very files the
// browser runs bundled in _folio/search.js; only the site's index files (_folio/search/) are read
// from the build, and run as the scripts they are, calling back into `folioSearch`.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { install } from "../../theme/scripts/lib/engine.js";

const site = process.argv[2];
const searchDir = path.join(site, "_folio", "search");
// Index files see only `folioSearch`.
const context = vm.createContext({});
let fetched = [];
const F = install(context, (key, reject) => {
  fetched.push(key);
  const file = path.join(searchDir, key + ".js");
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    reject(new Error("missing " + file));
    return;
  }
  // Asynchronous, like a script tag.
  setTimeout(() => vm.runInContext(text, context, { filename: file }), 0);
});

const requests = JSON.parse(fs.readFileSync(0, "utf8"));
const answers = [];
for (const r of requests) {
  if (r.stem) {
    answers.push(r.stem.map((w) => F.stem(w)));
    continue;
  }
  if (r.analyze) {
    answers.push(r.analyze.map((t) => Array.from(F.analyze(t))));
    continue;
  }
  try {
    fetched = [];
    const started = performance.now();
    const page = await F.search(r.query, { filters: r.filters || [], limit: r.limit || 10 });
    const ms = performance.now() - started;
    answers.push({
      total: page.total,
      partial: page.partial,
      suggestions: page.suggestions,
      approximate: page.approximate,
      ms,
      fetched,
      results: page.results.map((x) => ({ url: x.url, title: x.title, heading: x.heading, score: x.score, match: x.match, excerpt: x.excerpt, updated: x.updated })),
    });
  } catch (e) {
    answers.push({ error: e.message || String(e), column: e.column ?? null });
  }
}
process.stdout.write(JSON.stringify(answers));
