/* Question types in the browser: one component per type that draws a question and reads back
   what its fields hold. One global, ``feedback``, used by the web form (served as
   /static/types.js: there it reads answers for show_if) and inlined into the offline form (there
   it draws every question too). Needs FeedbackAnswers (answers.js), loaded first.

   The component contract. A question type's ``offline`` rendering is a JavaScript file (a
   target, "package:path/file.js") that the offline form inlines after this one; it registers
   the type's component:

     feedback.registerType("slider", {
       // the nodes inside the question's wrapper (an element, or a list of them)
       render: function (question, ctx) { ... },
       // what the fields inside ``wrap`` hold: a string, a list of strings or {row: string}
       read: function (wrap) { ... },
       // optional: the JavaScript twin of the type's Python parse: the stored value, undefined
       // for no answer, or throw new feedback.AnswerError(message, key, params)
       parse: function (question, raw, survey) { ... }
     });

   ``question`` is the question's canonical definition (fields at their default left out: read
   them with ``ctx.prop(name)``). ``ctx`` holds: language, words (the form's words in it), raw
   (what the fields held, to show again; may be undefined), error ({key, params, message} or
   null), required, describedBy (the ids of its help and problem, or null), and the helpers
   text(value, fallback), options() ([[id, label]] of choices or scale points), prop(name),
   el(tag, attrs, children), format(template, params), legend() (the label as a <legend>),
   label(forId) (the label as a <label>) and notes() (its help and problem, as paragraphs).
   The wrapper (<div class="question" data-question=ID data-type=TYPE>) is made here: ids inside
   it start with "q-" + the question's id. Every text goes in as text, never as markup. */
