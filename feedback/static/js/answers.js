/* Answers as typed, read as feedback.questions reads them: the JavaScript twin of each built-in
   type's QuestionBase.parse, tested against the same cases (tests/data/answer_vectors.json) as the
   Python. One global, FeedbackAnswers, used by the web form (served as /static/answers.js) and
   inlined into the offline form.

   parse(question, raw, survey) returns the stored value, undefined for no answer, or throws an
   AnswerError {key, params, message}: ``key`` is the word the form shows (between,
   expected_whole ...), ``params`` fill its {placeholders}, ``message`` is the English fallback.
   ``question`` is the canonical definition (defaults left out); ``survey`` gives
   {defaults: {type: {field: default}}, scales: {name: scale}}. raw is a string (a field), a list
   of strings (ticked boxes), an object (the rows of a then/now question) or a JSON value. */
var FeedbackAnswers = (function () {
  "use strict";

  // feedback.questions.WHITESPACE: what is stripped from both ends (trim() strips other sets)
  var WHITESPACE = " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" +
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
  var EDGES = new RegExp("^[" + WHITESPACE + "]+|[" + WHITESPACE + "]+$", "g");
  var GROUPING = /[ \u00a0\u202f\u2009]/g;
  var NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  var CHOICE_SEPARATORS = new RegExp("[,;" + WHITESPACE + "]+");
  var MAX_EXACT = 9007199254740992;  // 2 ** 53

  function AnswerError(message, key, params) {
    this.name = "AnswerError";
    this.message = message;
    this.key = key || "invalid";
    this.params = params || {};
  }
  AnswerError.prototype = Object.create(Error.prototype);
  AnswerError.prototype.constructor = AnswerError;

  function strip(text) { return String(text).replace(EDGES, ""); }

  function blank(raw) {
    return raw === null || raw === undefined || (typeof raw === "string" && !strip(raw));
  }

  /* Python's format(x, "g"): six significant digits, exponent outside 1e-4 .. 1e6. */
  function formatG(x) {
    if (x === 0) return "0";
    var parts = x.toExponential(5).split("e");
    var exponent = parseInt(parts[1], 10);
    if (exponent < -4 || exponent >= 6) {
      var mantissa = parts[0].replace(/\.?0+$/, "");
      var digits = String(Math.abs(exponent));
      return mantissa + "e" + (exponent < 0 ? "-" : "+") + (digits.length < 2 ? "0" : "") + digits;
    }
    return x.toFixed(Math.max(0, 5 - exponent)).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
  }

  /* Text as Python keeps it: a lone surrogate (which UTF-8 cannot hold) becomes U+FFFD. */
  function wellFormed(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
          text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
        out += text.charAt(i) + text.charAt(i + 1);
        i++;
      } else {
        out += c >= 0xd800 && c <= 0xdfff ? "\ufffd" : text.charAt(i);
      }
    }
    return out;
  }

  /* Characters as Python counts them (code points, not UTF-16 units). */
  function length(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        var d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      n++;
    }
    return n;
  }

  /* feedback.questions.number_from: "2,5" is 2.5, "1 000" is 1000; throws expected_whole (when
     ``whole``) or expected_number. */
  function numberFrom(raw, whole) {
    var fail = whole
      ? new AnswerError("enter a whole number", "expected_whole")
      : new AnswerError("enter a number", "expected_number");
    var value;
    if (typeof raw === "number") {
      value = raw;
    } else if (typeof raw === "string") {
      var cleaned = strip(raw).replace(GROUPING, "");
      if (cleaned.indexOf(",") >= 0 && cleaned.indexOf(".") < 0) {
        cleaned = cleaned.replace(/,/g, ".");  // a decimal comma
      }
      if (!NUMBER.test(cleaned)) throw fail;
      value = Number(cleaned);
    } else {
      throw fail;
    }
    if (!isFinite(value)) throw fail;
    if (whole && !Number.isInteger(value)) throw fail;
    return value === 0 ? 0 : value;  // -0 is 0, as int(-0.0) is
  }

  /* A typed number: {value, whole} or null for text that is no number (the form's helpers). */
  function parseNumber(text) {
    try {
      var value = numberFrom(String(text), false);
      return { value: value, whole: Number.isInteger(value) && Math.abs(value) <= MAX_EXACT };
    } catch (e) {
      return null;
    }
  }

  function inRange(value, low, high) {
    if ((low === null || value >= low) && (high === null || value <= high)) return value;
    if (low !== null && high !== null) {
      throw new AnswerError("enter a number from " + formatG(low) + " to " + formatG(high),
        "between", { min: formatG(low), max: formatG(high) });
    }
    if (low !== null) {
      throw new AnswerError("enter a number of at least " + formatG(low), "at_least",
        { min: formatG(low) });
    }
    throw new AnswerError("enter a number of at most " + formatG(high), "at_most",
      { max: formatG(high) });
  }

  var ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

  /* feedback.questions.date_from: "YYYY-MM-DD" only (spaces at the ends dropped), a day that
     exists in the proleptic Gregorian calendar of Python's datetime.date (years 1 to 9999). */
  function dateFrom(raw) {
    var text = typeof raw === "string" ? strip(raw) : null;
    if (text === null || !ISO_DATE.test(text)) {
      throw new AnswerError("enter a date as YYYY-MM-DD, like 2026-01-14", "expected_date");
    }
    var year = parseInt(text.slice(0, 4), 10);
    var month = parseInt(text.slice(5, 7), 10);
    var day = parseInt(text.slice(8, 10), 10);
    var leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    if (year < 1 || !days || day < 1 || day > days) {
      throw new AnswerError("there is no date " + text, "no_such_date", { date: text });
    }
    return text;
  }

  /* A date within ``low`` .. ``high`` (ISO text, either null): ISO dates sort as text. */
  function dateInRange(value, low, high) {
    if ((low === null || value >= low) && (high === null || value <= high)) return value;
    if (low !== null && high !== null) {
      throw new AnswerError("enter a date from " + low + " to " + high, "date_between",
        { min: low, max: high });
    }
    if (low !== null) {
      throw new AnswerError("enter a date on or after " + low, "date_from", { min: low });
    }
    throw new AnswerError("enter a date on or before " + high, "date_until", { max: high });
  }

  function pick(raw, ids) {
    if (blank(raw)) return undefined;
    if (typeof raw !== "string" || ids.indexOf(strip(raw)) < 0) {
      throw new AnswerError("choose one of the options", "choose");
    }
    return strip(raw);
  }

  function has(object, name) { return Object.prototype.hasOwnProperty.call(object, name); }

  /* A field of a question, its type's default when the canonical definition leaves it out. */
  function prop(question, name, survey) {
    if (has(question, name)) return question[name];
    var defaults = ((survey && survey.defaults) || {})[question.type] || {};
    return has(defaults, name) ? defaults[name] : null;
  }

  /* The ids an answer may use: choices, or the scale's points (its N/A point when allowed). */
  function ids(question, survey) {
    if (question.choices) return question.choices.map(function (c) { return c.id; });
    var scale = typeof question.scale === "string"
      ? ((survey && survey.scales) || {})[question.scale] : question.scale;
    var out = scale.points.map(function (p) { return p.id; });
    if (prop(question, "allow_na", survey) && scale.na) out.push(scale.na.id);
    return out;
  }

  var PARSERS = {
    single_choice: function (q, raw, survey) { return pick(raw, ids(q, survey)); },
    likert: function (q, raw, survey) { return pick(raw, ids(q, survey)); },
    multi_choice: function (q, raw, survey) {
      if (raw === null || raw === undefined) return undefined;
      if (typeof raw === "string") raw = raw.split(CHOICE_SEPARATORS);
      if (!Array.isArray(raw) || !raw.every(function (v) { return typeof v === "string"; })) {
        throw new AnswerError("choose among the options", "choose");
      }
      var ticked = [];
      raw.forEach(function (v) {
        var id = strip(v);
        if (id && ticked.indexOf(id) < 0) ticked.push(id);
      });
      if (!ticked.length) return undefined;
      var known = ids(q, survey);
      if (!ticked.every(function (v) { return known.indexOf(v) >= 0; })) {
        throw new AnswerError("choose among the options", "choose");
      }
      var low = prop(q, "min_selections", survey) || 0;
      var top = prop(q, "max_selections", survey);
      if (top === null) top = q.choices.length;
      if (ticked.length < low || ticked.length > top) {
        throw new AnswerError("choose between " + low + " and " + top + " options",
          "select_between", { min: low, max: top });
      }
      return ticked;
    },
    then_now: function (q, raw, survey) {
      if (raw === null || raw === undefined) return undefined;
      if (typeof raw !== "object" || Array.isArray(raw) ||
          !Object.keys(raw).every(function (k) { return k === "then" || k === "now"; })) {
        throw new AnswerError("choose a point in each row", "invalid");
      }
      var then = has(raw, "then") ? raw.then : null;
      var now = has(raw, "now") ? raw.now : null;
      if (blank(then) && blank(now)) return undefined;
      if (blank(then) || blank(now)) {
        throw new AnswerError("answer both rows, or neither", "both_rows");
      }
      var points = ids(q, survey);
      return { then: pick(then, points), now: pick(now, points) };
    },
    rating: function (q, raw, survey) {
      if (blank(raw)) return undefined;
      return inRange(numberFrom(raw, true), prop(q, "min", survey), prop(q, "max", survey));
    },
    number: function (q, raw, survey) {
      if (blank(raw)) return undefined;
      var value = numberFrom(raw, Boolean(prop(q, "integer", survey)));
      return inRange(value, prop(q, "min", survey), prop(q, "max", survey));
    },
    yes_no: function (q, raw) {
      if (blank(raw)) return undefined;
      if (typeof raw === "boolean") return raw;
      var word = typeof raw === "string" ? strip(raw).toLowerCase() : null;
      if (word === "yes" || word === "true") return true;
      if (word === "no" || word === "false") return false;
      throw new AnswerError("answer yes or no", "yes_or_no");
    },
    text: function (q, raw, survey) {
      if (raw === null || raw === undefined) return undefined;
      if (typeof raw !== "string") throw new AnswerError("type text", "invalid");
      var text = wellFormed(strip(raw.replace(/\r\n?/g, "\n")));
      if (!text) return undefined;
      var most = prop(q, "max_length", survey);
      if (length(text) > most) {
        throw new AnswerError("write at most " + most + " characters", "too_long", { max: most });
      }
      if (!prop(q, "long", survey) && text.indexOf("\n") >= 0) {
        throw new AnswerError("write one line, with no line break", "one_line");
      }
      return text;
    },
    date: function (q, raw, survey) {
      if (blank(raw)) return undefined;
      return dateInRange(dateFrom(raw), prop(q, "min", survey), prop(q, "max", survey));
    },
    note: function (q, raw) {
      if (blank(raw)) return undefined;
      throw new AnswerError("this is a note: nothing is asked here", "invalid");
    }
  };

  /* A type from a plugin whose component gives no parse: the value as given, a string stripped,
     nothing for a blank one (the server checks it with the type's Python parse). */
  function keep(q, raw) {
    if (blank(raw)) return undefined;
    return typeof raw === "string" ? strip(raw) : raw;
  }

  var extra = {};

  /* Give a type's parser (a component's ``parse``); a built-in type keeps its own. */
  function define(type, parser) {
    if (!has(PARSERS, type)) extra[type] = parser;
  }

  function parse(question, raw, survey) {
    var parser = PARSERS[question.type] || extra[question.type] || keep;
    return parser(question, raw, survey);
  }

  /* {value} for an answer, {} for none, {problem: {key, params, message}} (the form's shape). */
  function read(question, raw, survey) {
    try {
      var value = parse(question, raw, survey);
      return value === undefined ? {} : { value: value };
    } catch (e) {
      if (!(e instanceof AnswerError)) throw e;
      return { problem: { key: e.key, params: e.params, message: e.message } };
    }
  }

  return {
    AnswerError: AnswerError,
    WHITESPACE: WHITESPACE,
    strip: strip,
    blank: blank,
    formatG: formatG,
    wellFormed: wellFormed,
    length: length,
    numberFrom: numberFrom,
    parseNumber: parseNumber,
    dateFrom: dateFrom,
    prop: prop,
    ids: ids,
    define: define,
    parse: parse,
    read: read
  };
})();
