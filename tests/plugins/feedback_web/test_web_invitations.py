"""``feedback.invitations``: who is invited and in which language, tokens (hashed, several per
invitation), statuses and their counts, reminders that are due, completing; and the web form's
drafts and secrets (``feedback_web.drafts``, in the web plugin's own tables). The web form and the
email plugin both work through ``feedback.invitations``."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3

import pytest
from web_helpers import add_person

from feedback.invitations import (
    STATUSES,
    Invitations,
    hash_token,
    looks_like_token,
    new_token,
)
from feedback.store import Store
from feedback_web.drafts import Draft, Drafts, DraftSealed
from feedback_web.migrations import migrations as web_migrations

T0 = dt.datetime(2011, 2, 1, 9, 0, tzinfo=dt.UTC)
EN_NL = ["en", "nl"]


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


@pytest.fixture
def roster(engine):
    """The Hague event's roster: attendees with and without email, in several languages, and one
    person who was invited but did not come."""
    add_person(engine, "Ann Dutch", "ann@example.org", language="nl-BE")
    add_person(engine, "Bob French", "bob@example.org", language="fr")
    add_person(engine, "Cy Noemail", None, language="en")
    add_person(engine, "Dee Absent", "dee@example.org", language="en", attended=False)
    add_person(engine, "Eve Unknown", "EVE@example.org", language=None)
    add_person(engine, "Fay English", "fay@example.org", language="en-GB")
    add_person(engine, "Gus Dutch", "gus@example.org", language="NL")
    return engine


def web_drafts(store: Store) -> Drafts:
    """The web form's drafts and secrets; its tables made as the web app makes them."""
    store.migrate([web_migrations])
    return Drafts(store)


def prepared(engine, expires_days: float = 30.0, now: dt.datetime = T0):
    invitations = Invitations(engine.store, expires_days)
    made, skipped = invitations.prepare("hague-2011", "post-seminar", EN_NL, now=now)
    return invitations, made, skipped


def test_prepare_invites_each_attendee_with_an_email_in_their_language(roster) -> None:
    _, made, skipped = prepared(roster)
    by_name = {invitation.name: invitation for invitation, _ in made}
    assert list(by_name) == ["Ann Dutch", "Bob French", "Eve Unknown", "Fay English", "Gus Dutch"]
    assert {name: i.language for name, i in by_name.items()} == {
        "Ann Dutch": "nl",  # nl-BE: the survey's nl
        "Bob French": "en",  # fr: not offered, the survey's first
        "Eve Unknown": "en",
        "Fay English": "en",
        "Gus Dutch": "nl",
    }
    assert [person["name"] for person in skipped] == ["Cy Noemail"]  # no address: reported
    for invitation, token in made:
        assert (invitation.event, invitation.survey) == ("hague-2011", "post-seminar")
        assert invitation.sent is None and invitation.status() == "not sent"
        assert invitation.created == "2011-02-01T09:00:00+00:00"
        assert invitation.expires == "2011-03-03T09:00:00+00:00"
        assert looks_like_token(token)
    assert len({token for _, token in made}) == len(made)


def test_prepare_after_sending_makes_nothing_new(roster) -> None:
    invitations, made, _ = prepared(roster)
    for invitation, _ in made:
        invitations.mark_sent(invitation, "smtp", now=day(1))
    _, again, skipped = prepared(roster, now=day(2))
    assert again == []
    assert [person["name"] for person in skipped] == ["Cy Noemail"]
    assert len(invitations.list("hague-2011")) == 5


def test_prepare_again_before_sending_gives_the_same_invitation_a_new_token(roster) -> None:
    invitations, first, _ = prepared(roster)
    invitations.mark_sent(first[0][0], "smtp", now=day(0))  # only Ann's went out
    _, second, _ = prepared(roster, now=day(1))
    assert [i.name for i, _ in second] == ["Bob French", "Eve Unknown", "Fay English", "Gus Dutch"]
    old = dict((i.id, t) for i, t in first)
    for invitation, token in second:
        assert token != old[invitation.id]
        assert invitations.find(token).id == invitation.id
        assert invitations.find(old[invitation.id]).id == invitation.id  # the first stays good
    assert len(invitations.list()) == 5


def test_a_person_on_two_rosters_gets_one_invitation_per_event(roster) -> None:
    roster.store.upsert_event({"id": "brussels-2012", "title": "Brussels", "date": "2012-03-01"})
    ann = roster.store.person_by_email("ann@example.org")
    with roster.store.write():
        roster.store.set_attendance(ann["id"], "brussels-2012", invited=True, attended=True)
    invitations = Invitations(roster.store)
    made, _ = invitations.prepare("brussels-2012", "post-seminar", EN_NL, now=T0)
    assert [(i.name, i.event) for i, _ in made] == [("Ann Dutch", "brussels-2012")]
    assert len(invitations.list()) == 1  # the Hague ones are not prepared yet
    _, hague, _ = prepared(roster)
    assert len(hague) == 5 and len(invitations.list()) == 6


