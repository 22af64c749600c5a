/* The slider in the offline form (feedback_slider's "offline" rendering): a range control and
   the number it stands for, in a field that a person may also type in; Clear takes the answer
   back. The component contract is the core's (feedback/static/js/types.js); ``parse`` is the
   JavaScript twin of feedback_slider.model.Slider.parse. */
(function () {
  "use strict";

  function g(value) { return String(Number(value.toPrecision(6))); }

  function bounds(q, c) {
    var prop = c ? c.prop : function (name) { return q[name]; };
    var low = prop("min"), high = prop("max"), step = prop("step");
    return {
      low: low === null || low === undefined ? 0 : low,
      high: high === null || high === undefined ? 100 : high,
      step: step === null || step === undefined ? 1 : step
    };
  }

  feedback.registerType("slider", {
    render: function (q, c) {
      var b = bounds(q, c);
      var el = c.el;
      var raw = typeof c.raw === "string" ? c.raw : "";
      var field = el("input", {
        type: "text", inputmode: "decimal", id: "q-" + q.id + "-input", name: q.id, value: raw,
        size: 8, autocomplete: "off", "aria-describedby": c.describedBy,
        "aria-required": c.required ? "true" : null, "aria-invalid": c.error ? "true" : null
      });
      var range = el("input", {
        type: "range", min: b.low, max: b.high, step: b.step, "class": "slider-range",
        value: raw === "" ? String(b.low + Math.round((b.high - b.low) / b.step / 2) * b.step) : raw,
        "aria-hidden": "true", tabindex: "-1"
      });
      range.addEventListener("input", function () { field.value = range.value; });
      field.addEventListener("input", function () {
        var n = FeedbackAnswers.parseNumber(field.value);
        if (n) range.value = String(n.value);
      });
      var clear = el("button", { type: "button", "class": "slider-clear", text: c.words.clear || "Clear" });
      clear.addEventListener("click", function () { field.value = ""; });
      var ends = el("p", { "class": "slider-ends" }, [
        el("span", { text: g(b.low) + (q.min_label ? " = " + c.text(q.min_label) : "") }),
        " … ",
        el("span", { text: g(b.high) + (q.max_label ? " = " + c.text(q.max_label) : "") })
      ]);
      return el("div", { "class": "field slider", id: "q-" + q.id },
        [c.label("q-" + q.id + "-input")].concat(c.notes(), [ends, range, " ", field, " ", clear]));
    },
    read: function (wrap) {
      var field = wrap.querySelector("input[type=text]");
      return field ? field.value : "";
    },
    parse: function (q, raw, survey) {
      if (raw === null || raw === undefined || FeedbackAnswers.blank(raw)) return undefined;
      var b = bounds(q, survey ? { prop: function (name) { return FeedbackAnswers.prop(q, name, survey); } } : null);
      var n = FeedbackAnswers.parseNumber(typeof raw === "number" ? String(raw) : raw);
      if (!n) throw new feedback.AnswerError("enter a number", "expected_number");
      var value = n.value;
      if (value < b.low || value > b.high) {
        throw new feedback.AnswerError("enter a number from " + g(b.low) + " to " + g(b.high),
          "between", { min: g(b.low), max: g(b.high) });
      }
      var count = (value - b.low) / b.step;
      if (Math.abs(count - Math.round(count)) > 1e-9) {
        throw new feedback.AnswerError("enter a number in steps of " + g(b.step) + " from " +
          g(b.low) + ", like " + g(b.low + b.step), "slider_step",
          { step: g(b.step), min: g(b.low), example: g(b.low + b.step) });
      }
      return Number((b.low + Math.round(count) * b.step).toFixed(9));
    }
  });
})();
