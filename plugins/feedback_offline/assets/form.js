/* The offline form: the survey of the data block one section per page, as the web form shows it
   (the same markup and styles), show_if applied as the participant answers, each page checked
   before the next, the draft kept in localStorage, and each submitted response saved as a file
   (and kept in localStorage until exported). Each question is drawn and read by its type's
   component (the core's types.js, ``feedback``, and a plugin type's own component). Needs
   FeedbackCore, FeedbackSurvey and feedback. No request leaves the page. */
(function () {
  "use strict";

  var C = FeedbackCore;
  var el = feedback.el;
  var format = feedback.format;
  var data = JSON.parse(document.getElementById("offline-data").textContent);
  var meta = data.survey;
  var survey = FeedbackSurvey(data);
  var definition = survey.definition;
  var sections = survey.sections;
  var EVENT = data.event.id;
  var DRAFT_KEY = ["feedback-offline", "draft", EVENT, meta.id, meta.version].join("/");
  var KEPT_PREFIX = ["feedback-offline", "response", EVENT, ""].join("/");
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  function words() {
    return data.words[state.language] || data.words[meta.languages[0]];
  }

  function text(value, fallback) {
    return survey.text(value, state.language, fallback);
  }

  function message(problem) {
    return feedback.worded(problem, words());
  }

  function visibleSet() { return survey.visible(state.typed); }

  function shownPages(visible) { return survey.pages(visible); }

  var neighbour = survey.neighbour;

  // -- storage: the draft, and every response submitted here ----------------------------------

  // null where the browser keeps no storage for files opened from disk (it throws when asked)
  var storage = (function () {
    try {
      var s = window.localStorage;
      s.getItem(DRAFT_KEY);
      return s;
    } catch (e) {
      return null;
    }
  })();

  function load(key) {
    try {
      var raw = storage && storage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch (e) {
      return null;
    }
  }

  function save(key, value) {
    if (!storage) return false;
    try {
      storage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function forget(key) {
    if (storage) storage.removeItem(key);
  }

  function keptCount() {
    var n = 0;
    for (var i = 0; storage && i < storage.length; i++) {
      if ((storage.key(i) || "").indexOf(KEPT_PREFIX) === 0) n++;
    }
    return n;
  }

  function keptEntries() {
    var out = [];
    if (!storage) return out;
    for (var i = 0; i < storage.length; i++) {
      var key = storage.key(i);
      if (key && key.indexOf(KEPT_PREFIX) === 0) {
        var entry = load(key);
        if (entry && entry.file) out.push(entry);
      }
    }
    return out.sort(function (a, b) { return (a.number || 0) - (b.number || 0); });
  }

  // -- state ----------------------------------------------------------------------------------

  function preferredLanguage() {
    var wanted = (navigator.languages || [navigator.language || ""]).map(function (t) {
      return String(t).toLowerCase();
    });
    for (var i = 0; i < wanted.length; i++) {
      for (var j = 0; j < meta.languages.length; j++) {
        var lang = meta.languages[j];
        if (lang.toLowerCase() === wanted[i] ||
            lang.split("-")[0].toLowerCase() === wanted[i].split("-")[0]) return lang;
      }
    }
    return meta.languages[0];
  }

  function fresh() {
    return {
      id: null, language: preferredLanguage(), page: null, typed: {}, errors: {},
      screen: "form", saved: null
    };
  }

  var state = fresh();

  function restore() {
    var draft = load(DRAFT_KEY);
    if (!draft || typeof draft.id !== "string" || !UUID.test(draft.id)) return;
    state.id = draft.id;
    if (meta.languages.indexOf(draft.language) >= 0) state.language = draft.language;
    if (typeof draft.page === "number" && sections[draft.page]) state.page = draft.page;
    if (draft.typed && typeof draft.typed === "object") state.typed = draft.typed;
  }

  /* The participant began: the response gets its id now, so that it is the same however often
     the form is reloaded or the file saved. */
  function begin() {
    if (!state.id) state.id = C.uuid4();
  }

  function saveDraft() {
    if (state.id) {
      save(DRAFT_KEY, {
        id: state.id, language: state.language, page: state.page, typed: state.typed
      });
    }
  }

  // -- the screens ----------------------------------------------------------------------------

  var app = document.getElementById("app");
  var organiser = document.getElementById("organiser");
  var status = document.getElementById("status");

  function surveyTitle() { return text(definition.title); }

  function position(visible) {
    var shown = shownPages(visible);
    var at = shown.indexOf(state.page);
    var number = at >= 0 ? at + 1 : Math.min(shown.filter(function (p) {
      return p < state.page;
    }).length + 1, shown.length);
    return { number: number, total: shown.length, last: neighbour(shown, state.page, 1) === null };
  }

  function renderForm(focus) {
    var w = words();
    var visible = visibleSet();
    var shown = shownPages(visible);
    if (state.page === null || !sections[state.page]) state.page = shown[0];
    var section = sections[state.page];
    var where = position(visible);
    var errors = state.errors;
    var wrong = section.questions.filter(function (q) { return errors[q.id]; });
    var sectionTitle = section.title ? text(section.title) : "";
    document.documentElement.lang = state.language;
    document.title = (wrong.length ? w.errors_title + ": " : "") +
      (sectionTitle || surveyTitle()) + " · " + surveyTitle();

    var summary = null;
    if (wrong.length) {
      summary = el("div", {
        "class": "error-summary", role: "alert", "aria-labelledby": "error-summary-title",
        tabindex: "-1"
      }, [
        el("h2", { id: "error-summary-title", text: w.errors_title }),
        el("ul", {}, wrong.map(function (q) {
          return el("li", {}, [el("a", {
            href: "#q-" + q.id, "data-focus": q.id, text: text(q.label) + ": " + message(errors[q.id])
          })]);
        }))
      ]);
    }
    var languages = null;
    if (meta.languages.length > 1) {
      languages = el("div", { "class": "languages", role: "group", "aria-label": w.language },
        meta.languages.map(function (code) {
          return el("button", {
            type: "button", "class": "link-button", lang: code, "data-language": code,
            "aria-current": code === state.language ? "true" : null, text: data.language_names[code]
          });
        }));
    }
    var heading = sectionTitle
      ? el("h2", { "class": "section-title", tabindex: "-1", text: sectionTitle }) : null;
    var form = el("form", { "class": "survey", novalidate: true }, [
      languages,
      heading,
      section.intro ? el("p", { "class": "intro", text: text(section.intro) }) : null
    ].concat(section.questions.map(function (q) {
      return feedback.question(q, {
        language: state.language, words: w, raw: state.typed[q.id], error: errors[q.id] || null,
        visible: Boolean(visible[q.id]), survey: survey
      });
    }), [
      el("div", { "class": "actions" }, [
        neighbour(shown, state.page, -1) === null ? null : el("button", {
          type: "button", "class": "secondary", "data-action": "back", text: w.back
        }),
        el("button", {
          type: "submit", "class": "primary", id: "next", text: where.last ? w.submit : w.next
        })
      ])
    ]));
    var title = el("h1", { "class": "survey-title", tabindex: "-1", text: surveyTitle() });
    app.textContent = "";
    [
      title,
      definition.description && where.number === 1
        ? el("p", { "class": "description", text: text(definition.description) }) : null,
      el("p", {
        "class": "position", id: "position",
        text: format(w.page_of, { n: where.number, total: where.total })
      }),
      el("progress", {
        "class": "progress", max: where.total, value: where.number, "aria-labelledby": "position",
        text: where.number + "/" + where.total
      }),
      summary,
      form
    ].forEach(function (node) { if (node) app.appendChild(node); });
    renderOrganiser();
    if (focus === "summary" && summary) summary.focus();
    else if (focus === "heading") {
      window.scrollTo(0, 0);
      (heading || title).focus();
    } else if (focus && focus.indexOf("lang:") === 0) {
      var button = app.querySelector('[data-language="' + focus.slice(5) + '"]');
      if (button) button.focus();
    }
  }

  /* After an answer: show or hide the page's questions, and what the page says of its position. */
  function update() {
    var visible = visibleSet();
    Array.prototype.forEach.call(app.querySelectorAll("[data-question]"), function (wrap) {
      feedback.showIf(wrap, Boolean(visible[wrap.getAttribute("data-question")]));
    });
    var where = position(visible);
    var w = words();
    var place = document.getElementById("position");
    var bar = app.querySelector("progress");
    var next = document.getElementById("next");
    if (place) place.textContent = format(w.page_of, { n: where.number, total: where.total });
    if (bar) {
      bar.max = where.total;
      bar.value = where.number;
    }
    if (next) next.textContent = where.last ? w.submit : w.next;
  }

  function renderThanks(focus) {
    var w = words();
    var saved = state.saved;
    document.documentElement.lang = state.language;
    document.title = w.thank_you_title + " · " + surveyTitle();
    app.textContent = "";
    var title = el("h1", { tabindex: "-1", text: w.thank_you_title });
    app.appendChild(el("div", { "class": "message message-thank_you" }, [
      title,
      el("p", { text: text(definition.thank_you, w.thank_you) }),
      el("p", { "class": "saved", text: format(w.saved_file, { name: saved.name }) }),
      saved.kept ? null : el("p", { "class": "error", text: w.not_kept }),
      el("div", { "class": "actions" }, [
        el("button", {
          type: "button", "class": "primary", "data-action": "next-participant",
          text: w.next_participant
        }),
        el("button", {
          type: "button", "class": "secondary", "data-action": "export", text: w.export_all
        }),
        el("button", {
          type: "button", "class": "link-button", "data-action": "save-again", text: w.save_again
        })
      ]),
      el("p", { "class": "kept", text: format(w.kept, { n: keptCount() }) })
    ]));
    renderOrganiser();
    if (focus) title.focus();
  }

  /* The organisers' corner under every page: how many responses this browser keeps, export
     them all, clear the form. Not on the thank-you page, which has these buttons itself. */
  function renderOrganiser() {
    var w = words();
    organiser.hidden = state.screen !== "form";
    var open = organiser.querySelector("details");
    var wasOpen = open ? open.open : false;
    organiser.textContent = "";
    var details = el("details", {}, [
      el("summary", { text: w.organisers }),
      el("p", { "class": "kept", text: format(w.kept, { n: keptCount() }) }),
      el("div", { "class": "actions" }, [
        el("button", {
          type: "button", "class": "secondary", "data-action": "export", text: w.export_all
        }),
        el("button", {
          type: "button", "class": "link-button", "data-action": "next-participant",
          text: w.clear_form
        })
      ])
    ]);
    details.open = wasOpen;
    organiser.appendChild(details);
  }

  function say(textToSay) {
    status.textContent = "";
    status.textContent = textToSay;
  }

  // -- files ----------------------------------------------------------------------------------

  function download(name, value) {
    var blob = new Blob([JSON.stringify(value, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  var busy = false;

  function submit() {
    var all = survey.problems(survey.questions, state.typed);
    var wrong = survey.questions.filter(function (q) { return all[q.id]; });
    if (wrong.length) {
      // answers of an earlier page no longer fit (a later answer changed what is shown)
      state.page = survey.sectionOf[wrong[0].id];
      state.errors = all;
      saveDraft();
      renderForm("summary");
      return;
    }
    busy = true;
    var response = {
      id: state.id,
      survey: meta.id,
      survey_version: meta.version,
      event: EVENT,
      channel: "offline",
      language: state.language,
      submitted: C.localDate(new Date()),
      answers: survey.answers(state.typed)
    };
    C.checksum(response).then(function (checksum) {
      var file = {
        format: data.files.response, format_version: data.files.version,
        response: response, checksum: checksum
      };
      var name = "response-" + response.id + ".json";
      // numbered in the order they came, with no time of day: the response has its date only
      var number = keptEntries().reduce(function (n, e) { return Math.max(n, e.number || 0); }, 0);
      var kept = save(KEPT_PREFIX + response.id, { number: number + 1, name: name, file: file });
      download(name, file);
      forget(DRAFT_KEY);
      var language = state.language;
      state = fresh();
      state.language = language;
      state.screen = "thanks";
      state.saved = { name: name, file: file, kept: kept };
      busy = false;
      renderThanks(true);
    }, function (error) {
      busy = false;
      say(String(error));
    });
  }

  function exportAll() {
    var files = keptEntries().map(function (entry) { return entry.file; });
    var w = words();
    if (!files.length) {
      say(w.none_kept);
      return;
    }
    var name = "responses-" + EVENT + "-" + C.stamp(new Date()) + ".json";
    download(name, { format: data.files.bundle, format_version: data.files.version, files: files });
    say(format(w.exported, { name: name, n: files.length }));
  }

  function nextParticipant() {
    forget(DRAFT_KEY);
    state = fresh();
    say("");
    renderForm("heading");
  }

  // -- what the participant does --------------------------------------------------------------

  /* What the page's fields hold, into the state. */
  function read(wrap) {
    var raw = feedback.read(wrap);
    if (raw !== undefined) state.typed[wrap.getAttribute("data-question")] = raw;
  }

  function readPage() {
    Array.prototype.forEach.call(app.querySelectorAll("[data-question]"), read);
  }

  function next() {
    if (busy) return;
    begin();
    readPage();
    var errors = survey.problems(sections[state.page].questions, state.typed);
    state.errors = errors;
    if (Object.keys(errors).length) {
      saveDraft();
      renderForm("summary");
      return;
    }
    var following = neighbour(shownPages(visibleSet()), state.page, 1);
    if (following === null) {
      saveDraft();
      submit();
      return;
    }
    state.page = following;
    saveDraft();
    renderForm("heading");
  }

  function back() {
    readPage();
    var previous = neighbour(shownPages(visibleSet()), state.page, -1);
    if (previous !== null) state.page = previous;
    state.errors = {};
    saveDraft();
    renderForm("heading");
  }

  function edited(event) {
    if (!event.target.closest || !event.target.closest("[data-question]")) return;
    begin();
    read(event.target.closest("[data-question]"));
    update();
    saveDraft();
  }

  document.addEventListener("submit", function (event) {
    event.preventDefault();
    next();
  });
  document.addEventListener("input", edited);
  document.addEventListener("change", edited);
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action], [data-language], [data-focus]") : null;
    if (!target) return;
    if (target.hasAttribute("data-focus")) {
      var field = app.querySelector("#q-" + target.getAttribute("data-focus") + " input, " +
        "#q-" + target.getAttribute("data-focus") + " textarea, " +
        "#q-" + target.getAttribute("data-focus") + "-input");
      if (field) {
        event.preventDefault();
        field.focus();
      }
      return;
    }
    if (target.hasAttribute("data-language")) {
      readPage();
      state.language = target.getAttribute("data-language");
      saveDraft();
      renderForm("lang:" + state.language);
      return;
    }
    var action = target.getAttribute("data-action");
    if (action === "back") back();
    else if (action === "export") exportAll();
    else if (action === "next-participant") nextParticipant();
    else if (action === "save-again" && state.saved) {
      download(state.saved.name, state.saved.file);
    }
  });

  restore();
  renderForm(null);
})();
