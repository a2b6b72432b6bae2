// The search engine, as `folio search` (tantivy) ranks: every word must match, BM25 with title
// and heading boosts, "phrases", -exclusions, field:value filters, the last word as a prefix, one
// typo forgiven in words of five letters or more. No DOM: install() hands it to a global object
// (`folioSearch`, which the index files call back into) with the reader of index files.
import { lower, terms } from "./tokenize.js";
import { stem } from "./stem.js";
import { parse, QueryError } from "./query.js";
import {
  callbacks, store, load, setReadFile, setBase, indexMeta, chunkOf, isSplit, postings, positionsOf, prefixChunks,
  termsWithPrefix, filterDocs,
} from "./index-files.js";
import { BOOSTS, PREFIX_FACTOR, idf, bm25Weight, bm25, Scores, add } from "./bm25.js";
import { matcher, excerpt } from "./excerpt.js";

const fround = Math.fround;

// Restricted Damerau-Levenshtein distance <= 1 (a transposition counts as one edit).
const SURROGATE = /[\ud800-\udfff]/;
function withinOneEdit(a, b) {
  var astral = SURROGATE.test(a) || SURROGATE.test(b);
  var x = astral ? Array.from(a) : a, y = astral ? Array.from(b) : b;
  if (Math.abs(x.length - y.length) > 1) return false;
  var i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (i === x.length && i === y.length) return true;
  var rest = function (p, q) {
    if (x.length - p !== y.length - q) return false;
    for (var k = 0; p + k < x.length; k++) if (x[p + k] !== y[q + k]) return false;
    return true;
  };
  if (x.length === y.length) return rest(i + 1, i + 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(i + 2, i + 2));
  return x.length > y.length ? rest(i + 1, i) : rest(i, i + 1);
}

// Each clause's terms; the last positive word (when the query does not end in a space) also
// gets the prefixes type-ahead tries: its stem, the word as typed and the word two letters
// shorter (five letters at least). Shared by scoring and by marking the target page.
export function plan(q) {
  var lastPositive = -1;
  q.clauses.forEach(function (c, i) { if (!c.negated && !c.phrase) lastPositive = i; });
  return q.clauses.map(function (c, i) {
    var ts = terms(c.text);
    var p = { clause: c, terms: ts, prefix: q.prefixLast && i === lastPositive && ts.length === 1,
      raw: lower(c.text) };
    if (p.prefix) {
      var chars = Array.from(p.raw);
      var shorter = chars.slice(0, Math.max(chars.length - 2, Math.min(5, chars.length))).join("");
      p.prefixes = Array.from(new Set([ts[0], p.raw, shorter])).sort();
    }
    return p;
  }).filter(function (p) { return p.terms.length > 0; });
}

// Everything a clause needs, loaded before scoring.
async function prepare(q, wanted) {
  await load("meta");
  var meta = indexMeta();
  var plans = plan(q);
  var needed = new Set();
  plans.forEach(function (p) { p.terms.forEach(function (t) { needed.add(chunkOf(t)); }); });
  plans.forEach(function (p) {
    (p.prefixes || []).forEach(function (pre) { prefixChunks(pre).forEach(function (n) { needed.add(n); }); });
  });
  await Promise.all(Array.from(needed).map(function (n) { return load("t/" + n); }));
  // Typos: a word with no exact match is retried within one edit.
  var typoLoads = [];
  plans.forEach(function (p) {
    if (p.terms.length !== 1 || p.clause.negated || p.clause.phrase) return;
    var t = p.terms[0];
    var len = Array.from(t).length;
    if (postings(t) || len < 5) return;
    p.typo = true;
    [len - 1, len, len + 1].forEach(function (l) { if (meta.vocab.indexOf(l) >= 0) typoLoads.push(load("v/" + l)); });
  });
  await Promise.all(typoLoads);
  var more = new Set();
  plans.forEach(function (p) {
    if (!p.typo) return;
    var t = p.terms[0], len = Array.from(t).length;
    p.candidates = [];
    [len - 1, len, len + 1].forEach(function (l) {
      (store.v[l] || []).forEach(function (v) { if (withinOneEdit(t, v)) p.candidates.push(v); });
    });
    p.candidates.forEach(function (v) { more.add(chunkOf(v)); });
  });
  // A one-word query can be answered from the head of a common word; anything else needs the
  // whole lists of every word it touches.
  var positive = plans.filter(function (p) { return !p.clause.negated; });
  var only = positive.length === 1 && plans.length === 1 ? positive[0] : null;
  q.head = only && only.terms.length === 1 && !only.typo && !q.filters.length && wanted <= 200 &&
    isSplit(only.terms[0]) ? only : null;
  var whole = [];
  plans.forEach(function (p) {
    var involved = p.terms.concat(p.candidates || []);
    (p.prefixes || []).forEach(function (pre) { involved = involved.concat(termsWithPrefix(pre)); });
    involved.forEach(function (t) {
      if (q.head && t === q.head.terms[0]) return;
      if (isSplit(t)) whole.push(t);
    });
  });
  var phraseChunks = new Set();
  plans.forEach(function (p) {
    if (p.terms.length > 1) p.terms.forEach(function (t) { phraseChunks.add(chunkOf(t)); });
  });
  await Promise.all(Array.from(more).map(function (n) { return load("t/" + n); })
    .concat(Array.from(phraseChunks).map(function (n) { return load("p/" + n); }))
    .concat([loadWhole(whole)])
    .concat(Array.from(new Set(q.filters.map(function (f) { return f[0]; })))
      .map(function (field) { return load("filter/" + field); })));
  return plans;
}

