// The static index (assets/search/): loads its files through a reader the host supplies, takes
// the calls they make (`callbacks`) and decodes term chunks, postings, positions and filters.

// Reads one index file: `readFile(key, reject, src)` with key `meta`, `t/3`, ... and src its URL.
// The file then calls one of `callbacks` (through a global `folioSearch`); a reader that cannot
// get it calls reject(error).
let readFile = null;
let base = "";
let metaUrl = "";
let version = "";
let meta = null;
let chunkStarts = [];
// Whole-compound terms (`!kubepodcrashlooping`) have chunks of their own, numbered 0 to
// chunkBase - 1 and listed in w.js; the other chunks' list is in meta.js.
let wholeStarts = [];
let chunkBase = 0;
const pending = {};
const loaded = {};
// Decoded index files by kind and number: t (term chunks), b (whole lists), n (field lengths),
// p (positions), f (fragments), v (vocabulary by length), filter (by field).
export const store = { t: {}, b: {}, n: {}, p: {}, f: {}, v: {}, filter: {} };
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const VALUE = new Int8Array(128);
for (var d = 0; d < 64; d++) VALUE[DIGITS.charCodeAt(d)] = d;

export function setReadFile(fn) {
  readFile = fn;
}
// Where index files are: the URL of meta.js, the others beside it.
export function setIndexUrl(url) {
  metaUrl = url;
  base = metaUrl.replace(/meta\.js(\?.*)?$/, "");
}
// The folder URL of the index files (of meta.js too, unless setIndexUrl named it).
export function setBase(url) {
  base = url;
}
// meta.js: counts, token totals, chunk starts, filter values (null until it is loaded).
export function indexMeta() {
  return meta;
}

// Resolves once the index file `key` has arrived and been decoded; each file is read once.
export function load(key) {
  if (loaded[key]) return loaded[key];
  loaded[key] = new Promise(function (resolve, reject) {
    pending[key] = { resolve: resolve, reject: reject };
    readFile(key, reject, key === "meta" && metaUrl ? fresh(metaUrl) : base + key + ".js" + (version ? "?v=" + version : ""));
  });
  return loaded[key];
}
// meta.js is the one index file pages link without a version (a page does not change when
// only the index does), and it names the version the other files are read with: it is read
// past any cache, so a page always searches the deploy that is live. It is a few kilobytes.
function fresh(url) {
  return url + (url.indexOf("?") < 0 ? "?" : "&") + "t=" + Date.now();
}
// Lets a later load() of `key` read it again (after the reader failed to).
export function forget(key) {
  delete loaded[key];
}
function arrived(key) {
  var waiting = pending[key];
  delete pending[key];
  if (waiting) waiting.resolve();
}
// Index files carry gzip-compressed text in base64; `use` gets the text.
function unpack(key, b64, use) {
  var fail = function (e) {
    var waiting = pending[key];
    delete pending[key];
    delete loaded[key];
    if (waiting) waiting.reject(new Error("the search index could not be read (" + key + ".js): " + (e.message || e)));
  };
  if (typeof DecompressionStream === "undefined") {
    fail(new Error("this browser cannot decompress it; use a current browser"));
    return;
  }
  try {
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    new Response(stream).text().then(function (text) { use(text); arrived(key); }, fail);
  } catch (e) {
    fail(e);
  }
}
// What index files call, by name: folioSearch.terms(3, "...").
export const callbacks = {};
function frontCoded(list) {
  var out = [], prev = "";
  if (!list) return out;
  list.split(" ").forEach(function (entry) {
    var r = new Reader(entry);
    var shared = r.num();
    var s = Array.from(prev).slice(0, shared).join("") + entry.slice(r.i);
    out.push(s);
    prev = s;
  });
  return out;
}
callbacks.meta = function (m) {
  meta = m;
  version = m.v;
  chunkStarts = frontCoded(m.chunks);
  chunkBase = m.chunk_base || 0;
  arrived("meta");
};
callbacks.wholes = function (list) {
  wholeStarts = frontCoded(list);
  arrived("w");
};
// Whether `term` is a whole compound's (its chunks are listed in w.js).
export function isWhole(term) { return term.charCodeAt(0) === 33; }
function startsFor(term) { return isWhole(term) ? { list: wholeStarts, base: 0 } : { list: chunkStarts, base: chunkBase }; }
callbacks.terms = function (n, b64) {
  unpack("t/" + n, b64, function (text) {
    var map = new Map();
    text.split("\n").forEach(function (rec, i) { map.set(rec.slice(0, rec.indexOf(" ")), { rec: rec, i: i }); });
    store.t[n] = map;
  });
};
callbacks.full = function (n, b64) {
  unpack("b/" + n, b64, function (text) {
    var map = new Map();
    text.split("\n").forEach(function (rec) { map.set(rec.slice(0, rec.indexOf(" ")), rec); });
    store.b[n] = map;
  });
};
callbacks.norms = function (k, b64) {
  unpack("n/" + k, b64, function (text) {
    var r = new Reader(text);
    var out = new Uint8Array(meta.norm_shard * 3);
    for (var i = 0; r.i < text.length; i++) out[i] = r.norm();
    store.n[k] = out;
  });
};
callbacks.positions = function (n, b64) { unpack("p/" + n, b64, function (text) { store.p[n] = text.split("\n"); }); };
callbacks.fragment = function (n, b64) { unpack("f/" + n, b64, function (text) { store.f[n] = JSON.parse(text); }); };
callbacks.vocab = function (len, b64) { unpack("v/" + len, b64, function (text) { store.v[len] = text.split(" "); }); };
callbacks.filter = function (field, values) { store.filter[field] = values; arrived("filter/" + field); };

