/* show_if conditions in the browser, with the semantics of feedback/conditions.py: one global,
   FeedbackConditions, used by the web form (served as /static/conditions.js) and inlined into the
   offline form, so that both apply conditions alike. */
var FeedbackConditions = (function () {
  "use strict";

  function same(a, b) {
    // true == 1 in Python; a yes/no answer must not equal a numeric 1
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
      return ticked.some(function (a) {
        return values.some(function (v) { return same(a, v); });
      });
    };
    if (op === "eq") return any([operand]);
    if (op === "ne") return !any([operand]);
    if (op === "in") return any(operand);
    if (op === "not_in") return !any(operand);
    // numbers, or two ISO dates (a date question's answers), which sort as text sorts
    var dates = typeof answer === "string" && typeof operand === "string";
    if (!dates && (typeof answer !== "number" || typeof operand !== "number")) return false;
    if (op === "gt") return answer > operand;
    if (op === "ge") return answer >= operand;
    if (op === "lt") return answer < operand;
    if (op === "le") return answer <= operand;
    return false;
  }

  /* A condition as the survey's canonical form writes it: {question: {op: value}}, or
     {all: [...]}, {any: [...]}, {not: {...}}; several keys must all hold. */
  function evaluate(condition, answers) {
    return Object.keys(condition).every(function (key) {
      var value = condition[key];
      if (key === "all") return value.every(function (c) { return evaluate(c, answers); });
      if (key === "any") return value.some(function (c) { return evaluate(c, answers); });
      if (key === "not") return !evaluate(value, answers);
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return compare(key, Array.isArray(value) ? "in" : "eq", value, answers);
      }
      return Object.keys(value).every(function (op) {
        return compare(key, op, value[op], answers);
      });
    });
  }

  return { evaluate: evaluate };
})();
