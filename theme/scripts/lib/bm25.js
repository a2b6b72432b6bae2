// Scoring: tantivy's BM25 in single precision (Math.fround at each step it rounds), its table of
// quantised field lengths, the field boosts and the constant score of a prefix match.
import { indexMeta } from "./index-files.js";

const fround = Math.fround;
const K1 = fround(1.2), B = fround(0.75), ONE_PLUS_K1 = fround(1 + K1);
// Title, heading, body.
export const BOOSTS = [3, 2, 1];
export const PREFIX_FACTOR = fround(0.8);
// Field length by length id (tantivy's fieldnorm table).
const FIELD_NORMS = (function () {
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
export function idf(df) {
  var n = indexMeta().n;
  var x = fround(fround(fround(n - df) + 0.5) / fround(df + 0.5));
  return fround(Math.log(fround(1 + x)));
}
export function bm25Weight(idfValue, boost) {
  var weight = fround(idfValue * ONE_PLUS_K1);
  return boost === 1 ? weight : fround(weight * boost);
}
// K1 x (1 - B + B x length / average length), per field and length id, as tantivy caches it.
let tfCache = null;
export function bm25(weight, field, normId, tf) {
  if (!tfCache) {
    var meta = indexMeta();
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
export function Scores() {
  var meta = indexMeta();
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
export function add(scores, doc, score) {
  scores.set(doc, scores.has(doc) ? scores.get(doc) + score : score);
}
