/* The offline form's logic without the page: the canonical JSON and SHA-256 of a response file's
   checksum, UUIDv4, dates. One global, FeedbackCore, that form.js uses (and tests load on their
   own, after the core's conditions.js and answers.js, whose helpers it passes on). Nothing here
   touches the network. */
var FeedbackCore = (function () {
  "use strict";

  var A = FeedbackAnswers;  // the core's answers.js: numbers and text as the one parser reads them

  // -- the canonical JSON a checksum is taken of ----------------------------------------------

  function byCodePoint(a, b) {
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i);
      var y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return (a.length - i) - (b.length - j);
  }

  /* A number as Python's json.dumps writes what json.loads read of JSON.stringify's text: whole
     numbers as integers, other floats with repr()'s exponent form below 1e-4 ("1e-05"). */
  function number(x) {
    if (!isFinite(x)) throw new Error("not a finite number: " + x);
    if (x === 0) return "0";
    var text = String(x);
    if (Math.abs(x) < 1e-4) {
      var parts = x.toExponential().split("e");
      var exponent = parts[1].replace(/^[+-]/, "");
      text = parts[0] + "e-" + (exponent.length < 2 ? "0" : "") + exponent;
    }
    return text;
  }

  /* json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False), as the
     importer (feedback_offline.files.canonical) computes it of the file it reads. */
  function canonical(value) {
    if (value === null) return "null";
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return number(value);
    if (typeof value === "string") return JSON.stringify(value);
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (typeof value === "object") {
      return "{" + Object.keys(value).filter(function (k) { return value[k] !== undefined; })
        .sort(byCodePoint)
        .map(function (k) { return JSON.stringify(k) + ":" + canonical(value[k]); })
        .join(",") + "}";
    }
    throw new Error("cannot write " + typeof value + " as JSON");
  }

  function utf8(text) {
    if (typeof TextEncoder !== "undefined") return new TextEncoder().encode(text);
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.codePointAt(i);
      if (c > 0xffff) i++;
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else {
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
    }
    return new Uint8Array(out);
  }

  // -- SHA-256 in plain JavaScript, for a browser without crypto.subtle (FIPS 180-4) ------------

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  function sha256Hex(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var total = ((bytes.length + 9 + 63) >> 6) << 6;
    var data = new Uint8Array(total);
    data.set(bytes);
    data[bytes.length] = 0x80;
    var bits = bytes.length * 8;
    for (var b = 0; b < 8; b++) data[total - 1 - b] = Math.floor(bits / Math.pow(2, 8 * b)) & 255;
    var w = new Array(64);
    for (var offset = 0; offset < total; offset += 64) {
      for (var t = 0; t < 16; t++) {
        var o = offset + 4 * t;
        w[t] = (data[o] << 24) | (data[o + 1] << 16) | (data[o + 2] << 8) | data[o + 3];
      }
      for (t = 16; t < 64; t++) {
        var x = w[t - 15];
        var y = w[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7], bb = h[1];
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (k + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & bb) ^ (a & c) ^ (bb & c);
        var t2 = (S0 + maj) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h.map(function (v) { return ("00000000" + (v >>> 0).toString(16)).slice(-8); }).join("");
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (v) {
      return ("0" + v.toString(16)).slice(-2);
    }).join("");
  }

  /* "sha256:<hex>" of the response's canonical JSON (files.py `checksum`): crypto.subtle where
     the browser offers it (file:// is not a secure context everywhere), the function above if not. */
  function checksum(response) {
    var bytes = utf8(canonical(response));
    var subtle = typeof crypto !== "undefined" && crypto.subtle;
    if (!subtle || typeof subtle.digest !== "function") {
      return Promise.resolve("sha256:" + sha256Hex(bytes));
    }
    return subtle.digest("SHA-256", bytes).then(
      function (digest) { return "sha256:" + hex(digest); },
      function () { return "sha256:" + sha256Hex(bytes); }
    );
  }

  // -- identifiers and dates --------------------------------------------------------------------

  /* A random UUID (version 4) from crypto.getRandomValues; crypto.randomUUID may be absent. */
  function uuid4() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = hex(b);
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* The local date, YYYY-MM-DD: a response keeps the date only, never a time of day. */
  function localDate(when) {
    return when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate());
  }

  /* YYYYMMDD-HHMMSS, local time, for the name of an export. */
  function stamp(when) {
    return localDate(when).replace(/-/g, "") + "-" + pad(when.getHours()) +
      pad(when.getMinutes()) + pad(when.getSeconds());
  }

  return {
    evaluate: FeedbackConditions.evaluate,
    parseNumber: A.parseNumber,
    formatG: A.formatG,
    wellFormed: A.wellFormed,
    length: A.length,
    canonical: canonical,
    utf8: utf8,
    sha256Hex: sha256Hex,
    checksum: checksum,
    uuid4: uuid4,
    localDate: localDate,
    stamp: stamp
  };
})();
