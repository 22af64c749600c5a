/* The web form without a page load where possible: show_if applied as the participant answers,
   and the error summary focused. Everything works without this script; the server applies the
   same conditions between pages. */
(function () {
  "use strict";

  var evaluate = FeedbackConditions.evaluate;  // conditions.js, loaded first

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
    // the page's own address in the history (a link opened bare resumes where one left off;
    // its entry must come back to this page), so that Back and Forward go between pages
    var number = form.getAttribute("data-page");
    if (number !== null && window.history && history.replaceState) {
      var url = new URL(window.location.href);
      if (url.searchParams.get("page") !== number || url.searchParams.has("again")) {
        url.searchParams.delete("again");
        url.searchParams.set("page", number);
        history.replaceState(history.state, "", url.toString());
      }
    }
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
