// The search engine, as `folio search` (tantivy) ranks: every word must match, BM25 with title
// and heading boosts, "phrases", -exclusions, field:value filters, the last word as a prefix, one
// typo forgiven in words of five letters or more. No DOM: install() hands it to a global object
// (`folioSearch`, which the index files call back into) with the reader of index files.
import { lower, terms, tokenize, wordTerms } from "./tokenize.js";
import { stem } from "./stem.js";
import { parse, QueryError } from "./query.js";
import {
  callbacks, store, load, setReadFile, setBase, indexMeta, chunkOf, isSplit, isWhole, postings, positionsOf, prefixChunks,
  termsWithPrefix, filterDocs,
} from "./index-files.js";
import { BOOSTS, PREFIX_FACTOR, idf, bm25Weight, bm25, Scores, add } from "./bm25.js";
import { matcher, excerpt } from "./excerpt.js";

const fround = Math.fround;

// The typo rules, as src/search/plan.rs: edits forgiven by word length (characters), the
// shortest vocabulary word, suggestions offered.
const MIN_VOCAB_CHARS = 4, MAX_SUGGESTIONS = 3;
export function maxEdits(chars) { return chars >= 9 ? 2 : chars >= 5 ? 1 : 0; }

// Restricted Damerau-Levenshtein distance (a transposition counts as one edit) by characters,
// or -1 when it is over `max`.
export function distanceWithin(a, b, max) {
  var x = Array.from(a), y = Array.from(b);
  var n = x.length, m = y.length;
  if (Math.abs(n - m) > max) return -1;
  var before = new Array(m + 1).fill(0), previous = [], current = new Array(m + 1).fill(0);
  for (var j0 = 0; j0 <= m; j0++) previous.push(j0);
  for (var i = 1; i <= n; i++) {
    current[0] = i;
    var rowMin = i;
    for (var j = 1; j <= m; j++) {
      var cost = x[i - 1] === y[j - 1] ? 0 : 1;
      var d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return -1;
    var t = before; before = previous; previous = current; current = t;
  }
  return previous[m] <= max ? previous[m] : -1;
}

// A text as synonyms are looked up: lowercased and folded, words separated by one space.
export function normalise(text) {
  return text.split(/\s+/).filter(function (w) { return w; }).map(lower).join(" ");
}
function alternative(text) {
  var w = wordTerms(text);
  return w.words.length ? w : null;
}
function sameAlternative(a, b) {
  return a.whole === b.whole && a.words.length === b.words.length &&
    a.words.every(function (w, i) { return w === b.words[i]; });
}
// The clause's one term when it is a single plain word without synonyms.
function singleTerm(p) {
  var a = p.alternatives;
  return a.length === 1 && a[0].words.length === 1 && a[0].whole === null ? a[0].words[0] : null;
}

// Each clause's alternatives (the words as typed, then their synonyms: a term, or a phrase of
// sub-words with the whole compound term), its word as typed (for typos) and the type-ahead
// prefixes of the last word (its stem, the word as typed and two letters shorter, five at
// least; a compound's whole term). Shared by scoring and by marking the target page.
export function plan(q, synonyms) {
  var syn = synonyms || {};
  var lastPositive = -1;
  q.clauses.forEach(function (c, i) { if (!c.negated && !c.phrase) lastPositive = i; });
  var out = [];
  q.clauses.forEach(function (c, i) {
    var first = alternative(c.text);
    if (!first) return;
    var tokens = tokenize(c.text);
    var raw = tokens.length === 1 && !tokens[0].whole && !c.phrase ? lower(c.text.slice(tokens[0].start, tokens[0].end)) : null;
    var prefixes = [];
    if (q.prefixLast && i === lastPositive && !c.phrase) {
      // A word, or a CamelCase whole (a word too): its stem, as typed, and shorter.
      var word = null;
      if (first.whole !== null && isWhole(first.whole)) prefixes.push(first.whole);
      else if (first.whole !== null) {
        var w = tokens.filter(function (t) { return t.whole; })[0];
        word = [first.whole, lower(c.text.slice(w.start, w.end))];
      } else if (raw !== null && first.words.length === 1) word = [first.words[0], raw];
      if (word) {
        var chars = Array.from(word[1]);
        var keep = Math.max(chars.length - 2, Math.min(5, chars.length));
        prefixes = Array.from(new Set([word[0], word[1], chars.slice(0, keep).join("")])).sort();
      }
    }
    var alternatives = [first];
    // An own key only: `constructor` is a word, not Object's.
    var key = normalise(c.text);
    (Object.prototype.hasOwnProperty.call(syn, key) ? syn[key] : []).forEach(function (text) {
      var a = alternative(text);
      if (a && !alternatives.some(function (b) { return sameAlternative(a, b); })) alternatives.push(a);
    });
    out.push({ clause: c, alternatives: alternatives, raw: raw, prefixes: prefixes });
  });
  return out;
}

// Every term a plan touches (words, wholes, typo candidates).
function planTerms(p) {
  var out = [];
  p.alternatives.forEach(function (a) {
    out = out.concat(a.words);
    if (a.whole !== null) out.push(a.whole);
  });
  return out.concat(p.candidates || []);
}

// Loads the typo vocabulary files for words of `chars` characters give or take `max`.
function loadVocabulary(chars, max) {
  var meta = indexMeta();
  var loads = [];
  for (var l = Math.max(chars - max, MIN_VOCAB_CHARS); l <= chars + max; l++) {
    if (meta.vocab.indexOf(l) >= 0) loads.push(load("v/" + l));
  }
  return Promise.all(loads);
}
// Vocabulary words within `max` edits of `raw`: [[word, distance], ...].
function nearWords(raw, max) {
  var chars = Array.from(raw).length, out = [];
  for (var l = Math.max(chars - max, MIN_VOCAB_CHARS); l <= chars + max; l++) {
    (store.v[l] || []).forEach(function (w) {
      var d = distanceWithin(raw, w, max);
      if (d >= 0) out.push([w, d]);
    });
  }
  return out;
}
function byteOrder(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

// Everything a clause needs, loaded before scoring.
async function prepare(q, wanted) {
  await load("meta");
  var meta = indexMeta();
  var plans = plan(q, meta.synonyms);
  // Whole compounds' chunks are listed apart: fetched only for a query that has one.
  if (plans.some(function (p) { return planTerms(p).concat(p.prefixes).some(isWhole); })) await load("w");
  var needed = new Set();
  plans.forEach(function (p) { planTerms(p).forEach(function (t) { needed.add(chunkOf(t)); }); });
  plans.forEach(function (p) {
    p.prefixes.forEach(function (pre) { prefixChunks(pre).forEach(function (n) { needed.add(n); }); });
  });
  await Promise.all(Array.from(needed).map(function (n) { return load("t/" + n); }));
  // Typos: a plain word with no exact match anywhere is matched by the words within its edits.
  var typoLoads = [];
  plans.forEach(function (p) {
    var t = singleTerm(p);
    if (t === null || p.raw === null || p.clause.negated) return;
    var chars = Array.from(p.raw).length;
    if (maxEdits(chars) === 0 || postings(t)) return;
    p.typo = true;
    typoLoads.push(loadVocabulary(chars, maxEdits(chars)));
  });
  await Promise.all(typoLoads);
  var more = new Set();
  plans.forEach(function (p) {
    if (!p.typo) return;
    var stems = new Set();
    nearWords(p.raw, maxEdits(Array.from(p.raw).length)).forEach(function (w) { stems.add(stem(w[0])); });
    p.candidates = Array.from(stems).sort(byteOrder);
    p.candidates.forEach(function (v) { more.add(chunkOf(v)); });
  });
  // A one-word query can be answered from the head of a common word; anything else needs the
  // whole lists of every word it touches.
  var positive = plans.filter(function (p) { return !p.clause.negated; });
  var only = positive.length === 1 && plans.length === 1 ? positive[0] : null;
  var onlyTerm = only ? singleTerm(only) : null;
  q.head = onlyTerm !== null && !only.typo && !q.filters.length && wanted <= 200 && isSplit(onlyTerm) ? only : null;
  await Promise.all(Array.from(more).map(function (n) { return load("t/" + n); }));
  // Words scored for themselves need their whole lists with field lengths; words matched only
  // through a type-ahead prefix add a constant per field holding them, so their documents do.
  var whole = [], presence = [];
  plans.forEach(function (p) {
    var wanted = function (t) { return !(q.head && t === onlyTerm) && isSplit(t); };
    planTerms(p).filter(wanted).forEach(function (t) { whole.push(t); });
    p.prefixes.forEach(function (pre) { termsWithPrefix(pre).filter(wanted).forEach(function (t) { presence.push(t); }); });
  });
  presence = presence.filter(function (t) { return whole.indexOf(t) < 0; });
  var phraseChunks = new Set();
  plans.forEach(function (p) {
    p.alternatives.forEach(function (a) {
      if (a.words.length > 1) a.words.forEach(function (t) { phraseChunks.add(chunkOf(t)); });
    });
  });
  // Positions of neighbouring plain words too, for proximity.
  positive.forEach(function (p, k) {
    var next = positive[k + 1];
    if (next && pairable(p) && pairable(next)) {
      phraseChunks.add(chunkOf(p.alternatives[0].words[0]));
      phraseChunks.add(chunkOf(next.alternatives[0].words[0]));
    }
  });
  await Promise.all(Array.from(phraseChunks).map(function (n) { return load("p/" + n); })
    .concat([loadWhole(whole), loadWhole(presence, { lengths: false })])
    .concat(Array.from(new Set(q.filters.map(function (f) { return f[0]; })))
      .map(function (field) { return load("filter/" + field); })));
  return plans;
}

// Loads the whole lists of common terms, then (unless `options.lengths` is false) the field
// lengths of their documents.
async function loadWhole(list, options) {
  if (!list.length) return;
  var meta = indexMeta();
  await Promise.all(Array.from(new Set(list.map(chunkOf))).map(function (n) { return load("b/" + n); }));
  if (options && options.lengths === false) return;
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

// A term's score in field `g` of every document holding it.
function termField(term, g, scores) {
  var tp = postings(term);
  if (!tp) return;
  var field = tp.fields[g];
  var wgt = bm25Weight(idf(field.df), BOOSTS[g]);
  field.docs.forEach(function (doc, k) { add(scores, doc, bm25(wgt, g, field.norms[k], field.tfs[k])); });
}
// A phrase's score in field `g`: in each document holding every word, the places where each
// word follows the one before.
function phraseField(words, g, scores) {
  var lists = words.map(function (t) { return { p: postings(t), pos: positionsOf(t) }; });
  if (lists.some(function (l) { return !l.p; })) return;
  var idfSum = 0;
  lists.forEach(function (l) { idfSum = fround(idfSum + idf(l.p.fields[g].df)); });
  var weight = bm25Weight(idfSum, BOOSTS[g]);
  var first = lists[0].p.fields[g];
  var cursor = lists.map(function () { return 0; });
  first.docs.forEach(function (doc, k0) {
    var ks = [k0];
    for (var j = 1; j < lists.length; j++) {
      var docs = lists[j].p.fields[g].docs;
      while (cursor[j] < docs.length && docs[cursor[j]] < doc) cursor[j]++;
      if (cursor[j] >= docs.length || docs[cursor[j]] !== doc) return;
      ks.push(cursor[j]);
    }
    var count = 0;
    var p0 = lists[0].pos[g];
    for (var a = p0.at[k0]; a < p0.at[k0 + 1]; a++) {
      var start = p0.pos[a], all = true;
      for (var jj = 1; jj < lists.length && all; jj++) {
        var pj = lists[jj].pos[g], want = start + jj, found = false;
        for (var b = pj.at[ks[jj]]; b < pj.at[ks[jj] + 1]; b++) {
          if (pj.pos[b] === want) { found = true; break; }
          if (pj.pos[b] > want) break;
        }
        all = found;
      }
      if (all) count++;
    }
    if (count > 0) add(scores, doc, bm25(weight, g, first.norms[k0], count));
  });
}

// Score of every document matching one clause (exclusions: matching at all), adding what the
// Rust side's flat union adds, in its order: per alternative, per field, the term (or phrase,
// or typo candidates), the whole compound, then the prefixes.
function clauseScores(p) {
  var scores = new Scores();
  p.alternatives.forEach(function (alt, a) {
    for (var g = 0; g < 3; g++) {
      var boost = BOOSTS[g];
      if (alt.words.length === 1 && a === 0 && p.typo) {
        var seen = new Set();
        p.candidates.forEach(function (c) {
          var cp = postings(c);
          if (cp) cp.fields[g].docs.forEach(function (doc) { seen.add(doc); });
        });
        seen.forEach(function (doc) { add(scores, doc, boost); });
      } else if (alt.words.length === 1) {
        termField(alt.words[0], g, scores);
      } else {
        phraseField(alt.words, g, scores);
      }
      if (alt.whole !== null) termField(alt.whole, g, scores);
      if (a === 0 && !p.clause.negated) {
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
  });
  return scores;
}

// Runs a query: {total, partial, hits: [{doc, score, match}], plans, suggestions}. Throws QueryError for a malformed query.
export async function run(text, options) {
  var q = parse(text, (options && options.filters) || []);
  var wanted = ((options && options.offset) || 0) + ((options && options.limit) || 10);
  var plans = await prepare(q, wanted);
  var answer = score(q, plans);
  // (Once the whole list is loaded, postings() returns it and the answer is already exact.)
  var headTerm = q.head ? singleTerm(q.head) : null;
  if (q.head && postings(headTerm).head) {
    // Exact only if no section outside the head can reach the last wanted score. Outside it the
    // word scores at most maxRest[m] with m prefixes (of those tried) that match it, as the Rust
    // side adds their constants; other words matching a prefix add their constants on top,
    // computed here for each section outside the head that has them.
    var t = headTerm;
    var info = postings(t).head;
    var inHead = new Set();
    postings(t).fields.forEach(function (f) { f.docs.forEach(function (d) { inHead.add(d); }); });
    var mine = 0;
    // Constants other words matching a prefix add outside the head: from every such word, and
    // from those that do not extend this word (the index counts extending words in its key).
    var extra = new Map(), other = new Map();
    q.head.prefixes.forEach(function (pre) {
      var words = termsWithPrefix(pre);
      var own = words.indexOf(t) >= 0;
      if (own) mine++;
      for (var g = 0; g < 3; g++) {
        var docs = new Set(), others = new Set();
        words.forEach(function (w) {
          if (w === t) return;
          // The key counts an extending word once for each of the word's own prefixes.
          var extending = own && w.startsWith(t);
          postings(w).fields[g].docs.forEach(function (d) {
            if (inHead.has(d)) return;
            docs.add(d);
            if (!extending) others.add(d);
          });
        });
        var c = fround(BOOSTS[g] * PREFIX_FACTOR);
        docs.forEach(function (d) { extra.set(d, (extra.get(d) || 0) + c); });
        others.forEach(function (d) { other.set(d, (other.get(d) || 0) + c); });
      }
    });
    var maxOf = function (m) { var top = 0; m.forEach(function (v) { if (v > top) top = v; }); return top; };
    var maxExtra = maxOf(extra), maxOther = maxOf(other);
    var kept = answer.hits.filter(function (h) { return inHead.has(h.doc); });
    var last = kept.length >= wanted ? kept[wanted - 1].score : -Infinity;
    var beats = function (bound) { return last > bound * (1 + 1e-6) + 1e-6; };
    var proven;
    if (mine === 2) {
      // The common case, which the head was chosen for (by key: best first, then lowest id).
      // With nothing but extending words around, a section outside the head scores exactly
      // its key, so one that ties the last wanted score comes after it: a tie is enough there.
      // Sections with only an extending word were never candidates: they must be beaten.
      proven = maxOther === 0
        ? last >= info.maxRestKey && beats(info.maxExtended)
        : beats(Math.max(info.maxRestKey, info.maxExtended) + maxOther);
    } else {
      proven = beats(info.maxRest[Math.min(mine, 3)] + maxExtra + 4.8 * Math.max(mine - 3, 0));
    }
    if (proven) {
      var others = answer.hits.length - kept.length;
      return { total: info.n + others, partial: 0, approximate: others > 0, hits: kept, plans: plans };
    }
    await loadWhole([t]);
    answer = score(q, plans);
  }
  if (!answer.hits.length && plans.some(function (p) { return !p.clause.negated; })) {
    answer.suggestions = await suggest(q);
  }
  return answer;
}

// Whether a clause takes part in proximity: a plain word, matched as typed.
function pairable(p) { return !p.typo && !p.clause.phrase && p.alternatives[0].words.length === 1; }

// The hits: every document matching some positive clause, less the excluded, within the
// filters; those matching every clause first, each tier by clauses matched, fewest matched
// only through a typo, score, then document order.
function score(q, plans) {
  var meta = indexMeta();
  var positives = plans.filter(function (p) { return !p.clause.negated; });
  var total = new Scores();
  var covered = new Uint16Array(meta.space), typos = new Uint16Array(meta.space);
  positives.forEach(function (p) {
    clauseScores(p).forEach(function (s, doc) {
      add(total, doc, s);
      covered[doc]++;
      if (p.typo) typos[doc]++;
    });
  });
  // Proximity: two plain words next to each other, in order, add that phrase's score.
  for (var k = 0; k + 1 < positives.length; k++) {
    if (!pairable(positives[k]) || !pairable(positives[k + 1])) continue;
    var pair = new Scores();
    var words = [positives[k].alternatives[0].words[0], positives[k + 1].alternatives[0].words[0]];
    for (var g = 0; g < 3; g++) phraseField(words, g, pair);
    pair.forEach(function (s, doc) { if (total.has(doc)) add(total, doc, s); });
  }
  var filterSets = q.filters.map(function (f) { return filterDocs(f[0], f[1]); });
  if (!positives.length) {
    if (!filterSets.length) return { total: 0, partial: 0, hits: [], plans: plans };
    filterSets[0].forEach(function (doc) { total.set(doc, 0); });
  }
  plans.forEach(function (p) {
    if (!p.clause.negated) return;
    clauseScores(p).forEach(function (_, doc) { total.delete(doc); });
  });
  var every = positives.length;
  var hits = [];
  total.forEach(function (s, doc) {
    for (var k = 0; k < filterSets.length; k++) if (!filterSets[k].has(doc)) return;
    hits.push({ doc: doc, score: s, covered: covered[doc], typos: typos[doc],
      match: covered[doc] === every ? "all" : "partial" });
  });
  hits.sort(function (a, b) {
    return b.covered - a.covered || a.typos - b.typos || b.score - a.score || a.doc - b.doc;
  });
  var all = hits.filter(function (h) { return h.match === "all"; }).length;
  return { total: all, partial: hits.length - all, hits: hits, plans: plans };
}

// "Did you mean": the query with each plain word replaced by its nearest indexed words (fewest
// edits, then most documents, then alphabetical), as src/search/plan.rs builds them.
async function suggest(q) {
  var ALNUM_EDGE = /^[^\p{Alphabetic}\p{N}]+|[^\p{Alphabetic}\p{N}]+$/gu;
  var raws = q.clauses.map(function (c) {
    return !c.phrase && !c.negated && tokenize(c.text).length === 1 ? lower(c.text.replace(ALNUM_EDGE, "")) : null;
  });
  var maxOf = function (raw) { return Array.from(raw).length >= 4 ? 2 : 1; };
  await Promise.all(raws.filter(function (r) { return r !== null; })
    .map(function (r) { return loadVocabulary(Array.from(r).length, maxOf(r)); }));
  var near = raws.map(function (r) {
    return r === null ? [] : nearWords(r, maxOf(r)).filter(function (w) { return w[1] > 0; });
  });
  var chunks = new Set();
  near.forEach(function (list) { list.forEach(function (w) { chunks.add(chunkOf(stem(w[0]))); }); });
  await Promise.all(Array.from(chunks).map(function (n) { return load("t/" + n); }));
  var options = near.map(function (list) {
    return list.map(function (w) {
      var tp = postings(stem(w[0]));
      var df = tp ? tp.fields[0].df + tp.fields[1].df + tp.fields[2].df : 0;
      return { word: w[0], d: w[1], df: df };
    }).sort(function (a, b) { return a.d - b.d || b.df - a.df || byteOrder(a.word, b.word); })
      .slice(0, MAX_SUGGESTIONS).map(function (o) { return o.word; });
  });
  var out = [];
  for (var i = 0; i < MAX_SUGGESTIONS; i++) {
    if (!options.some(function (o) { return o.length > i; })) break;
    var parts = q.clauses.map(function (c, k) {
      var o = options[k];
      if (o.length) return o[Math.min(i, o.length - 1)];
      return (c.negated ? "-" : "") + (c.phrase ? '"' + c.text + '"' : c.text);
    });
    q.filters.forEach(function (f) { parts.push(f[0] + ":" + (/\s/.test(f[1]) ? '"' + f[1] + '"' : f[1])); });
    var text = parts.join(" ");
    if (out.indexOf(text) < 0) out.push(text);
  }
  return out;
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
    return { doc: h.doc, score: h.score, match: h.match || "all", title: frag[1], heading: section[1],
      url: frag[0] + (section[0] ? "#" + section[0] : ""), text: section[2], updated: frag[3] || null,
      excerpt: excerpt(section[2], isMatch) };
  });
}

// The engine's entry point: ranked, described hits for one page of results.
export async function search(text, options) {
  var r = await run(text, options);
  var from = (options && options.offset) || 0;
  var limit = (options && options.limit) || 10;
  return { total: r.total, partial: r.partial || 0, approximate: !!r.approximate,
    results: await describe(r.hits.slice(from, from + limit), r.plans), suggestions: r.suggestions || [],
    marks: marks(r.plans) };
}

// Terms a search matched beyond the words as typed (typo corrections, synonyms), for marking the
// page a result leads to.
function marks(plans) {
  var out = new Set();
  plans.forEach(function (p) {
    if (p.clause.negated) return;
    (p.candidates || []).forEach(function (t) { out.add(t); });
    p.alternatives.slice(1).forEach(function (a) {
      a.words.forEach(function (t) { out.add(t); });
      if (a.whole !== null) out.add(a.whole);
    });
  });
  return Array.from(out);
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