// Loads the whole lists of common terms, then the field lengths of their documents.
async function loadWhole(list) {
  if (!list.length) return;
  var meta = indexMeta();
  await Promise.all(Array.from(new Set(list.map(chunkOf))).map(function (n) { return load("b/" + n); }));
  var shards = new Set();
  list.forEach(function (t) {
    postings(t).fields.forEach(function (f) {
      f.docs.forEach(function (d) { shards.add(Math.floor(d / meta.norm_shard)); });
    });
  });
  await Promise.all(Array.from(shards).map(function (k) { return load("n/" + k); }));
  list.forEach(function (t) {
    postings(t).fields.forEach(function (f) {
      if (f.norms.length) return;
      for (var i = 0; i < f.docs.length; i++) {
        var d = f.docs[i];
        f.norms.push(store.n[Math.floor(d / meta.norm_shard)][(d % meta.norm_shard) * 3 + f.index]);
      }
    });
  });
}

// Score of every document matching one clause (exclusions: matching at all).
function clauseScores(p) {
  var scores = new Scores();
  if (p.terms.length > 1) {
    var lists = p.terms.map(function (t) { return { p: postings(t), pos: positionsOf(t) }; });
    if (lists.some(function (l) { return !l.p; })) return scores;
    for (var f = 0; f < 3; f++) {
      var idfSum = 0;
      lists.forEach(function (l) { idfSum = fround(idfSum + idf(l.p.fields[f].df)); });
      var weight = bm25Weight(idfSum, BOOSTS[f]);
      var first = lists[0].p.fields[f];
      // Walk the (sorted) document lists together; in each shared document, count the places
      // where every word follows the one before.
      var cursor = lists.map(function () { return 0; });
      first.docs.forEach(function (doc, k0) {
        var ks = [k0];
        for (var j = 1; j < lists.length; j++) {
          var docs = lists[j].p.fields[f].docs;
          while (cursor[j] < docs.length && docs[cursor[j]] < doc) cursor[j]++;
          if (cursor[j] >= docs.length || docs[cursor[j]] !== doc) return;
          ks.push(cursor[j]);
        }
        var count = 0;
        var p0 = lists[0].pos[f];
        for (var a = p0.at[k0]; a < p0.at[k0 + 1]; a++) {
          var start = p0.pos[a], all = true;
          for (var jj = 1; jj < lists.length && all; jj++) {
            var pj = lists[jj].pos[f], want = start + jj, found = false;
            for (var b = pj.at[ks[jj]]; b < pj.at[ks[jj] + 1]; b++) {
              if (pj.pos[b] === want) { found = true; break; }
              if (pj.pos[b] > want) break;
            }
            all = found;
          }
          if (all) count++;
        }
        if (count > 0) add(scores, doc, bm25(weight, f, first.norms[k0], count));
      });
    }
    return scores;
  }
  var term = p.terms[0];
  var exact = postings(term);
  for (var g = 0; g < 3; g++) {
    var boost = BOOSTS[g];
    if (p.typo) {
      var seen = new Set();
      p.candidates.forEach(function (c) {
        var cp = postings(c);
        if (cp) cp.fields[g].docs.forEach(function (doc) { seen.add(doc); });
      });
      seen.forEach(function (doc) { add(scores, doc, boost); });
    } else if (exact) {
      var field = exact.fields[g];
      var wgt = bm25Weight(idf(field.df), boost);
      field.docs.forEach(function (doc, k) { add(scores, doc, bm25(wgt, g, field.norms[k], field.tfs[k])); });
    }
    if (p.prefix && !p.clause.negated) {
      p.prefixes.forEach(function (pre) {
        var docs = new Set();
        termsWithPrefix(pre).forEach(function (t) {
          var tp = postings(t);
          if (tp) tp.fields[g].docs.forEach(function (doc) { docs.add(doc); });
        });
        var constant = fround(boost * PREFIX_FACTOR);
        docs.forEach(function (doc) { add(scores, doc, constant); });
      });
    }
  }
  return scores;
}