def test_find_by_token(roster) -> None:
    invitations, made, _ = prepared(roster)
    invitation, token = made[0]
    assert invitations.find(token) == invitation
    changed = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    assert invitations.find(changed) is None
    for bad in ("", "abc", token[:-1], token + "A", token + "\n", " " + token[1:], "é" * 43):
        assert invitations.find(bad) is None
    assert invitations.find(new_token()) is None


def test_issue_token_adds_a_second_token_for_the_same_invitation(roster) -> None:
    invitations, made, _ = prepared(roster)
    invitation, first = made[0]
    second = invitations.issue_token(invitation, now=day(8))
    assert second != first and looks_like_token(second)
    assert invitations.find(first).id == invitations.find(second).id == invitation.id


def test_only_hashes_of_tokens_are_stored(roster) -> None:
    from helpers import dump

    invitations, made, _ = prepared(roster)
    reminder = invitations.issue_token(made[0][0])
    text = "\n".join(dump(roster.settings.db_path))
    for token in [t for _, t in made] + [reminder]:
        assert token not in text
        assert hash_token(token) in text
    assert re.fullmatch(r"[0-9a-f]{64}", hash_token(reminder))


def test_statuses_and_counts(roster) -> None:
    invitations, made, _ = prepared(roster, expires_days=10)
    ann, bob, eve, fay, _gus = (i for i, _ in made)  # Gus: never sent
    invitations.mark_sent(ann, "smtp", now=day(1))  # outstanding
    invitations.mark_sent(bob, "outbox", now=day(1))  # completed below
    invitations.mark_failed(eve, "550 mailbox unavailable", now=day(1))  # failed
    invitations.mark_sent(fay, "smtp", now=day(-20))  # expired by day 5
    with roster.store.write():
        invitations.complete(invitations.get(bob.id), "r-1", anonymous=True, now=day(2))
    invitations.mark_reminded(invitations.get(ann.id), now=day(4))
    now = day(5)
    statuses = {i.name: i.status(now) for i in invitations.list("hague-2011")}
    assert statuses == {
        "Ann Dutch": "outstanding",
        "Bob French": "completed",
        "Eve Unknown": "failed",
        "Fay English": "expired",
        "Gus Dutch": "not sent",
    }
    counts = invitations.counts("hague-2011", now=now)
    assert counts == {
        "not sent": 1,
        "failed": 1,
        "outstanding": 1,
        "completed": 1,
        "expired": 1,
        "sent": 3,
        "reminded": 1,
        "invitations": 5,
    }
    assert set(STATUSES) <= set(counts)
    assert invitations.get(eve.id).error == "550 mailbox unavailable"
    invitations.mark_sent(invitations.get(eve.id), "smtp", now=day(3))
    assert invitations.get(eve.id).status(now) == "outstanding"
    assert invitations.get(eve.id).error is None
    assert invitations.counts("brussels-2012") == dict.fromkeys(counts, 0)


def test_due_reminders_respect_the_interval_and_the_maximum(roster) -> None:
    invitations, made, _ = prepared(roster, expires_days=60)
    ann, bob, eve, fay, _gus = (i for i, _ in made)  # Gus: never sent
    invitations.mark_sent(ann, "smtp", now=day(0))
    invitations.mark_sent(bob, "smtp", now=day(5))
    invitations.mark_sent(eve, "smtp", now=day(0))
    with roster.store.write():
        invitations.complete(invitations.get(eve.id), "r-1", anonymous=True, now=day(1))
    invitations.mark_sent(fay, "smtp", now=day(-61))  # expired

    def due(now: dt.datetime, maximum: int = 2) -> list[str]:
        found = invitations.due_reminders("hague-2011", "post-seminar", 7, maximum, now=now)
        return [i.name for i in found]

    assert due(day(6)) == []
    assert due(day(7)) == ["Ann Dutch"]  # exactly the interval after sending
    assert due(day(12)) == ["Ann Dutch", "Bob French"]
    invitations.mark_reminded(invitations.get(ann.id), now=day(12))
    assert due(day(18)) == ["Bob French"]  # Ann was reminded 6 days ago
    assert due(day(19)) == ["Ann Dutch", "Bob French"]
    invitations.mark_reminded(invitations.get(ann.id), now=day(19))
    assert invitations.get(ann.id).reminders == 2
    assert due(day(40)) == ["Bob French"]  # Ann had her two reminders
    assert due(day(40), maximum=3) == ["Ann Dutch", "Bob French"]
    assert due(day(40), maximum=0) == []
    # a failed reminder counts as none
    invitations.mark_reminded(invitations.get(bob.id), error="timeout", now=day(40))
    assert invitations.get(bob.id).reminders == 0
    assert "reminder failed" in invitations.get(bob.id).error
    assert due(day(66)) == []  # both expired (sent + 60 days)


