/* The offline form's e-mail question (the component contract of feedback/static/js/types.js). */
feedback.registerType("email", {
  render: function (question, ctx) {
    var id = "q-" + question.id + "-input";
    return ctx.el("div", { "class": "field", id: "q-" + question.id }, [ctx.label(id)].concat(
      ctx.notes(),
      [ctx.el("input", {
        type: "email", id: id, name: question.id, value: typeof ctx.raw === "string" ? ctx.raw : "",
        autocomplete: "email", "aria-describedby": ctx.describedBy,
        "aria-invalid": ctx.error ? "true" : null
      })]
    ));
  },
  read: function (wrap) { return wrap.querySelector("input").value; },
  parse: function (question, raw) {
    var text = FeedbackAnswers.strip(raw === undefined || raw === null ? "" : String(raw));
    if (!text) return undefined;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) {
      throw new feedback.AnswerError("enter an e-mail address, like name@example.org", "email");
    }
    var at = text.lastIndexOf("@");
    return text.slice(0, at) + "@" + text.slice(at + 1).toLowerCase();
  }
});