var feedback = (function () {
  "use strict";

  var A = FeedbackAnswers;
  var components = {};

  /* An element: attributes (``text`` for its text; null, undefined and false left out) and
     children (elements or strings). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function format(template, params) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return params && name in params ? String(params[name]) : all;
    });
  }

  /* A problem in the participant's words: the form's word for its key, else its message. */
  function worded(problem, words) {
    if (words && words[problem.key]) return format(words[problem.key], problem.params);
    return problem.message || problem.key;
  }

  function registerType(name, component) {
    if (!component || typeof component.render !== "function" ||
        typeof component.read !== "function") {
      throw new Error("a question type's component needs render() and read(): " + name);
    }
    components[name] = component;
    if (typeof component.parse === "function") A.define(name, component.parse);
  }

  function component(name) { return components[name] || null; }

  /* Shown questions take part; hidden ones are out of sight and their fields disabled. */
  function showIf(wrap, visible) {
    wrap.hidden = !visible;
    Array.prototype.forEach.call(wrap.querySelectorAll("input, textarea, select, button"),
      function (input) { input.disabled = !visible; });
  }

  /* What the checked boxes or buttons inside ``wrap`` hold (of the field ``name``, if given). */
  function checked(wrap, name) {
    return Array.prototype.filter.call(wrap.querySelectorAll("input"), function (i) {
      return i.checked && (name === undefined || i.name === name);
    }).map(function (i) { return i.value; });
  }

  /* A type with no component (a plugin's, on the web form): what its fields hold. */
  function readFields(wrap) {
    var boxes = wrap.querySelectorAll("input[type=checkbox]");
    if (boxes.length) return checked(wrap);
    if (wrap.querySelector("input[type=radio]")) return checked(wrap)[0] || "";
    var field = wrap.querySelector("input, textarea, select");
    return field ? field.value : undefined;
  }

  /* What a question's wrapper holds, for `FeedbackAnswers.parse`. */
  function read(wrap) {
    var made = component(wrap.getAttribute("data-type"));
    return made ? made.read(wrap) : readFields(wrap);
  }

  /* A question drawn: ``ctx`` has language, words, raw, error ({key, params, message} or null),
     visible, and ``survey``: text(value, language, fallback), options(q, language),
     prop(q, name) of the survey's definition (FeedbackSurvey). */
  function question(q, ctx) {
    var made = component(q.type);
    if (!made) throw new Error("no component draws questions of type '" + q.type + "'");
    var survey = ctx.survey;
    var w = ctx.words;
    var error = ctx.error || null;
    var text = function (value, fallback) { return survey.text(value, ctx.language, fallback); };
    var prop = function (name) { return survey.prop(q, name); };
    var required = Boolean(prop("required"));
    var describedBy = [q.help ? "q-" + q.id + "-help" : null, error ? "q-" + q.id + "-error" : null]
      .filter(Boolean).join(" ") || null;
    var mark = function () {
      return required ? [" ", el("span", { "class": "required", text: w.required_mark })] : [];
    };
    var c = {
      language: ctx.language,
      words: w,
      raw: ctx.raw,
      error: error,
      required: required,
      describedBy: describedBy,
      text: text,
      prop: prop,
      options: function () { return survey.options(q, ctx.language); },
      el: el,
      format: format,
      legend: function () {
        return el("legend", { "class": "label" }, [text(q.label)].concat(mark()));
      },
      label: function (forId) {
        return el("label", { "class": "label", "for": forId }, [text(q.label)].concat(mark()));
      },
      notes: function () {
        return [
          q.help
            ? el("p", { "class": "help", id: "q-" + q.id + "-help", text: text(q.help) }) : null,
          error ? el("p", { "class": "error", id: "q-" + q.id + "-error", text: worded(error, w) })
            : null
        ];
      }
    };
    var body = made.render(q, c);
    var wrap = el("div", {
      "class": "question" + (error ? " has-error" : ""), "data-question": q.id, "data-type": q.type,
      "data-widget": q.type
    }, Array.isArray(body) ? body : [body]);
    showIf(wrap, ctx.visible !== false);
    return wrap;
  }

  // -- the built-in types ------------------------------------------------------------------------

  function group(q, c, extra) {
    return Object.assign({ id: "q-" + q.id, "aria-describedby": c.describedBy }, extra || {});
  }

  function options(q, c, name, chosen, kind, prefix) {
    return el("div", { "class": "options" }, c.options().map(function (option, index) {
      var id = "q-" + q.id + prefix + "-" + (index + 1);
      var on = kind === "checkbox" ? chosen.indexOf(option[0]) >= 0 : chosen === option[0];
      return el("div", { "class": "option" }, [
        el("input", { type: kind, id: id, name: name, value: option[0], checked: on }),
        el("label", { "for": id, text: option[1] })
      ]);
    }));
  }

  function radio(q, id, value, labelText, on, extra) {
    return [
      el("input", { type: "radio", id: id, name: q.id, value: value, checked: on }),
      el("label", { "for": id }, [labelText].concat(extra || []))
    ];
  }

  function one(raw) { return typeof raw === "string" ? raw : ""; }

  var radios = {
    render: function (q, c) {
      return el("fieldset", group(q, c), [c.legend()].concat(c.notes(), [
        options(q, c, q.id, one(c.raw), "radio", "")
      ]));
    },
    read: function (wrap) { return checked(wrap)[0] || ""; }
  };

  registerType("note", {
    render: function (q, c) {
      return [
        el("p", { "class": "note", id: "q-" + q.id, text: c.text(q.label) }),
        q.help ? el("p", { "class": "help", text: c.text(q.help) }) : null
      ];
    },
    read: function () { return undefined; }
  });

  registerType("single_choice", radios);
  registerType("likert", radios);

  registerType("multi_choice", {
    render: function (q, c) {
      var ticked = Array.isArray(c.raw) ? c.raw : c.raw ? [String(c.raw)] : [];
      return el("fieldset", group(q, c), [c.legend()].concat(c.notes(), [
        options(q, c, q.id, ticked, "checkbox", "")
      ]));
    },
    read: function (wrap) { return checked(wrap); }
  });

  registerType("yes_no", {
    render: function (q, c) {
      var raw = one(c.raw);
      return el("fieldset", group(q, c), [c.legend()].concat(c.notes(), [
        el("div", { "class": "options inline" }, ["yes", "no"].map(function (v) {
          return el("div", { "class": "option" },
            radio(q, "q-" + q.id + "-" + v, v, c.words[v], raw === v));
        }))
      ]));
    },
    read: function (wrap) { return checked(wrap)[0] || ""; }
  });

  registerType("then_now", {
    render: function (q, c) {
      var raw = c.raw && typeof c.raw === "object" && !Array.isArray(c.raw) ? c.raw : {};
      var rows = [["then", c.text(q.then_label, c.words.before)],
        ["now", c.text(q.now_label, c.words.now)]];
      return el("fieldset", group(q, c, { "class": "then-now" }), [c.legend()].concat(
        c.notes(),
        rows.map(function (row) {
          return el("fieldset", { "class": "row" }, [
            el("legend", { text: row[1] }),
            options(q, c, q.id + "." + row[0], one(raw[row[0]]), "radio", "-" + row[0])
          ]);
        })
      ));
    },
    read: function (wrap) {
      var qid = wrap.getAttribute("data-question");
      return {
        then: checked(wrap, qid + ".then")[0] || "", now: checked(wrap, qid + ".now")[0] || ""
      };
    }
  });

  registerType("rating", {
    render: function (q, c) {
      var low = c.prop("min");
      var high = c.prop("max");
      var raw = one(c.raw);
      var ends = [c.text(q.min_label), c.text(q.max_label)];
      var points = [];
      for (var n = low; n <= high; n++) {
        var end = n === low ? ends[0] : n === high ? ends[1] : "";
        points.push(el("div", { "class": "option number-option" }, radio(
          q, "q-" + q.id + "-" + n, n, String(n), raw === String(n),
          end ? [el("span", { "class": "visually-hidden", text: " (" + end + ")" })] : []
        )));
      }
      return el("fieldset", group(q, c, { "class": "rating" }), [c.legend()].concat(c.notes(), [
        el("div", { "class": "scale-ends", "aria-hidden": "true" }, [
          el("span", { text: ends[0] }), el("span", { text: ends[1] })
        ]),
        el("div", { "class": "options inline" }, points)
      ]));
    },
    read: function (wrap) { return checked(wrap)[0] || ""; }
  });

  function fieldAttrs(q, c) {
    return {
      id: "q-" + q.id + "-input", name: q.id, "aria-describedby": c.describedBy,
      "aria-required": c.required ? "true" : null, "aria-invalid": c.error ? "true" : null
    };
  }

  function typed(wrap) {
    var field = wrap.querySelector("input, textarea");
    return field ? field.value : "";
  }

  registerType("number", {
    render: function (q, c) {
      var field = el("span", { "class": "with-unit" }, [
        el("input", Object.assign({
          type: "text", inputmode: c.prop("integer") ? "numeric" : "decimal", value: one(c.raw),
          size: 10, autocomplete: "off"
        }, fieldAttrs(q, c))),
        q.unit ? " " : null,
        q.unit ? el("span", { "class": "unit", text: c.text(q.unit) }) : null
      ]);
      return el("div", { "class": "field", id: "q-" + q.id },
        [c.label("q-" + q.id + "-input")].concat(c.notes(), [field]));
    },
    read: typed
  });

  registerType("text", {
    render: function (q, c) {
      var field;
      if (c.prop("long")) {
        field = el("textarea", Object.assign({ rows: 5, maxlength: c.prop("max_length") },
          fieldAttrs(q, c)));
        field.value = one(c.raw);
      } else {
        field = el("input", Object.assign({
          type: "text", value: one(c.raw), maxlength: c.prop("max_length"), autocomplete: "off"
        }, fieldAttrs(q, c)));
      }
      return el("div", { "class": "field", id: "q-" + q.id },
        [c.label("q-" + q.id + "-input")].concat(c.notes(), [field]));
    },
    read: typed
  });

  /* A date: the browser's date picker (keyboard-operable, in the reader's own date order),
     whose value is always YYYY-MM-DD whatever it shows; a browser without one shows a text
     field, where the hint says how to type it. */
  registerType("date", {
    render: function (q, c) {
      var field = el("input", Object.assign({
        type: "date", value: one(c.raw), min: q.min || null, max: q.max || null,
        placeholder: "YYYY-MM-DD", autocomplete: "off"
      }, fieldAttrs(q, c)));
      return el("div", { "class": "field", id: "q-" + q.id },
        [c.label("q-" + q.id + "-input")].concat(c.notes(), [field]));
    },
    read: typed
  });

  return {
    AnswerError: A.AnswerError,
    registerType: registerType,
    component: component,
    question: question,
    read: read,
    showIf: showIf,
    checked: checked,
    el: el,
    format: format,
    worded: worded
  };
})();
