/* The survey of the offline form without the page: its canonical definition with the defaults it
   leaves out, its texts in a language, and answers read from what was typed and checked as the
   web form reads and checks a page (feedback_web.form, feedback.questions). Needs FeedbackCore.
   One global, FeedbackSurvey: FeedbackSurvey(data) for the form's data block. */
var FeedbackSurvey = (function () {
  "use strict";

  var C = FeedbackCore;
  var WIDGETS = {
    note: "note", then_now: "then_now", multi_choice: "checkboxes", single_choice: "radios",
    likert: "radios", rating: "rating", yes_no: "yes_no", number: "number"
  };

  function humanise(id) {
    var words = id.replace(/[_-]/g, " ").trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  return function (data) {
    var definition = data.survey.definition;
    var sections = definition.sections || [{ questions: definition.questions }];
    var questions = [];
    var sectionOf = {};
    var byId = {};
    sections.forEach(function (section, index) {
      section.questions.forEach(function (q) {
        questions.push(q);
        sectionOf[q.id] = index;
        byId[q.id] = q;
      });
    });

    // -- the definition ---------------------------------------------------------------------

    function prop(q, name) {
      if (Object.prototype.hasOwnProperty.call(q, name)) return q[name];
      var fallback = (data.defaults[q.type] || {})[name];
      return fallback === undefined ? null : fallback;
    }

    function answerable(q) { return q.type !== "note"; }

    /* A text in ``language`` (feedback.options.localise): a plain string is every language's. */
    function text(value, language, fallback) {
      if (value === null || value === undefined) return fallback || "";
      if (typeof value === "string") return value;
      if (Object.prototype.hasOwnProperty.call(value, language)) return value[language];
      var keys = Object.keys(value);
      return keys.length ? value[keys[0]] : fallback || "";
    }

    /* [id, label] of each choice or scale point, the N/A point last (feedback_web.form.options). */
    function options(q, language) {
      var list;
      if (q.choices) {
        list = q.choices;
      } else {
        var scale = typeof q.scale === "string" ? definition.scales[q.scale] : q.scale;
        list = scale.points.slice();
        if (prop(q, "allow_na") && scale.na) list.push(scale.na);
      }
      return list.map(function (o) { return [o.id, text(o.label, language, humanise(o.id))]; });
    }

    function widget(q) {
      return WIDGETS[q.type] || (prop(q, "long") ? "textarea" : "text");
    }

    // -- answers ------------------------------------------------------------------------------

    /* What was typed for a question, in the shape its fields hold. */
    function typedOf(q, typed) {
      var value = typed[q.id];
      if (q.type === "then_now") {
        return value && typeof value === "object" ? value : { then: "", now: "" };
      }
      if (q.type === "multi_choice") return Array.isArray(value) ? value : [];
      return typeof value === "string" ? value : "";
    }

    /* {value} for an answer, {problem} for input that is no answer, {} for none
       (feedback_web.form.parse_field). */
    function parse(q, typed) {
      var value = typedOf(q, typed);
      if (q.type === "then_now") {
        var then = value.then || "";
        var now = value.now || "";
        if (then && now) return { value: { then: then, now: now } };
        return then || now ? { problem: { key: "both_rows" } } : {};
      }
      if (q.type === "multi_choice") {
        var ticked = value.filter(function (v, i) { return v && value.indexOf(v) === i; });
        return ticked.length ? { value: ticked } : {};
      }
      if (q.type === "text") {
        var cleaned = C.wellFormed(value.replace(/\r\n?/g, "\n").trim());
        return cleaned ? { value: cleaned } : {};
      }
      var raw = value.trim();
      if (!raw || q.type === "note") return {};
      if (q.type === "yes_no") return raw === "yes" || raw === "no" ? { value: raw === "yes" } : {};
      if (q.type === "rating" || q.type === "number") {
        var n = C.parseNumber(raw);
        if (n === null) {
          var whole = q.type === "rating" || prop(q, "integer");
          return { problem: { key: whole ? "expected_whole" : "expected_number" } };
        }
        return { value: n.value };
      }
      return { value: raw };
    }

    /* Why an answer is refused, as a word of the form and its values (Question.check, worded as
       feedback_web.form.explain words it), or null. */
    function check(q, value) {
      if (q.type === "multi_choice") {
        var low = prop(q, "min_selections") || 0;
        var top = prop(q, "max_selections") || q.choices.length;
        return value.length < low || value.length > top
          ? { key: "select_between", params: { min: low, max: top } } : null;
      }
      if (q.type === "rating" || q.type === "number") {
        if ((q.type === "rating" || prop(q, "integer")) && !Number.isInteger(value)) {
          return { key: "expected_whole" };
        }
        var min = prop(q, "min");
        var max = prop(q, "max");
        if ((min !== null && value < min) || (max !== null && value > max)) {
          if (min !== null && max !== null) {
            return { key: "between", params: { min: C.formatG(min), max: C.formatG(max) } };
          }
          if (min !== null) return { key: "at_least", params: { min: C.formatG(min) } };
          return { key: "at_most", params: { max: C.formatG(max) } };
        }
        return null;
      }
      if (q.type === "text") {
        var most = prop(q, "max_length");
        if (C.length(value) > most) return { key: "too_long", params: { max: most } };
        if (!prop(q, "long") && /[\r\n]/.test(value)) return { key: "one_line" };
      }
      return null;
    }

    /* The questions shown for what was typed, show_if applied in order (Survey.visible). */
    function visible(typed) {
      var shown = {};
      var out = {};
      questions.forEach(function (q) {
        if (!q.show_if || C.evaluate(q.show_if, shown)) {
          out[q.id] = true;
          var value = answerable(q) ? parse(q, typed).value : undefined;
          if (value !== undefined) shown[q.id] = value;
        }
      });
      return out;
    }

    /* The sections shown as pages: those with a visible question (feedback_web.form.pages). */
    function pages(visibleSet) {
      var out = [];
      sections.forEach(function (section, index) {
        if (section.questions.some(function (q) { return visibleSet[q.id]; })) out.push(index);
      });
      return out.length ? out : [0];
    }

    /* The page before (step -1) or after (+1) ``page`` of the pages ``shown``; null at the ends. */
    function neighbour(shown, page, step) {
      var at = shown.indexOf(page);
      if (at >= 0) {
        var index = at + step;
        return index >= 0 && index < shown.length ? shown[index] : null;
      }
      var further = shown.filter(function (p) { return step > 0 ? p > page : p < page; });
      if (!further.length) return null;
      return step > 0 ? further[0] : further[further.length - 1];
    }

    /* The problems of the visible questions among ``list``, by question id. */
    function problems(list, typed) {
      var shown = visible(typed);
      var out = {};
      list.forEach(function (q) {
        if (!shown[q.id] || !answerable(q)) return;
        var result = parse(q, typed);
        if (result.problem) {
          out[q.id] = result.problem;
        } else if (result.value !== undefined) {
          var problem = check(q, result.value);
          if (problem) out[q.id] = problem;
        } else if (prop(q, "required")) {
          out[q.id] = { key: "required" };
        }
      });
      return out;
    }

    /* The answers of the response: visible questions answered, hidden ones left out. */
    function answers(typed) {
      var shown = visible(typed);
      var out = {};
      questions.forEach(function (q) {
        if (!shown[q.id] || !answerable(q)) return;
        var value = parse(q, typed).value;
        if (value !== undefined) out[q.id] = value;
      });
      return out;
    }

    return {
      definition: definition,
      sections: sections,
      questions: questions,
      sectionOf: sectionOf,
      byId: byId,
      prop: prop,
      text: text,
      options: options,
      widget: widget,
      typedOf: typedOf,
      visible: visible,
      pages: pages,
      neighbour: neighbour,
      problems: problems,
      answers: answers
    };
  };
})();
