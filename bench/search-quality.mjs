// The measuring half of bench/search-quality.sh (read its header first): alert queries against a
// built synthetic corpus, through `folio search` and through the browser engine under Node.
//
// Usage: node bench/search-quality.mjs SITE_ROOT OUTPUT_DIR
// Environment (all set by the shell script): FOLIO (binary), ENGINE (tests/browser/engine.mjs or
// an older copy), JOBS (parallel `folio search` processes), SEED, LATENCY_RUNS, BYTES_QUERIES,
// SUMMARY (write the figures as JSON there), BASELINE (a SUMMARY of an earlier run: adds the
// byte-budget goals). Prints the report on stdout; exits 1 when a goal is missed.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [site, output] = process.argv.slice(2);
if (!site || !output) {
  console.error("usage: node bench/search-quality.mjs SITE_ROOT OUTPUT_DIR");
  process.exit(2);
}
const FOLIO = process.env.FOLIO || "folio";
const ENGINE = path.resolve(process.env.ENGINE || "tests/browser/engine.mjs");
const JOBS = Math.max(1, Number(process.env.JOBS) || 2);
const SEED = process.env.SEED || "folio-search-quality";
const LATENCY_RUNS = Number(process.env.LATENCY_RUNS ?? 50);
const BYTES_QUERIES = Number(process.env.BYTES_QUERIES ?? 50);
const LIMIT = 10;
const say = (s) => process.stderr.write(`bench: ${s}\n`);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: every decision draws from a stream named after what it is for.

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, "utf8")) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/// mulberry32 seeded from SEED and `name`: uniform integers below n.
function stream(name) {
  let a = fnv1a(`${SEED}\u0000${name}`);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { below: (n) => Math.floor(next() * n) };
}

function shuffled(items, name) {
  const r = stream(name);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.below(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The alerts: every (alert name, runbook URL) pair, read from the corpus's front matter.

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith(".md")) out.push(p);
  }
  return out;
}

/// The page URL Folio gives a content file (`a/b/page-0001.md` -> `a/b/page-0001/`).
function pageUrl(rel) {
  const noExt = rel.replace(/\.md$/, "");
  if (noExt === "_index" || noExt === "index") return "";
  if (/(^|\/)(_index|index)$/.test(noExt)) return noExt.replace(/(_index|index)$/, "");
  return noExt + "/";
}

