/* The web form without a page load where possible: show_if applied as the participant answers,
   and the error summary focused. Everything works without this script; the server applies the
   same conditions between pages. */
(function () {
  "use strict";

  var evaluate = FeedbackConditions.evaluate;  // conditions.js, answers.js, types.js: loaded first

  /* A question's answer as the server will read it: what its fields hold (its type's component,
     types.js), read by the one parser's twin (answers.js); undefined for none or a problem. */
  function valueOf(wrap) {
    var raw = wrap.getAttribute("data-definition");
    if (!raw) return undefined;
    var result = FeedbackAnswers.read(JSON.parse(raw), feedback.read(wrap), {});
    return result.value;
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
        feedback.showIf(wrap, visible);
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
