// Folio search: queries the static index in assets/search/ with the same rules as `folio search`
// (tantivy): every word must match, BM25 with title and heading boosts, "phrases", -exclusions,
// field:value filters, the last word as a prefix, one typo forgiven in words of five letters or
// more. Index files are scripts that call back into window.folioSearch, so they load from any
// static host and from file:// alike. Loaded on demand by folio.js.
(function (w) {
  "use strict";
  var F = (w.folioSearch = w.folioSearch || {});
  if (F.search) return;
  var fround = Math.fround;

  // ---- Text analysis: the same tokens, lowercase and English (Snowball) stems as Rust ----

  function utf8Length(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
    }
    return n;
  }
  function lower(s) {
    // Character by character, as tantivy's LowerCaser does (no context-dependent sigma).
    if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
    var out = "";
    for (var ch of s) out += ch.toLowerCase();
    return out;
  }
  // Tokens of `text`: {term, start, end, pos} with UTF-16 offsets. Long tokens (48 bytes or more)
  // are dropped but keep their position, as in the Rust analyzer.
  var RUN = /[\p{Alphabetic}\p{N}]+/gu;
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
  var CJK_SPLIT = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2ffff}]+/gu;
  var analysed = new Map();
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
  function eachToken(text, fn, from) {
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
  function tokenize(text) {
    var out = [];
    eachToken(text, function (term, start, end, pos) { out.push({ term: term, start: start, end: end, pos: pos }); });
    return out;
  }
  function terms(text) {
    return tokenize(text).map(function (t) { return t.term; });
  }

  // Snowball English stemmer (the current algorithm, as the Rust side uses).
  var EXCEPTIONS = { skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli",
    only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos",
    bias: "bias", andes: "andes" };
  var R1_PREFIXES = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"];
  var STEP2 = [["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
    ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"], ["entli", "ent"], ["ation", "ate"], ["alism", "al"],
    ["aliti", "al"], ["ousli", "ous"], ["iviti", "ive"], ["fulli", "ful"], ["ogist", "og"], ["enci", "ence"],
    ["anci", "ance"], ["abli", "able"], ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"],
    ["ogi", "og"], ["li", ""]];
  var STEP3 = [["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
    ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""]];
  var STEP4 = ["ement", "ment", "able", "ible", "ance", "ence", "ate", "iti", "ion", "ism", "ive", "ize", "ous",
    "ant", "ent", "al", "er", "ic"];
  function isV(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
  function stem(word) {
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    var w = Array.from(word);
    if (w.length < 3) return word;
    if (w[0] === "'") w.shift();
    var foundY = false;
    if (w[0] === "y") { w[0] = "Y"; foundY = true; }
    for (var i = 1; i < w.length; i++) if (w[i] === "y" && isV(w[i - 1])) { w[i] = "Y"; foundY = true; }
    // Regions: R1 after the first non-vowel that follows a vowel (or after a listed prefix), R2 likewise after R1.
    var n = w.length, p1 = n, p2 = n;
    function gopast(from) {
      var k = from;
      while (k < w.length && !isV(w[k])) k++;
      if (k >= w.length) return -1;
      k++;
      while (k < w.length && isV(w[k])) k++;
      if (k >= w.length) return -1;
      return k + 1;
    }
    var joined = w.join("");
    var r1 = -1;
    for (var j = 0; j < R1_PREFIXES.length; j++) if (joined.startsWith(R1_PREFIXES[j])) r1 = R1_PREFIXES[j].length;
    if (r1 < 0) r1 = gopast(0);
    if (r1 >= 0) {
      p1 = r1;
      var r2 = gopast(r1);
      if (r2 >= 0) p2 = r2;
    }
    function ends(s) {
      if (s.length > w.length) return false;
      for (var k = 0; k < s.length; k++) if (w[w.length - s.length + k] !== s[k]) return false;
      return true;
    }
    function replace(len, by) { w.length -= len; for (var k = 0; k < by.length; k++) w.push(by[k]); }
    function shortv(end) {
      var isWXY = function (c) { return isV(c) || c === "w" || c === "x" || c === "Y"; };
      if (end >= 3 && !isWXY(w[end - 1]) && isV(w[end - 2]) && !isV(w[end - 3])) return true;
      if (end === 2 && !isV(w[1]) && isV(w[0])) return true;
      return end >= 4 && w.slice(end - 4, end).join("") === "past";
    }
    function hasVowelBefore(end) { for (var k = 0; k < end; k++) if (isV(w[k])) return true; return false; }
    // Step 0: possessives.
    if (ends("'s'")) w.length -= 3; else if (ends("'s")) w.length -= 2; else if (ends("'")) w.length -= 1;
    // Step 1a.
    if (ends("sses")) replace(4, "ss");
    else if (ends("ied") || ends("ies")) replace(3, w.length - 3 >= 2 ? "i" : "ie");
    else if (ends("ss") || ends("us")) { /* unchanged */ }
    else if (ends("s")) { if (w.length >= 2 && hasVowelBefore(w.length - 2)) w.length -= 1; }
    // Step 1b.
    var s1b = ["eedly", "ingly", "edly", "eed", "ing", "ed"].find(ends);
    if (s1b === "eed" || s1b === "eedly") {
      var at = w.length - s1b.length;
      var before = w.slice(0, at).join("");
      if (at >= p1 && before !== "succ" && before !== "proc" && before !== "exc") replace(s1b.length, "ee");
    } else if (s1b) {
      var start = w.length - s1b.length;
      var general = true;
      if (s1b === "ing") {
        var stemPart = w.slice(0, start).join("");
        if (start === 2 && w[1] === "y" && !isV(w[0])) { w.length = 1; w.push("i", "e"); general = false; }
        else if (["even", "cann", "inn", "earr", "herr", "out"].indexOf(stemPart) >= 0) general = false;
      }
      if (general && hasVowelBefore(start)) {
        w.length = start;
        var L = w.length;
        var last2 = L >= 2 ? w[L - 2] + w[L - 1] : "";
        if (last2 === "at" || last2 === "bl" || last2 === "iz") w.push("e");
        else if (["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].indexOf(last2) >= 0) {
          if (!(L === 3 && "aeo".indexOf(w[0]) >= 0)) w.length -= 1;
        } else if (L === p1 && shortv(L)) w.push("e");
      }
    }
    // Step 1c.
    var L1 = w.length;
    if (L1 >= 3 && (w[L1 - 1] === "y" || w[L1 - 1] === "Y") && !isV(w[L1 - 2])) w[L1 - 1] = "i";
    // Step 2.
    for (var a = 0; a < STEP2.length; a++) {
      if (!ends(STEP2[a][0])) continue;
      var s2 = w.length - STEP2[a][0].length;
      if (s2 >= p1) {
        if (STEP2[a][0] === "ogi") { if (w[s2 - 1] === "l") replace(3, "og"); }
        else if (STEP2[a][0] === "li") { if (s2 > 0 && "cdeghkmnrt".indexOf(w[s2 - 1]) >= 0) w.length -= 2; }
        else replace(STEP2[a][0].length, STEP2[a][1]);
      }
      break;
    }
    // Step 3.
    for (var b = 0; b < STEP3.length; b++) {
      if (!ends(STEP3[b][0])) continue;
      var s3 = w.length - STEP3[b][0].length;
      if (s3 >= p1 && (STEP3[b][0] !== "ative" || s3 >= p2)) replace(STEP3[b][0].length, STEP3[b][1]);
      break;
    }
    // Step 4.
    for (var c = 0; c < STEP4.length; c++) {
      if (!ends(STEP4[c])) continue;
      var s4 = w.length - STEP4[c].length;
      if (s4 >= p2 && (STEP4[c] !== "ion" || w[s4 - 1] === "s" || w[s4 - 1] === "t")) w.length = s4;
      break;
    }
    // Step 5.
    var L5 = w.length - 1;
    if (w[L5] === "e") {
      if (L5 >= p2 || (L5 >= p1 && !shortv(L5))) w.length = L5;
    } else if (w[L5] === "l") {
      if (L5 >= p2 && w[L5 - 1] === "l") w.length = L5;
    }
    var out = w.join("");
    return foundY ? out.replace(/Y/g, "y") : out;
  }

  // ---- The query language (the same as src/search/query.rs) ----

  var FILTER_FIELDS = ["kind", "status", "tag", "tags", "owner", "section"];
  function QueryError(column, message) { this.column = column; this.message = message; }
  function parse(input, extra) {
    var chars = Array.from(input);
    var q = { clauses: [], filters: (extra || []).map(function (f) { return [f[0], lower(f[1])]; }),
      prefixLast: !/\s$/.test(input) };
    var i = 0;
    var isSpace = function (c) { return /\s/.test(c); };
    while (i < chars.length) {
      if (isSpace(chars[i])) { i++; continue; }
      var start = i;
      var negated = chars[i] === "-" && i + 1 < chars.length && !isSpace(chars[i + 1]);
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

  // ---- Loading the index ----

  var base = "";
  var metaUrl = "";
  var version = "";
  var meta = null;
  var chunkStarts = [];
  var pending = {};
  var loaded = {};
  var store = { t: {}, b: {}, n: {}, p: {}, f: {}, v: {}, filter: {} };
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = new Int8Array(128);
  for (var d = 0; d < 64; d++) VALUE[DIGITS.charCodeAt(d)] = d;

  function load(key) {
    if (loaded[key]) return loaded[key];
    loaded[key] = new Promise(function (resolve, reject) {
      pending[key] = { resolve: resolve, reject: reject };
      if (F.readFile) { F.readFile(key, reject); return; }
      var s = document.createElement("script");
      s.src = key === "meta" && metaUrl ? metaUrl : base + key + ".js" + (version ? "?v=" + version : "");
      s.async = true;
      s.onerror = function () {
        delete loaded[key];
        reject(new Error(location.protocol === "file:"
          ? "the search index could not be read from disk (" + key + ".js)"
          : "the search index could not be loaded (" + key + ".js): rebuild the site or reload the page"));
      };
      document.head.appendChild(s);
    });
    return loaded[key];
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
  F.meta = function (m) {
    meta = m;
    version = m.v;
    chunkStarts = [];
    var prev = "";
    m.chunks.split(" ").forEach(function (entry) {
      var r = new Reader(entry);
      var shared = r.num();
      var s = Array.from(prev).slice(0, shared).join("") + entry.slice(r.i);
      chunkStarts.push(s);
      prev = s;
    });
    arrived("meta");
  };
  F.terms = function (n, b64) {
    unpack("t/" + n, b64, function (text) {
      var map = new Map();
      text.split("\n").forEach(function (rec, i) { map.set(rec.slice(0, rec.indexOf(" ")), { rec: rec, i: i }); });
      store.t[n] = map;
    });
  };
  F.full = function (n, b64) {
    unpack("b/" + n, b64, function (text) {
      var map = new Map();
      text.split("\n").forEach(function (rec) { map.set(rec.slice(0, rec.indexOf(" ")), rec); });
      store.b[n] = map;
    });
  };
  F.norms = function (k, b64) {
    unpack("n/" + k, b64, function (text) {
      var r = new Reader(text);
      var out = new Uint8Array(meta.norm_shard * 3);
      for (var i = 0; r.i < text.length; i++) out[i] = r.norm();
      store.n[k] = out;
    });
  };
  F.positions = function (n, b64) { unpack("p/" + n, b64, function (text) { store.p[n] = text.split("\n"); }); };
  F.fragment = function (n, b64) { unpack("f/" + n, b64, function (text) { store.f[n] = JSON.parse(text); }); };
  F.vocab = function (len, b64) { unpack("v/" + len, b64, function (text) { store.v[len] = text.split(" "); }); };
  F.filter = function (field, values) { store.filter[field] = values; arrived("filter/" + field); };

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

  function chunkOf(term) {
    var lo = 0, hi = chunkStarts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (chunkStarts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function entryOf(term) {
    var n = chunkOf(term);
    return store.t[n] ? store.t[n].get(term) : undefined;
  }
  // Common terms' chunk records hold only their best-scoring documents (the head); the whole
  // list is in b/N.js.
  function isSplit(term) {
    var e = entryOf(term);
    if (!e) return false;
    if (e.split === undefined) e.split = e.rec.split(" ").length > 4;
    return e.split;
  }
  // A term's postings per field: {docs, tfs, norms}, the whole list when it is loaded, else
  // the head (with `head: {maxRest, n}`); decoded once.
  var decoded = new Map();
  function postings(term) {
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
      // n, the document frequency per field, then the best score outside the head with 0-3 of
      // the word's own prefixes.
      result.head = { n: parseInt(parts[4], 10), maxRest: parts.slice(8, 12).map(parseFloat) };
      for (var g = 0; g < 3; g++) result.fields[g].df = parseInt(parts[5 + g], 10);
    }
    decoded.set(key, result);
    return result;
  }
  // Positions of a term, per field and posting: [[[p, ...], ...], x3].
  // Positions of a term per field: {at: start offset of each posting's run, pos: flat list}.
  var decodedPositions = new Map();
  function positionsOf(term) {
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
  function prefixChunks(prefix) {
    var out = [];
    for (var n = chunkOf(prefix); n < chunkStarts.length; n++) {
      if (n > chunkOf(prefix) && !chunkStarts[n].startsWith(prefix) && chunkStarts[n] > prefix) break;
      out.push(n);
    }
    return out;
  }
  function termsWithPrefix(prefix) {
    var out = [];
    prefixChunks(prefix).forEach(function (n) {
      store.t[n].forEach(function (_, term) { if (term.startsWith(prefix)) out.push(term); });
    });
    return out;
  }

  // ---- Scoring: tantivy's BM25 in single precision ----

  var K1 = fround(1.2), B = fround(0.75), ONE_PLUS_K1 = fround(1 + K1);
  var BOOSTS = [3, 2, 1];
  var PREFIX_FACTOR = fround(0.8);
  var FIELD_NORMS = (function () {
    var t = [];
    for (var i = 0; i <= 40; i++) t.push(i);
    var step = 2, v = 40;
    while (t.length < 256) {
      for (var k = 0; k < 8 && t.length < 256; k++) { v += step; t.push(v); }
      step *= 2;
      v = t[t.length - 1];
    }
    return t;
  })();
  function idf(df) {
    var n = meta.n;
    var x = fround(fround(fround(n - df) + 0.5) / fround(df + 0.5));
    return fround(Math.log(fround(1 + x)));
  }
  function bm25Weight(idfValue, boost) {
    var weight = fround(idfValue * ONE_PLUS_K1);
    return boost === 1 ? weight : fround(weight * boost);
  }
  // K1 x (1 - B + B x length / average length), per field and length id, as tantivy caches it.
  var tfCache = null;
  function bm25(weight, field, normId, tf) {
    if (!tfCache) {
      tfCache = [0, 1, 2].map(function (f) {
        var avg = fround(fround(meta.tokens[f]) / fround(meta.n));
        return FIELD_NORMS.map(function (len) {
          return fround(K1 * fround(fround(1 - B) + fround(fround(B * len) / avg)));
        });
      });
    }
    return fround(weight * fround(tf / fround(tf + tfCache[field][normId])));
  }
  // Scores by document id in flat arrays (Float32Array rounds each sum to single precision, as
  // tantivy's f32 scores are), with the Map methods the scoring code uses.
  function Scores() {
    this.vals = new Float32Array(meta.space);
    this.on = new Uint8Array(meta.space);
    this.list = [];
  }
  Scores.prototype.has = function (d) { return this.on[d] === 1; };
  Scores.prototype.get = function (d) { return this.vals[d]; };
  Scores.prototype.set = function (d, v) {
    if (this.on[d] === 0) this.list.push(d);
    this.on[d] = 1;
    this.vals[d] = v;
  };
  Scores.prototype.delete = function (d) { if (this.on[d] === 1) this.on[d] = 2; };
  Scores.prototype.forEach = function (fn) {
    for (var i = 0; i < this.list.length; i++) { var d = this.list[i]; if (this.on[d] === 1) fn(this.vals[d], d); }
  };
  function add(scores, doc, score) {
    scores.set(doc, scores.has(doc) ? scores.get(doc) + score : score);
  }
  // Restricted Damerau-Levenshtein distance <= 1 (a transposition counts as one edit).
  var SURROGATE = /[\ud800-\udfff]/;
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
  function plan(q) {
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

  function filterDocs(field, value) {
    var encoded = (store.filter[field] || {})[value];
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

  // Runs a query: {total, hits: [{doc, score}], plans}. Throws QueryError for a malformed query.
  async function run(text, options) {
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

  // What to mark in excerpts and on the target page: {exact: Set, prefixes: []}.
  function matcher(plans) {
    var exact = new Set(), prefixes = [];
    plans.forEach(function (p) {
      if (p.clause.negated) return;
      p.terms.forEach(function (t) { exact.add(t); });
      (p.candidates || []).forEach(function (t) { exact.add(t); });
      (p.prefixes || []).forEach(function (t) { prefixes.push(t); });
    });
    return function (term) {
      if (exact.has(term)) return true;
      for (var k = 0; k < prefixes.length; k++) if (term.startsWith(prefixes[k])) return true;
      return false;
    };
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  // A window of about `width` characters around the first match, matches in <mark>, HTML-escaped.
  function excerpt(text, isMatch, width) {
    width = width || 180;
    var first = -1;
    eachToken(text, function (term, start) {
      if (!isMatch(term)) return false;
      first = start;
      return true;
    });
    var start = 0;
    if (first > 0) {
      start = Math.max(0, first - 50);
      if (start > 0) { var sp = text.indexOf(" ", start); if (sp >= 0 && sp < first) start = sp + 1; }
    }
    var end = Math.min(text.length, start + width);
    if (end < text.length) { var back = text.lastIndexOf(" ", end); if (back > start + width / 2) end = back; }
    var clean = function (t) { return escapeHtml(t.replace(/\s+/g, " ")); };
    var out = start > 0 ? "… " : "";
    var at = start;
    eachToken(text, function (term, s, e) {
      if (e > end) return true;
      if (!isMatch(term)) return false;
      out += clean(text.slice(at, s)) + "<mark>" + clean(text.slice(s, e)) + "</mark>";
      at = e;
      return false;
    }, start);
    out += clean(text.slice(at, end)) + (end < text.length ? " …" : "");
    return out;
  }

  // Page title, heading, URL and excerpt of the given hits (loads their fragments).
  async function describe(hits, plans) {
    var isMatch = matcher(plans);
    await Promise.all(Array.from(new Set(hits.map(function (h) { return Math.floor(h.doc / meta.slots); })))
      .map(function (n) { return load("f/" + n); }));
    return hits.map(function (h) {
      var frag = store.f[Math.floor(h.doc / meta.slots)];
      var section = frag[2][h.doc % meta.slots];
      return { doc: h.doc, score: h.score, title: frag[1], heading: section[1],
        url: frag[0] + (section[0] ? "#" + section[0] : ""), text: section[2],
        excerpt: excerpt(section[2], isMatch) };
    });
  }

  // Marks the words a search matched on the page it led to (`?h=words` in the URL).
  function highlightPage(query, scope) {
    var plans;
    try {
      plans = plan(parse(query));
    } catch (e) { return 0; }
    var isMatch = matcher(plans);
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        return n.parentNode.closest("script, style, mark, .anchor, button") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var count = 0;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      var matches = tokenize(text).filter(function (t) { return isMatch(t.term); });
      if (!matches.length) return;
      var frag = document.createDocumentFragment();
      var at = 0;
      matches.forEach(function (t) {
        frag.appendChild(document.createTextNode(text.slice(at, t.start)));
        var mark = document.createElement("mark");
        mark.className = "search-hit";
        mark.textContent = text.slice(t.start, t.end);
        frag.appendChild(mark);
        at = t.end;
        count++;
      });
      frag.appendChild(document.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(frag, node);
    });
    return count;
  }

  F.stem = stem;
  F.analyze = terms;
  F.parse = parse;
  F.run = run;
  F.describe = describe;
  F.highlightPage = highlightPage;
  F.setBase = function (url) { base = url; };
  F.QueryError = QueryError;
  // The engine's entry point: ranked, described hits for one page of results.
  F.search = async function (text, options) {
    var r = await run(text, options);
    var from = (options && options.offset) || 0;
    var limit = (options && options.limit) || 10;
    return { total: r.total, approximate: !!r.approximate,
      results: await describe(r.hits.slice(from, from + limit), r.plans) };
  };

  // Under `folio serve` the server answers queries from its tantivy index (always current, no
  // static index to rebuild on every save): same results, fetched per query.
  var preview = w.folioPreview && w.folioPreview.search;
  async function previewSearch(text, options) {
    var from = (options && options.offset) || 0;
    var limit = (options && options.limit) || 10;
    var params = new URLSearchParams();
    params.set("q", text);
    params.set("limit", String(from + limit + 1));
    ((options && options.filters) || []).forEach(function (f) { params.set(f[0] === "tags" ? "tag" : f[0], f[1]); });
    var response = await fetch(preview + "?" + params.toString());
    var body = await response.json();
    if (response.status === 400) throw new QueryError(body.column || 1, body.error);
    if (!response.ok) throw new Error(body.error || "search failed");
    var q = parse(text);
    var last = q.clauses.length - 1;
    var isMatch = matcher(q.clauses.map(function (c, i) {
      var t = terms(c.text);
      return { clause: c, terms: t, prefixes: q.prefixLast && i === last ? t.slice(-1) : [] };
    }));
    var more = body.length > from + limit;
    return { total: more ? from + limit + 1 : body.length, approximate: more,
      results: body.slice(from, from + limit).map(function (h) {
        return { score: h.score, title: h.title, heading: h.heading, url: h.url, text: h.snippet,
          excerpt: excerpt(h.snippet, isMatch) };
      }) };
  }
  function loadFilters() {
    if (!preview) return load("meta").then(function () { return meta.filters; });
    return fetch(preview + "/filters").then(function (r) { return r.json(); });
  }

  // ---- The search box ----

  function initUi() {
    var box = document.querySelector(".search");
    if (!box || box.getAttribute("data-ready")) return;
    box.setAttribute("data-ready", "1");
    var input = box.querySelector(".search-input");
    var panel = box.querySelector(".search-panel");
    var list = panel.querySelector(".search-results");
    var statusLine = panel.querySelector(".search-status");
    var filtersRow = panel.querySelector(".search-filters");
    var root = document.documentElement.getAttribute("data-root") || "./";
    var shown = 0, lastQuery = null, timer = 0, active = -1, generation = 0, results = [];
    var selects = {};

    function filters() {
      var out = [];
      Object.keys(selects).forEach(function (f) { if (selects[f].value) out.push([f, selects[f].value]); });
      return out;
    }
    function href(r, q) {
      var url = r.url;
      var hash = "";
      var i = url.indexOf("#");
      if (i >= 0) { hash = url.slice(i); url = url.slice(0, i); }
      if (location.protocol === "file:" && (url === "" || /\/$/.test(url))) url += "index.html";
      var words = q.replace(/(^|\s)-("[^"]*"|\S+)/g, " ").replace(/\b(kind|status|tags?|owner|section):("[^"]*"|\S+)/gi, " ").trim();
      return root + url + (words ? "?h=" + encodeURIComponent(words) : "") + hash;
    }
    function setActive(i) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { active = -1; return; }
      active = (i + items.length) % items.length;
      items.forEach(function (el, k) { el.setAttribute("aria-selected", k === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function open(on) {
      panel.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      document.body.classList.toggle("search-open", on);
    }
    function render(q, page, append) {
      var html = page.results.map(function (r, k) {
        var id = "search-result-" + (shown + k);
        return '<li role="option" id="' + id + '" aria-selected="false"><a href="' + escapeHtml(href(r, q)) + '">' +
          '<span class="search-title">' + escapeHtml(r.title) + (r.heading ? ' <span class="search-heading">› ' +
          escapeHtml(r.heading) + "</span>" : "") + "</span>" +
          (r.excerpt ? '<span class="search-excerpt">' + r.excerpt + "</span>" : "") + "</a></li>";
      }).join("");
      if (append) list.insertAdjacentHTML("beforeend", html); else list.innerHTML = html;
      list.setAttribute("data-query", q);
      shown += page.results.length;
      results = results.concat(page.results);
      statusLine.textContent = page.total === 0 ? "No results for “" + q + "”" :
        (page.approximate ? "About " : "") + page.total.toLocaleString("en-US") + (page.total === 1 ? " result" : " results");
      var more = panel.querySelector(".search-more");
      more.hidden = shown >= page.total;
    }
    async function query(append) {
      var q = input.value;
      if (!q.trim() && !filters().length) { list.innerHTML = ""; statusLine.textContent = ""; open(false); lastQuery = null; return; }
      var key = q + "\u0000" + JSON.stringify(filters());
      if (!append && key === lastQuery) { open(true); return; }
      lastQuery = key;
      var mine = ++generation;
      if (!append) { shown = 0; results = []; active = -1; }
      try {
        var page = await (preview ? previewSearch : F.search)(q.trim() ? q : "",
          { filters: filters(), offset: append ? shown : 0, limit: 10 });
        if (mine !== generation) return;
        open(true);
        render(q, page, append);
      } catch (e) {
        if (mine !== generation) return;
        open(true);
        list.innerHTML = "";
        panel.querySelector(".search-more").hidden = true;
        statusLine.textContent = e instanceof QueryError ? "Query error at column " + e.column + ": " + e.message : String(e.message || e);
      }
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(function () { query(false); }, 90);
    }
    input.addEventListener("input", schedule);
    input.addEventListener("focus", function () { if (input.value.trim()) query(false); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); setActive(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); setActive(active - 1); }
      else if (e.key === "Enter") {
        var items = list.querySelectorAll("[role=option] a");
        var target = items[active >= 0 ? active : 0];
        if (target) { e.preventDefault(); clearTimeout(timer); target.click(); }
      } else if (e.key === "Escape") {
        if (!panel.hidden) { open(false); } else { input.value = ""; input.blur(); }
      }
    });
    panel.querySelector(".search-more").addEventListener("click", function () { query(true); });
    document.addEventListener("click", function (e) { if (!box.contains(e.target)) open(false); });
    loadFilters().then(function (all) {
      ["kind", "status", "tag"].forEach(function (field) {
        var values = all[field];
        if (!values || !values.length) return;
        var label = document.createElement("label");
        label.className = "search-filter";
        var select = document.createElement("select");
        select.setAttribute("aria-label", "Filter by " + field);
        select.innerHTML = '<option value="">Any ' + field + "</option>" + values.map(function (v) {
          return '<option value="' + escapeHtml(v[0]) + '">' + escapeHtml(v[0]) + " (" + v[1] + ")</option>";
        }).join("");
        select.addEventListener("change", function () { lastQuery = null; query(false); });
        label.appendChild(select);
        filtersRow.appendChild(label);
        selects[field] = select;
      });
      filtersRow.hidden = !Object.keys(selects).length;
    }, function (e) { statusLine.textContent = e.message; open(true); });
    if (document.activeElement === input && input.value.trim()) query(false);
  }

  if (w.document) {
    var box = document.querySelector(".search");
    if (box) {
      metaUrl = box.getAttribute("data-index");
      base = metaUrl.replace(/meta\.js(\?.*)?$/, "");
      initUi();
    }
    var h = new URLSearchParams(location.search).get("h");
    var main = document.querySelector(".content") || document.querySelector("main");
    if (h && main) {
      var count = highlightPage(h, main);
      var first = main.querySelector("mark.search-hit");
      if (count && first && !location.hash) first.scrollIntoView({ block: "center" });
    }
  }
})(typeof window !== "undefined" ? window : globalThis);