function readAlerts() {
  const content = path.join(site, "content");
  const alerts = [];
  const seen = new Map();
  let runbooks = 0;
  for (const file of walk(content)) {
    const text = fs.readFileSync(file, "utf8");
    const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
    if (!m || !/^kind:\s*runbook\s*$/im.test(m[1])) continue;
    const line = /^alerts?:\s*(.*)$/m.exec(m[1]);
    if (!line) continue;
    const value = line[1].trim();
    const names = (value.startsWith("[") ? value.slice(1, -1).split(",") : [value])
      .map((s) => s.trim().replace(/^["']|["']$/g, ""))
      .filter(Boolean);
    const rel = path.relative(content, file).split(path.sep).join("/");
    const url = pageUrl(rel);
    if (!fs.existsSync(path.join(output, url, "index.html"))) {
      throw new Error(`${rel}: expected its page at ${path.join(output, url, "index.html")}`);
    }
    runbooks++;
    for (const name of names) {
      const key = name.toLowerCase();
      if (seen.has(key)) throw new Error(`alert ${name} is on two runbooks: ${seen.get(key)} and ${rel}`);
      seen.set(key, rel);
      alerts.push({ name, url });
    }
  }
  return { alerts, runbooks };
}

// ---------------------------------------------------------------------------------------------
// Query sets.

/// An identifier's words: CamelCase with acronyms (`OVNKubernetes` -> OVN, Kubernetes; digits
/// stay with what precedes them: `V4Subnet` -> V4, Subnet), snake_case, kebab-case, dots.
function words(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

// Neighbouring keys on a QWERTY keyboard, for substitutions and insertions a thumb would make.
const ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
function neighbours(ch) {
  for (let r = 0; r < ROWS.length; r++) {
    const c = ROWS[r].indexOf(ch);
    if (c < 0) continue;
    const out = [];
    for (const [dr, dc] of [[0, -1], [0, 1], [-1, 0], [-1, 1], [1, -1], [1, 0]]) {
      const k = ROWS[r + dr]?.[c + dc];
      if (k) out.push(k);
    }
    return out;
  }
  return ["e"];
}

/// One edit (deletion, insertion, substitution or adjacent transposition) in one seeded word of
/// 5+ letters. A deletion is made only in a word of 6+ letters, so the typed word still has 5+
/// and the "one edit for words of 5+ characters" rule applies whichever word it is read from.
/// Returns null when the name has no such word.
function typo(ws, name) {
  const r = stream(`typo ${name}`);
  const candidates = ws.map((w, i) => i).filter((i) => /^[a-z]{5,}$/.test(ws[i]));
  if (!candidates.length) return null;
  const i = candidates[r.below(candidates.length)];
  const w = ws[i];
  const ops = ["insert", "substitute", "transpose"];
  if (w.length >= 6) ops.push("delete");
  const op = ops[r.below(ops.length)];
  let typed;
  if (op === "delete") {
    const at = r.below(w.length);
    typed = w.slice(0, at) + w.slice(at + 1);
  } else if (op === "insert") {
    const at = r.below(w.length + 1);
    const near = neighbours(w[Math.min(at, w.length - 1)]);
    typed = w.slice(0, at) + near[r.below(near.length)] + w.slice(at);
  } else if (op === "substitute") {
    const at = r.below(w.length);
    const near = neighbours(w[at]).filter((k) => k !== w[at]);
    typed = w.slice(0, at) + near[r.below(near.length)] + w.slice(at + 1);
  } else {
    const spots = [...Array(w.length - 1).keys()].filter((k) => w[k] !== w[k + 1]);
    const at = spots[r.below(spots.length)];
    typed = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
  }
  const out = ws.slice();
  out[i] = typed;
  return { query: out.join(" "), edit: `${op} ${w} -> ${typed}` };
}

const SETS = ["exact", "words", "typo"];

function querySets(alerts) {
  const queries = [];
  let noTypo = 0;
  for (const a of alerts) {
    const ws = words(a.name);
    queries.push({ set: "exact", query: a.name, alert: a });
    queries.push({ set: "words", query: ws.join(" "), alert: a });
    const t = typo(ws, a.name);
    if (t) queries.push({ set: "typo", query: t.query, edit: t.edit, alert: a });
    else noTypo++;
  }
  return { queries, noTypo };
}

// ---------------------------------------------------------------------------------------------
// Running the engines.

/// Both engines' URLs the same way: no leading `./` or `/`, no `index.html`, no `?query`.
function normalise(url) {
  let [base, fragment] = String(url).split("#", 2);
  base = base.replace(/\?.*$/, "").replace(/^\.?\//, "").replace(/(^|\/)index\.html$/, "$1");
  return fragment === undefined ? base : `${base}#${fragment}`;
}
const withoutFragment = (url) => url.split("#", 1)[0];

/// The result list of a `folio search --format json` answer: an array of hits, or (newer
/// builds) an object holding them under `results` or `hits`.
function folioResults(json) {
  if (Array.isArray(json)) return json;
  return json.results || json.hits || [];
}

function folioSearch(query) {
  return new Promise((resolve) => {
    const started = performance.now();
    const args = ["search", "--format", "json", "--limit", String(LIMIT), "--root", site, "--", query];
    execFile(FOLIO, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const ms = performance.now() - started;
      if (err) return resolve({ ms, error: (stderr || err.message).trim().split("\n").pop(), urls: [] });
      try {
        resolve({ ms, urls: folioResults(JSON.parse(stdout)).map((h) => normalise(h.url)) });
      } catch (e) {
        resolve({ ms, error: `bad JSON: ${e.message}`, urls: [] });
      }
    });
  });
}

async function inPool(items, jobs, fn, label) {
  const out = new Array(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
        if (label && ++done % 200 === 0) say(`${label}: ${done}/${items.length}`);
      }
    }),
  );
  return out;
}

/// Runs `node ENGINE OUTPUT_DIR` over `requests`; resolves to its answers.
function engine(requests) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENGINE, output], { stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${ENGINE} exited ${code}: ${Buffer.concat(err).toString()}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")));
      } catch (e) {
        reject(new Error(`${ENGINE}: bad JSON: ${e.message}`));
      }
    });
    child.stdin.end(JSON.stringify(requests));
  });
}

