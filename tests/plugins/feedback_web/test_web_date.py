"""A date question on the web form: ``<input type="date">`` with the question's range, labelled
and tied to its problem like every field; what is posted is read by the type's one parser and
stored as ``YYYY-MM-DD``."""

from __future__ import annotations

import json

from web_helpers import Web, write_survey

DATES = """\
id: dates
title: Dates
questions:
  - id: trained
    type: date
    label: When were you trained?
    help: The first day of the training.
    required: true
    min: 2020-01-01
    max: 2026-12-31
"""


def test_the_web_form_draws_a_date_and_stores_it_as_iso(web: Web) -> None:
    write_survey(web.project, "dates", DATES)
    _, token = web.invite(survey="dates")
    visitor = web.visitor(f"/s/{token}")
    page = visitor.open()
    field = page.by_id["q-trained-input"].attrs
    assert field.get("type") == "date"
    assert (field.get("min"), field.get("max")) == ("2020-01-01", "2026-12-31")
    assert field.get("name") == "trained" and field.get("aria-required") == "true"
    assert field.get("aria-describedby") == "q-trained-help"

    page = visitor.send([("trained", "2026-02-30")])
    assert page.errors == {
        "trained": "There is no date 2026-02-30: please check the day and the month."
    }
    field = page.by_id["q-trained-input"].attrs
    assert field.get("aria-invalid") == "true"
    assert field.get("aria-describedby") == "q-trained-help q-trained-error"
    page = visitor.send([("trained", "2019-12-31")])
    assert page.errors == {"trained": "Please give a date from 2020-01-01 to 2026-12-31."}
    assert web.responses() == []

    page = visitor.send([("trained", " 2024-02-29 ")])
    assert page.status == 200 and not page.errors, page.errors
    assert json.loads(web.responses()[0]["answers"]) == {"trained": "2024-02-29"}