// Base-64 digits, five bits each, the sixth meaning "more follow" (low bits first).
function Reader(s) { this.s = s; this.i = 0; }
Reader.prototype.num = function () {
  var n = 0, mul = 1;
  for (;;) {
    var d = VALUE[this.s.charCodeAt(this.i++)];
    if (d < 32) return n + d * mul;
    n += (d - 32) * mul;
    mul *= 32;
  }
};
Reader.prototype.norm = function () {
  var d = VALUE[this.s.charCodeAt(this.i++)];
  return d < 63 ? d : 63 + this.num();
};

// The chunk (t/N.js) that holds `term`, or would.
export function chunkOf(term) {
  var s = startsFor(term), starts = s.list;
  var lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    var mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= term) lo = mid; else hi = mid - 1;
  }
  return s.base + lo;
}

function entryOf(term) {
  var n = chunkOf(term);
  return store.t[n] ? store.t[n].get(term) : undefined;
}
// Common terms' chunk records hold only their best-scoring documents (the head); the whole
// list is in b/N.js.
export function isSplit(term) {
  var e = entryOf(term);
  if (!e) return false;
  if (e.split === undefined) e.split = e.rec.split(" ").length > 4;
  return e.split;
}
// A term's postings per field: {docs, tfs, norms}, the whole list when it is loaded, else
// the head (with `head: {maxRest, n}`); decoded once.
const decoded = new Map();
export function postings(term) {
  var n = chunkOf(term);
  var entry = entryOf(term);
  if (!entry) return null;
  var full = store.b[n] && store.b[n].get(term);
  var key = (full ? "+" : "-") + term;
  if (decoded.has(key)) return decoded.get(key);
  var parts = (full || entry.rec).split(" ");
  var result = { chunk: n, index: entry.i, fields: [] };
  for (var f = 1; f <= 3; f++) {
    var r = new Reader(parts[f]);
    var docs = [], tfs = [], norms = [];
    var doc = -1;
    while (r.i < parts[f].length) {
      var v = r.num();
      doc += Math.floor(v / 2) + 1;
      docs.push(doc);
      tfs.push(v % 2 ? r.num() + 2 : 1);
      // Whole lists leave field lengths to the norm files (filled in by loadWhole).
      if (!full) norms.push(r.norm());
    }
    result.fields.push({ docs: docs, tfs: tfs, norms: norms, df: docs.length, index: f - 1 });
  }
  if (!full && parts.length > 4) {
    // n, the document frequency per field, the best score outside the head with 0-3 of the
    // word's own prefixes, then for the common case (two of them, counting the words that
    // extend it) the best outside the head and the best of sections with only an extending word.
    // The scores are single-precision numbers written as the shortest decimal that reads back
    // as the same f32: read them back to it (as a double, 8.716372 is above the f32 it names,
    // and a tie with the last score in the head would not count).
    var f32 = function (text) { return Math.fround(parseFloat(text)); };
    result.head = {
      n: parseInt(parts[4], 10),
      maxRest: parts.slice(8, 12).map(f32),
      maxRestKey: f32(parts[12]),
      maxExtended: f32(parts[13]),
    };
    for (var g = 0; g < 3; g++) result.fields[g].df = parseInt(parts[5 + g], 10);
  }
  decoded.set(key, result);
  return result;
}
// Positions of a term per field: {at: start offset of each posting's run, pos: flat list}.
const decodedPositions = new Map();
export function positionsOf(term) {
  var p = postings(term);
  if (!p) return null;
  var key = (p.head ? "-" : "+") + term;
  if (decodedPositions.has(key)) return decodedPositions.get(key);
  var parts = store.p[p.chunk][p.index].split(" ");
  var result = p.fields.map(function (field, f) {
    var r = new Reader(parts[f] || "");
    var total = 0;
    for (var i = 0; i < field.tfs.length; i++) total += field.tfs[i];
    var at = new Int32Array(field.tfs.length + 1), pos = new Int32Array(total), n = 0;
    for (var k = 0; k < field.tfs.length; k++) {
      at[k] = n;
      var last = -1;
      for (var j = 0; j < field.tfs[k]; j++) { last += r.num() + 1; pos[n++] = last; }
    }
    at[field.tfs.length] = n;
    return { at: at, pos: pos };
  });
  decodedPositions.set(key, result);
  return result;
}
// The chunks that may hold terms starting with `prefix`.
export function prefixChunks(prefix) {
  var s = startsFor(prefix), starts = s.list;
  if (!starts.length) return [];
  var out = [], first = chunkOf(prefix) - s.base;
  for (var n = first; n < starts.length; n++) {
    if (n > first && !starts[n].startsWith(prefix) && starts[n] > prefix) break;
    out.push(s.base + n);
  }
  return out;
}
// The terms starting with `prefix` (their chunks loaded).
export function termsWithPrefix(prefix) {
  var out = [];
  prefixChunks(prefix).forEach(function (n) {
    store.t[n].forEach(function (_, term) { if (term.startsWith(prefix)) out.push(term); });
  });
  return out;
}
// The documents a filter value covers (every slot of each fragment it lists).
export function filterDocs(field, value) {
  var values = store.filter[field] || {};
  var encoded = Object.prototype.hasOwnProperty.call(values, value) ? values[value] : undefined;
  var docs = new Set();
  if (encoded === undefined) return docs;
  var r = new Reader(encoded);
  var frag = -1;
  while (r.i < encoded.length) {
    frag += r.num() + 1;
    var count = r.num() + 1;
    for (var k = 0; k < count; k++) docs.add(frag * meta.slots + k);
  }
  return docs;
}

