// Runs the theme's search engine (assets/search.js) under Node against a built site, without a
// browser: `node engine.mjs SITE_DIR < requests.json` prints one JSON answer per request.
// Requests: [{"query": "...", "filters": [["kind", "runbook"]], "limit": 3}] or
// {"stem": ["word", ...]} to stem words, or {"analyze": ["text", ...]} for token streams.
// Each search answer lists the index files it fetched (`fetched`).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const site = process.argv[2];
const context = vm.createContext({ console, Math, Promise, Map, Set, URLSearchParams, atob, Blob, Response, DecompressionStream });
context.window = context;
const searchDir = path.join(site, "assets", "search");
vm.runInContext(fs.readFileSync(path.join(site, "assets", "search.js"), "utf8"), context, { filename: "search.js" });
const F = context.folioSearch;
let fetched = [];
F.readFile = (key, reject) => {
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
};

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
      approximate: page.approximate,
      ms,
      fetched,
      results: page.results.map((x) => ({ url: x.url, title: x.title, heading: x.heading, score: x.score, excerpt: x.excerpt })),
    });
  } catch (e) {
    answers.push({ error: e.message || String(e), column: e.column ?? null });
  }
}
process.stdout.write(JSON.stringify(answers));