// ---------------------------------------------------------------------------------------------
// Figures.

function quantile(values, q) {
  if (!values.length) return NaN;
  const s = values.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
const median = (v) => quantile(v, 0.5);

function quality(queries, answers) {
  const by = {};
  for (const set of SETS) by[set] = { queries: 0, hit1: 0, hit3: 0, rr: 0, none: 0, errors: 0, misses: [] };
  queries.forEach((q, i) => {
    const a = answers[i];
    const s = by[q.set];
    s.queries++;
    if (a.error) s.errors++;
    if (!a.urls.length) s.none++;
    const rank = a.urls.findIndex((u) => withoutFragment(u) === q.alert.url) + 1;
    if (rank === 1) s.hit1++;
    if (rank >= 1 && rank <= 3) s.hit3++;
    if (rank >= 1) s.rr += 1 / rank;
    if (rank < 1 || rank > 3) {
      s.misses.push({ query: q.query, runbook: q.alert.url, rank: rank || null, top: a.urls.slice(0, 3), error: a.error });
    }
  });
  for (const s of Object.values(by)) {
    s.hit1Pct = (100 * s.hit1) / (s.queries || 1);
    s.hit3Pct = (100 * s.hit3) / (s.queries || 1);
    s.mrr = s.rr / (s.queries || 1);
  }
  return by;
}

function gzipSize(file) {
  return zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;
}

/// The search script the built pages load (`data-script` of the search box), without `?v=`.
function searchScript() {
  const html = fs.readFileSync(path.join(output, "index.html"), "utf8");
  const m = /data-script="([^"]+)"/.exec(html);
  if (!m) throw new Error("no data-script on the search box of index.html");
  const rel = m[1].replace(/&#x2F;/gi, "/").replace(/&amp;/g, "&").replace(/\?.*$/, "").replace(/^\.\//, "");
  return path.join(output, rel);
}

function dirBytes(dir) {
  let raw = 0;
  let gz = 0;
  let files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const d = dirBytes(p);
      raw += d.raw;
      gz += d.gz;
      files += d.files;
    } else {
      raw += fs.statSync(p).size;
      gz += gzipSize(p);
      files++;
    }
  }
  return { raw, gz, files };
}

// ---------------------------------------------------------------------------------------------

const { alerts, runbooks } = readAlerts();
const { queries, noTypo } = querySets(alerts);
const pages = walk(path.join(site, "content")).filter((f) => !/(^|\/)_index\.md$/.test(f)).length;
say(`${pages} pages, ${runbooks} runbooks, ${alerts.length} alerts, ${queries.length} queries`);

// folio search: one process a query (the first call creates the tantivy index under the site).
say(`folio search: creating its index (${FOLIO})`);
await folioSearch("warm up");
const folioAnswers = await inPool(queries, JOBS, (q) => folioSearch(q.query), `folio search (${JOBS} at a time)`);
const latencySample = shuffled(queries, "latency").slice(0, LATENCY_RUNS);
say(`folio search: ${latencySample.length} calls one at a time for latency`);
const folioMs = [];
for (const q of latencySample) folioMs.push((await folioSearch(q.query)).ms);

// The browser engine: every query in one process, then first queries in fresh processes.
say(`browser engine: ${queries.length} queries in one process (${ENGINE})`);
const raw = await engine(queries.map((q) => ({ query: q.query, limit: LIMIT })));
const engineAnswers = raw.map((a) =>
  a.error ? { error: a.error, urls: [] } : { ms: a.ms, urls: (a.results || []).map((r) => normalise(r.url)) },
);
const engineMs = engineAnswers.filter((a) => !a.error).map((a) => a.ms);

