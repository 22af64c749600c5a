/* The survey of the offline form without the page: its canonical definition with the defaults it
   leaves out, its texts in a language, and answers read from what was typed with the one parser
   (FeedbackAnswers, the twin of each type's QuestionBase.parse) as the web form reads a page.
   Needs FeedbackConditions and FeedbackAnswers. One global, FeedbackSurvey: FeedbackSurvey(data)
   for the form's data block. */
var FeedbackSurvey = (function () {
  "use strict";

  var A = FeedbackAnswers;

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

    // what the parser needs besides a question: the types' defaults and the survey's scales
    var context = { defaults: data.defaults, scales: definition.scales || {} };

    function prop(q, name) { return A.prop(q, name, context); }

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

    // -- answers ------------------------------------------------------------------------------

    /* {value} for an answer, {problem: {key, params, message}} for input that is no answer,
       {} for none: the question's type's parser (feedback.questions, answers.js). */
    function parse(q, typed) {
      return A.read(q, typed[q.id], context);
    }

    /* The questions shown for what was typed, show_if applied in order (Survey.visible). */
    function visible(typed) {
      var shown = {};
      var out = {};
      questions.forEach(function (q) {
        if (!q.show_if || FeedbackConditions.evaluate(q.show_if, shown)) {
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
        } else if (result.value === undefined && prop(q, "required")) {
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
      parse: parse,
      visible: visible,
      pages: pages,
      neighbour: neighbour,
      problems: problems,
      answers: answers
    };
  };
})();