def test_completing_anonymously_keeps_the_date_only(roster) -> None:
    invitations, made, _ = prepared(roster)
    (ann, _), (bob, _) = made[:2]
    with roster.store.write():
        invitations.complete(ann, "resp-ann", anonymous=True, now=day(3))
        invitations.complete(bob, "resp-bob", anonymous=False, now=day(3))
    ann, bob = invitations.get(ann.id), invitations.get(bob.id)
    assert (ann.completed, ann.response) == ("2011-02-04", None)
    assert (bob.completed, bob.response) == ("2011-02-04T09:00:00+00:00", "resp-bob")
    with roster.store.write():  # a second completion changes nothing, and says so
        assert invitations.complete(bob, "resp-other", anonymous=False, now=day(9)) is False
    assert invitations.get(bob.id).response == "resp-bob"


def test_drafts_round_trip_and_go_with_their_key(roster) -> None:
    _, made, _ = prepared(roster)
    drafts = web_drafts(roster.store)
    draft = Draft(
        key=f"i:{made[0][0].id}",
        invitation=made[0][0].id,
        event="hague-2011",
        survey="post-seminar",
        survey_version="v1",
        response_id=None,  # a personal link's response id is made when it is stored
        language="nl",
        page=2,
        answers={"role": "mp", "rapporteur_role": {"then": "none", "now": "good"}},
        updated="",
    )
    drafts.save_draft(draft)
    stored = drafts.draft(draft.key)
    assert stored is not None and stored.updated
    assert stored == Draft(**{**draft.__dict__, "updated": stored.updated})
    drafts.save_draft(Draft(**{**draft.__dict__, "page": 3}))
    assert drafts.draft(draft.key).page == 3
    assert [d.key for d in drafts.drafts()] == [draft.key]
    with roster.store.write():
        drafts.delete_draft(draft.key)
    assert drafts.draft(draft.key) is None


def _personal_draft(invitation_id: int, **changes) -> Draft:
    return Draft(
        **{
            "key": f"i:{invitation_id}",
            "invitation": invitation_id,
            "event": "hague-2011",
            "survey": "post-seminar",
            "survey_version": "v1",
            "response_id": None,
            "language": "nl",
            "page": 2,
            "answers": {"improvements": "Meer tijd voor vragen, alstublieft."},
            "updated": "",
            **changes,
        }
    )


def test_a_sealed_draft_opens_only_with_the_token_it_was_sealed_with(roster) -> None:
    _, made, _ = prepared(roster)
    drafts = web_drafts(roster.store)
    (invitation, token), (_, other) = made[:2]
    draft = _personal_draft(invitation.id)
    drafts.save_draft(draft, seal_with=token)

    [(language, page, answers, sealed)] = roster.store.conn.execute(
        "SELECT language, page, answers, sealed FROM drafts"
    ).fetchall()
    assert (language, page, answers) == (None, None, None)  # nothing readable in the clear
    assert b"Meer tijd" not in sealed and b"improvements" not in sealed
    opened = drafts.draft(draft.key, token)
    assert opened == Draft(**{**draft.__dict__, "updated": opened.updated})
    for wrong in (None, other, new_token()):
        with pytest.raises(DraftSealed):
            drafts.draft(draft.key, wrong)
    assert list(drafts.drafts()) == []  # a sealed draft is not listed (none can open it)
    # sealed for its own row only: moved under another key, it does not open
    with roster.store.write():
        roster.store.conn.execute("UPDATE drafts SET key = 'i:999', invitation = NULL")
    with pytest.raises(DraftSealed):
        drafts.draft("i:999", token)


def test_a_personal_links_draft_never_holds_a_response_id(roster) -> None:
    _, made, _ = prepared(roster)
    drafts = web_drafts(roster.store)
    invitation = made[0][0]
    draft = _personal_draft(invitation.id, response_id="0b7a2c1e-0000-4000-8000-000000000001")
    with pytest.raises(ValueError, match="holds no response id"):
        drafts.save_draft(draft)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), roster.store.write():
        roster.store.conn.execute(
            "INSERT INTO drafts (key, invitation, event, survey, survey_version, response_id,"
            " language, page, answers, updated) VALUES ('i:1', ?, 'hague-2011', 's', 'v',"
            " 'r', 'en', 0, '{}', 'now')",
            [invitation.id],
        )


def test_a_secret_is_made_once_and_kept(roster) -> None:
    drafts = web_drafts(roster.store)
    secret = drafts.secret("csrf")
    assert len(secret) == 32
    assert Drafts(roster.store).secret("csrf") == secret
    assert drafts.secret("other") != secret