// Runs a query: {total, hits: [{doc, score}], plans}. Throws QueryError for a malformed query.
export async function run(text, options) {
  var q = parse(text, (options && options.filters) || []);
  var wanted = ((options && options.offset) || 0) + ((options && options.limit) || 10);
  var plans = await prepare(q, wanted);
  var answer = score(q, plans);
  // (Once the whole list is loaded, postings() returns it and the answer is already exact.)
  if (q.head && postings(q.head.terms[0]).head) {
    // Exact only if no section outside the head can reach the last wanted score. Outside it the
    // word scores at most maxRest[m] with m prefixes (of those tried) that match it, as the Rust
    // side adds their constants; other words matching a prefix add their constants on top,
    // computed here for each section outside the head that has them.
    var t = q.head.terms[0];
    var info = postings(t).head;
    var inHead = new Set();
    postings(t).fields.forEach(function (f) { f.docs.forEach(function (d) { inHead.add(d); }); });
    var mine = 0;
    var extra = new Map();
    (q.head.prefixes || []).forEach(function (pre) {
      var words = termsWithPrefix(pre);
      if (words.indexOf(t) >= 0) mine++;
      for (var g = 0; g < 3; g++) {
        var docs = new Set();
        words.forEach(function (w) {
          if (w !== t) postings(w).fields[g].docs.forEach(function (d) { if (!inHead.has(d)) docs.add(d); });
        });
        var c = fround(BOOSTS[g] * PREFIX_FACTOR);
        docs.forEach(function (d) { extra.set(d, (extra.get(d) || 0) + c); });
      }
    });
    var maxExtra = 0;
    extra.forEach(function (v) { if (v > maxExtra) maxExtra = v; });
    var bound = info.maxRest[Math.min(mine, 3)] + maxExtra + 4.8 * Math.max(mine - 3, 0);
    var kept = answer.hits.filter(function (h) { return inHead.has(h.doc); });
    // With two prefixes matching the word and nothing else outside the head, scores are the
    // very numbers the head was chosen by (best first, then lowest id), so a section outside it
    // that ties the last wanted score comes after it: a tie is enough. Otherwise beat the bound.
    var exactBound = mine === 2 && maxExtra === 0;
    var last = kept.length >= wanted ? kept[wanted - 1].score : -Infinity;
    if (exactBound ? last >= bound : last > bound * (1 + 1e-6) + 1e-6) {
      var others = answer.hits.length - kept.length;
      return { total: info.n + others, approximate: others > 0, hits: kept, plans: plans };
    }
    await loadWhole([t]);
    answer = score(q, plans);
  }
  return answer;
}

// The hits of every positive clause, less the excluded, within the filters, best first.
function score(q, plans) {
  var result = null;
  plans.forEach(function (p) {
    if (p.clause.negated) return;
    var s = clauseScores(p);
    if (result === null) { result = s; return; }
    var next = new Scores();
    result.forEach(function (score, doc) { if (s.has(doc)) next.set(doc, score + s.get(doc)); });
    result = next;
  });
  var filterSets = q.filters.map(function (f) { return filterDocs(f[0], f[1]); });
  if (result === null) {
    if (!filterSets.length) return { total: 0, hits: [], plans: plans };
    result = new Scores();
    filterSets[0].forEach(function (doc) { result.set(doc, 0); });
  }
  plans.forEach(function (p) {
    if (!p.clause.negated) return;
    clauseScores(p).forEach(function (_, doc) { result.delete(doc); });
  });
  var hits = [];
  result.forEach(function (score, doc) {
    for (var k = 0; k < filterSets.length; k++) if (!filterSets[k].has(doc)) return;
    hits.push({ doc: doc, score: score });
  });
  hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  return { total: hits.length, hits: hits, plans: plans };
}

// Page title, heading, URL and excerpt of the given hits (loads their fragments).
export async function describe(hits, plans) {
  var isMatch = matcher(plans);
  var meta = indexMeta();
  await Promise.all(Array.from(new Set(hits.map(function (h) { return Math.floor(h.doc / meta.slots); })))
    .map(function (n) { return load("f/" + n); }));
  return hits.map(function (h) {
    var frag = store.f[Math.floor(h.doc / meta.slots)];
    var section = frag[2][h.doc % meta.slots];
    return { doc: h.doc, score: h.score, title: frag[1], heading: section[1],
      url: frag[0] + (section[0] ? "#" + section[0] : ""), text: section[2], updated: frag[3] || null,
      excerpt: excerpt(section[2], isMatch) };
  });
}

// The engine's entry point: ranked, described hits for one page of results.
export async function search(text, options) {
  var r = await run(text, options);
  var from = (options && options.offset) || 0;
  var limit = (options && options.limit) || 10;
  return { total: r.total, approximate: !!r.approximate,
    results: await describe(r.hits.slice(from, from + limit), r.plans) };
}

// The filter values of the index with their counts: {kind: [[value, count], ...], ...}.
export function filterValues() {
  return load("meta").then(function () { return indexMeta().filters; });
}

// Makes the engine `target.folioSearch` (keeping what is there): the callbacks the index files
// call and the API (search, run, describe, parse, stem, analyze, setBase, QueryError).
// `readFile(key, reject, src)` reads one index file (see index-files.js), which then calls
// `target.folioSearch`; the last reader given is used.
export function install(target, readFile) {
  var F = (target.folioSearch = target.folioSearch || {});
  Object.keys(callbacks).forEach(function (name) { F[name] = callbacks[name]; });
  F.stem = stem;
  F.analyze = terms;
  F.parse = parse;
  F.run = run;
  F.describe = describe;
  F.setBase = setBase;
  F.QueryError = QueryError;
  F.search = search;
  if (readFile) setReadFile(readFile);
  return F;
}
