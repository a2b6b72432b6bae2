// The Snowball English stemmer (the current algorithm), ported from the one the Rust analyzer uses.

const EXCEPTIONS = { skis: "ski", skies: "sky", idly: "idl", gently: "gentl", ugly: "ugli", early: "earli",
  only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos",
  bias: "bias", andes: "andes" };
const R1_PREFIXES = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"];
const STEP2 = [["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
  ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"], ["entli", "ent"], ["ation", "ate"], ["alism", "al"],
  ["aliti", "al"], ["ousli", "ous"], ["iviti", "ive"], ["fulli", "ful"], ["ogist", "og"], ["enci", "ence"],
  ["anci", "ance"], ["abli", "able"], ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"],
  ["ogi", "og"], ["li", ""]];
const STEP3 = [["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
  ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""]];
const STEP4 = ["ement", "ment", "able", "ible", "ance", "ence", "ate", "iti", "ion", "ism", "ive", "ize", "ous",
  "ant", "ent", "al", "er", "ic"];
function isV(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }
// The stem of one lowercase word, as rust-stemmers' English (Snowball) algorithm gives it.
export function stem(word) {
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