const script = searchScript();
const scriptRaw = fs.statSync(script).size;
const scriptGz = gzipSize(script);
const vocabulary = [...new Set(alerts.flatMap((a) => words(a.name)).filter((w) => /^[a-z]{3,}$/.test(w)))].sort();
const oneWord = shuffled(vocabulary, "first-query words").slice(0, BYTES_QUERIES);
say(`browser engine: ${oneWord.length} first queries, a fresh process each`);
const searchDir = path.join(output, "_folio", "search");
const sizes = new Map();
const firsts = await inPool(oneWord, JOBS, async (w) => {
  const [a] = await engine([{ query: w, limit: LIMIT }]);
  if (a.error) throw new Error(`first query ${w}: ${a.error}`);
  let bytes = scriptRaw;
  let gz = scriptGz;
  for (const key of new Set(a.fetched)) {
    const file = path.join(searchDir, `${key}.js`);
    if (!sizes.has(file)) sizes.set(file, [fs.statSync(file).size, gzipSize(file)]);
    bytes += sizes.get(file)[0];
    gz += sizes.get(file)[1];
  }
  return { word: w, bytes, gz, files: new Set(a.fetched).size, ms: a.ms };
});
const index = dirBytes(searchDir);

const folioQ = quality(queries, folioAnswers);
const engineQ = quality(queries, engineAnswers);
const differ = [];
queries.forEach((q, i) => {
  const a = folioAnswers[i].urls;
  const b = engineAnswers[i].urls;
  if (a.length !== b.length || a.some((u, k) => u !== b[k])) differ.push({ q, folio: a, browser: b });
});

// ---------------------------------------------------------------------------------------------
// Report.

