/* The offline form's questions as the web form shows them (the markup of feedback_web's
   questions.html.j2): every input labelled, grouped inputs in a fieldset with a legend, a problem
   next to its question and tied to it with aria-describedby. Every text goes in as text, never as
   markup. One global, FeedbackQuestions: its ``make(survey)`` for a FeedbackSurvey, and the
   helpers the form's screens use too. */
var FeedbackQuestions = (function () {
  "use strict";

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

  /* Shown questions take part; hidden ones are out of sight and their fields disabled. */
  function showIf(wrap, visible) {
    wrap.hidden = !visible;
    Array.prototype.forEach.call(wrap.querySelectorAll("input, textarea"), function (input) {
      input.disabled = !visible;
    });
  }

  function make(survey) {
    var prop = survey.prop;

    /* ``ctx``: the language, the form's words in it, what was typed, the question's problem (a
       word and its values) and whether it is shown. */
    function question(q, ctx) {
      var w = ctx.words;
      var error = ctx.error;
      var value = survey.typedOf(q, ctx.typed);
      var text = function (v, fallback) { return survey.text(v, ctx.language, fallback); };
      var label = text(q.label);
      var describedBy = [q.help ? "q-" + q.id + "-help" : null, error ? "q-" + q.id + "-error" : null]
        .filter(Boolean).join(" ") || null;
      var required = prop(q, "required")
        ? [" ", el("span", { "class": "required", text: w.required_mark })] : [];
      var legend = el("legend", { "class": "label" }, [label].concat(required));
      var notes = [
        q.help ? el("p", { "class": "help", id: "q-" + q.id + "-help", text: text(q.help) }) : null,
        error ? el("p", {
          "class": "error", id: "q-" + q.id + "-error",
          text: format(w[error.key] || error.key, error.params)
        }) : null
      ];
      var group = { id: "q-" + q.id, "aria-describedby": describedBy };

      function choices(name, chosen, kind, prefix) {
        return el("div", { "class": "options" }, survey.options(q, ctx.language).map(
          function (option, index) {
            var id = "q-" + q.id + prefix + "-" + (index + 1);
            var checked = kind === "checkbox" ? chosen.indexOf(option[0]) >= 0 : chosen === option[0];
            return el("div", { "class": "option" }, [
              el("input", { type: kind, id: id, name: name, value: option[0], checked: checked }),
              el("label", { "for": id, text: option[1] })
            ]);
          }));
      }

      function radio(id, v, labelText, chosen, extra) {
        return [
          el("input", { type: "radio", id: id, name: q.id, value: v, checked: chosen }),
          el("label", { "for": id }, [labelText].concat(extra || []))
        ];
      }

      var widget = survey.widget(q);
      var body;
      if (widget === "note") {
        body = [
          el("p", { "class": "note", id: "q-" + q.id, text: label }),
          q.help ? el("p", { "class": "help", text: text(q.help) }) : null
        ];
      } else if (widget === "radios" || widget === "checkboxes") {
        body = [el("fieldset", group, [legend].concat(notes, [
          choices(q.id, value, widget === "checkboxes" ? "checkbox" : "radio", "")
        ]))];
      } else if (widget === "yes_no") {
        body = [el("fieldset", group, [legend].concat(notes, [
          el("div", { "class": "options inline" }, ["yes", "no"].map(function (v) {
            return el("div", { "class": "option" }, radio("q-" + q.id + "-" + v, v, w[v], value === v));
          }))
        ]))];
      } else if (widget === "then_now") {
        var rows = [["then", text(q.then_label, w.before)], ["now", text(q.now_label, w.now)]];
        body = [el("fieldset", Object.assign({ "class": "then-now" }, group), [legend].concat(
          notes,
          rows.map(function (row) {
            return el("fieldset", { "class": "row" }, [
              el("legend", { text: row[1] }),
              choices(q.id + "." + row[0], value[row[0]] || "", "radio", "-" + row[0])
            ]);
          })
        ))];
      } else if (widget === "rating") {
        var low = prop(q, "min");
        var high = prop(q, "max");
        var ends = [text(q.min_label), text(q.max_label)];
        var points = [];
        for (var n = low; n <= high; n++) {
          var end = n === low ? ends[0] : n === high ? ends[1] : "";
          points.push(el("div", { "class": "option number-option" }, radio(
            "q-" + q.id + "-" + n, n, String(n), value === String(n),
            end ? [el("span", { "class": "visually-hidden", text: " (" + end + ")" })] : []
          )));
        }
        body = [el("fieldset", Object.assign({ "class": "rating" }, group), [legend].concat(notes, [
          el("div", { "class": "scale-ends", "aria-hidden": "true" }, [
            el("span", { text: ends[0] }), el("span", { text: ends[1] })
          ]),
          el("div", { "class": "options inline" }, points)
        ]))];
      } else {
        var id = "q-" + q.id + "-input";
        var common = {
          id: id, name: q.id, "aria-describedby": describedBy,
          "aria-required": prop(q, "required") ? "true" : null, "aria-invalid": error ? "true" : null
        };
        var field;
        if (widget === "textarea") {
          field = el("textarea", Object.assign({ rows: 5, maxlength: prop(q, "max_length") }, common));
          field.value = value;
        } else if (widget === "number") {
          field = el("span", { "class": "with-unit" }, [
            el("input", Object.assign({
              type: "text", inputmode: "decimal", value: value, size: 10, autocomplete: "off"
            }, common)),
            q.unit ? " " : null,
            q.unit ? el("span", { "class": "unit", text: text(q.unit) }) : null
          ]);
        } else {
          field = el("input", Object.assign({
            type: "text", value: value, maxlength: prop(q, "max_length"), autocomplete: "off"
          }, common));
        }
        body = [el("div", { "class": "field", id: "q-" + q.id }, [
          el("label", { "class": "label", "for": id }, [label].concat(required))
        ].concat(notes, [field]))];
      }
      var wrap = el("div", {
        "class": "question" + (error ? " has-error" : ""), "data-question": q.id, "data-widget": widget
      }, body);
      showIf(wrap, ctx.visible);
      return wrap;
    }

    /* What the fields of a question's element hold: [question id, typed] (null for a note). */
    function read(wrap) {
      var qid = wrap.getAttribute("data-question");
      var widget = wrap.getAttribute("data-widget");
      var checked = function (name) {
        return Array.prototype.filter.call(wrap.querySelectorAll("input"), function (i) {
          return i.checked && (name === undefined || i.name === name);
        }).map(function (i) { return i.value; });
      };
      if (widget === "note") return null;
      if (widget === "checkboxes") return [qid, checked()];
      if (widget === "then_now") {
        return [qid, { then: checked(qid + ".then")[0] || "", now: checked(qid + ".now")[0] || "" }];
      }
      if (widget === "radios" || widget === "yes_no" || widget === "rating") {
        return [qid, checked()[0] || ""];
      }
      return [qid, wrap.querySelector("input, textarea").value];
    }

    return { question: question, read: read };
  }

  return { el: el, format: format, showIf: showIf, make: make };
})();
