/* The web form without a page load where possible: show_if applied as the participant answers,
   and the error summary focused. Everything works without this script; the server applies the
   same conditions between pages. */
(function () {
  "use strict";

  function same(a, b) {
    if ((typeof a === "boolean") !== (typeof b === "boolean")) return false;
    return a === b;
  }

  function compare(question, op, operand, answers) {
    var answer = answers[question];
    var present = answer !== undefined && answer !== null;
    if (op === "answered") return present === Boolean(operand);
    if (!present) return false;
    var ticked = Array.isArray(answer) ? answer : [answer];
    var any = function (values) {
      return ticked.some(function (a) { return values.some(function (v) { return same(a, v); }); });
    };
    if (op === "eq") return any([operand]);
    if (op === "ne") return !any([operand]);
    if (op === "in") return any(operand);
    if (op === "not_in") return !any(operand);
    if (typeof answer !== "number") return false;
    if (op === "gt") return answer > operand;
    if (op === "ge") return answer >= operand;
    if (op === "lt") return answer < operand;
    if (op === "le") return answer <= operand;
    return false;
  }

  function evaluate(condition, answers) {
    return Object.keys(condition).every(function (key) {
      var value = condition[key];
      if (key === "all") return value.every(function (c) { return evaluate(c, answers); });
      if (key === "any") return value.some(function (c) { return evaluate(c, answers); });
      if (key === "not") return !evaluate(value, answers);
      return Object.keys(value).every(function (op) { return compare(key, op, value[op], answers); });
    });
  }

  function number(text) {
    var t = text.replace(/\s/g, "");
    if (t.indexOf(",") >= 0 && t.indexOf(".") < 0) t = t.replace(",", ".");
    if (t === "" || isNaN(Number(t))) return undefined;
    return Number(t);
  }

  function valueOf(wrap) {
    var widget = wrap.getAttribute("data-widget");
    var checked = Array.prototype.slice.call(wrap.querySelectorAll("input:checked"));
    if (widget === "checkboxes") {
      var values = checked.map(function (i) { return i.value; });
      return values.length ? values : undefined;
    }
    if (widget === "radios") return checked.length ? checked[0].value : undefined;
    if (widget === "yes_no") return checked.length ? checked[0].value === "yes" : undefined;
    if (widget === "rating") return checked.length ? Number(checked[0].value) : undefined;
    var field = wrap.querySelector("input[type=text], textarea");
    if (!field) return undefined;
    if (widget === "number") return number(field.value);
    var text = field.value.trim();
    return text ? text : undefined;
  }

  function start() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    var form = document.querySelector("form.survey");
    if (!form) return;
    var data = document.getElementById("earlier-answers");
    var earlier = data ? JSON.parse(data.textContent) : {};
    var wraps = Array.prototype.slice.call(form.querySelectorAll("[data-question]"));
    var shownField = form.querySelector("input[name=shown]");

    function update() {
      var answers = Object.assign({}, earlier);
      var shown = [];
      wraps.forEach(function (wrap) {
        var id = wrap.getAttribute("data-question");
        var raw = wrap.getAttribute("data-show-if");
        var visible = !raw || evaluate(JSON.parse(raw), answers);
        wrap.hidden = !visible;
        Array.prototype.forEach.call(wrap.querySelectorAll("input, textarea"), function (input) {
          input.disabled = !visible;
        });
        if (visible) {
          shown.push(id);
          var value = valueOf(wrap);
          if (value !== undefined) answers[id] = value;
        }
      });
      if (shownField) shownField.value = shown.join(",");
    }

    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