const pct = (x) => `${x.toFixed(1)}%`;
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x) => (x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

const summary = {
  pages,
  runbooks,
  alerts: alerts.length,
  queries: queries.length,
  noTypo,
  folio: FOLIO,
  engine: ENGINE,
  quality: { folio: folioQ, browser: engineQ },
  agree: queries.length - differ.length,
  latency: {
    folio: { runs: folioMs.length, median: median(folioMs), p95: quantile(folioMs, 0.95) },
    browser: { runs: engineMs.length, median: median(engineMs), p95: quantile(engineMs, 0.95) },
  },
  firstQuery: {
    queries: firsts.length,
    script: { raw: scriptRaw, gz: scriptGz },
    raw: { median: median(firsts.map((f) => f.bytes)), max: Math.max(...firsts.map((f) => f.bytes)) },
    gz: { median: median(firsts.map((f) => f.gz)), max: Math.max(...firsts.map((f) => f.gz)) },
    files: { median: median(firsts.map((f) => f.files)), max: Math.max(...firsts.map((f) => f.files)) },
    ms: { median: median(firsts.map((f) => f.ms)), max: Math.max(...firsts.map((f) => f.ms)) },
  },
  index,
};

console.log(
  `search quality: ${pages} pages, ${runbooks} runbooks, ${alerts.length} alerts, ${queries.length} queries` +
    (noTypo ? ` (${noTypo} alerts have no word of 5+ letters for a typo)` : ""),
);
console.log(`folio: ${FOLIO}\nengine: ${ENGINE}\n`);
const rows = [["engine", "set", "queries", "hit@1", "hit@3", "MRR@10", "no results", "errors"]];
for (const [name, q] of [["folio search", folioQ], ["browser", engineQ]]) {
  for (const set of SETS) {
    const s = q[set];
    rows.push([name, set, s.queries, pct(s.hit1Pct), pct(s.hit3Pct), s.mrr.toFixed(3), s.none, s.errors]);
  }
}
console.log(table(rows) + "\n");
let missLines = 0;
for (const set of SETS) {
  const m = folioQ[set].misses;
  if (!m.length) continue;
  missLines++;
  const shown = m.slice(0, 3).map((x) => `"${x.query}" (${x.rank ? `rank ${x.rank}` : x.top.length ? "not in top 10" : "no results"})`);
  console.log(`${set}: ${m.length} not in folio search's top 3, e.g. ${shown.join(", ")}`);
}
if (missLines) console.log("");
console.log(`engines agree (same top-${LIMIT} URLs, in order): ${summary.agree}/${queries.length} queries`);
for (const d of differ.slice(0, 5)) {
  console.log(`  ${d.q.set} "${d.q.query}":`);
  console.log(`    folio search: ${d.folio.slice(0, 3).join(" ") || "(none)"}${d.folio.length > 3 ? " …" : ""}`);
  console.log(`    browser:      ${d.browser.slice(0, 3).join(" ") || "(none)"}${d.browser.length > 3 ? " …" : ""}`);
}
const L = summary.latency;
const F = summary.firstQuery;
console.log(
  "\n" +
    table([
      ["latency", "median", "p95", "over"],
      ["folio search (process wall time)", ms(L.folio.median), ms(L.folio.p95), `${L.folio.runs} calls, one at a time`],
      ["browser engine (its `ms`)", ms(L.browser.median), ms(L.browser.p95), `${L.browser.runs} queries, one process`],
      ["browser engine, first query", ms(F.ms.median), ms(F.ms.max) + " (max)", `${F.queries} fresh processes`],
    ]),
);
console.log(
  `\nfirst query (${F.queries} one-word queries, a fresh engine each; ${path.relative(output, script)} ` +
    `${kb(scriptRaw)}, ${kb(scriptGz)} gzipped, + the index files fetched):\n` +
    table([
      ["bytes", "median", "max"],
      ["uncompressed", kb(F.raw.median), kb(F.raw.max)],
      ["gzipped (each file)", kb(F.gz.median), kb(F.gz.max)],
      ["index files fetched", F.files.median, F.files.max],
    ]),
);
console.log(
  `index: ${path.relative(output, searchDir)}/ ${(index.raw / 1e6).toFixed(2)} MB in ${index.files} files ` +
    `(${(index.gz / 1e6).toFixed(2)} MB gzipped file by file)`,
);

// Goals.
const goals = [];
const both = (set, key) => `folio ${pct(folioQ[set][key])}, browser ${pct(engineQ[set][key])}`;
const holds = (set, key, min) => folioQ[set][key] >= min && engineQ[set][key] >= min;
goals.push(["exact name: runbook at rank 1 = 100%", both("exact", "hit1Pct"), holds("exact", "hit1Pct", 100)]);
goals.push(["words, lower case: top 3 >= 95%", both("words", "hit3Pct"), holds("words", "hit3Pct", 95)]);
goals.push(["one typo: top 3 >= 90%", both("typo", "hit3Pct"), holds("typo", "hit3Pct", 90)]);
goals.push(["engines agree on every query", `${summary.agree}/${queries.length}`, differ.length === 0]);
if (process.env.BASELINE) {
  const base = JSON.parse(fs.readFileSync(process.env.BASELINE, "utf8"));
  if (base.pages !== pages) {
    console.log(`\nbaseline ${process.env.BASELINE} is of ${base.pages} pages, not ${pages}: byte goals skipped`);
  } else {
    const b = base.firstQuery.raw;
    goals.push([
      "first-query bytes <= baseline + 10%",
      `median ${kb(F.raw.median)} (was ${kb(b.median)}), max ${kb(F.raw.max)} (was ${kb(b.max)})`,
      F.raw.median <= 1.1 * b.median && F.raw.max <= 1.1 * b.max,
    ]);
    goals.push([
      "index <= baseline + 25%",
      `${(index.raw / 1e6).toFixed(2)} MB (was ${(base.index.raw / 1e6).toFixed(2)} MB)`,
      index.raw <= 1.25 * base.index.raw,
    ]);
  }
}
console.log("\n" + table([["goal", "result", ""], ...goals.map(([g, r, ok]) => [g, r, ok ? "PASS" : "FAIL"])]));
summary.goals = goals.map(([goal, result, ok]) => ({ goal, result, ok }));
summary.differ = differ.slice(0, 20).map((d) => ({ set: d.q.set, query: d.q.query, folio: d.folio, browser: d.browser }));
if (process.env.SUMMARY) fs.writeFileSync(process.env.SUMMARY, JSON.stringify(summary, null, 2) + "\n");
process.exit(goals.every(([, , ok]) => ok) ? 0 : 1);
