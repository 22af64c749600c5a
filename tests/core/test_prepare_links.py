"""`Engine.prepare_links`: a response as it may be kept outside the database (the code's answers
replaced by their keyed hash), and `submit(..., link=)` / `submit_many(..., links=)`, which store
that link as a direct submit would, and refuse one the survey cannot have."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import make_response

from feedback.engine import Engine, Link
from feedback.errors import ResponseInvalid
from feedback.linking import new_key_file, person_link, read_key, self_code
from feedback.responses import Response

CODED = """\
id: coded
title: On the day
languages: [en]
self_code: [parent, month]
questions:
  - {id: intend, type: yes_no, label: "Will you contact an NGO?"}
  - {id: parent, type: text, label: "A parent's first initial", max_length: 5}
  - {id: month, type: text, label: "The month you were born"}
"""


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    (tmp_path / "keys").mkdir()
    return tmp_path / "keys" / "linking.key"


@pytest.fixture
def coded(project: Path, key_file: Path, make_engine: Callable[..., Engine]) -> Engine:
    (project / "surveys" / "coded.yaml").write_text(CODED, encoding="utf-8")
    (project / "feedback.toml").write_text(f'linking_key = "{key_file}"\n', encoding="utf-8")
    return make_engine()


def typed(**answers: object) -> Response:
    return Response.model_validate(make_response("coded", {"intend": True, **answers}))


def test_a_prepared_response_is_stored_as_the_original_would_be(
    coded: Engine, key_file: Path
) -> None:
    new_key_file(key_file)
    original = typed(parent=" É ", month="March")
    kept, link = coded.prepare_links(original)
    assert kept.answers == {"intend": True}
    assert link == Link(self_code(read_key(key_file), ["e", "MARCH"]), "self_code")
    assert coded.submit(kept, link=link) == "stored"
    # the same response sent with its code, as typed: the same content, the same link
    assert coded.submit(original) == "already_stored"
    assert coded.store.response_links() == {str(original.id): link}


def test_a_code_part_that_is_not_a_short_line_is_refused_before_it_is_kept(
    coded: Engine, key_file: Path
) -> None:
    new_key_file(key_file)
    with pytest.raises(ResponseInvalid, match="at most 5 characters") as caught:
        coded.prepare_links(typed(parent="Elisabeth", month="March"))
    assert "Elisabeth" not in str(caught.value)


def test_without_a_key_file_a_code_cannot_be_prepared(coded: Engine) -> None:
    with pytest.raises(ResponseInvalid, match="feedback keys new"):
        coded.prepare_links(typed(parent="E", month="March"))
    kept, link = coded.prepare_links(typed())  # no code given: nothing to hash, no key needed
    assert link is None and kept.answers == {"intend": True}


def test_a_link_the_response_cannot_have_is_refused(coded: Engine, key_file: Path) -> None:
    new_key_file(key_file)
    key = read_key(key_file)
    made = Link(self_code(key, ["E", "March"]), "self_code")
    with pytest.raises(ResponseInvalid, match="its answers give another link"):
        coded.submit(typed(parent="A", month="May"), link=made)
    with pytest.raises(ResponseInvalid, match="it is not pseudonymous"):
        coded.submit(typed(), link=Link(person_link(key, 3), "person"))
    with pytest.raises(ResponseInvalid, match="64 lower-case hexadecimal"):
        coded.submit(typed(), link=Link("E March", "self_code"))
    with pytest.raises(ResponseInvalid, match="it has no self_code"):
        coded.submit(make_response("post-seminar", {"role": "mp"}), link=made)
    assert list(coded.store.iter_responses()) == []
    assert coded.store.response_links() == {}


def test_a_response_stored_without_its_link_gets_it_and_one_with_a_link_keeps_it(
    coded: Engine, key_file: Path
) -> None:
    new_key_file(key_file)
    key = read_key(key_file)
    bare, linked = typed(), typed(parent="E", month="March")
    kept, link = coded.prepare_links(linked)
    assert coded.submit_many([("1", bare), ("2", kept)]).stored == 2
    assert coded.store.response_links() == {}  # no links given: none made
    other = Link(self_code(key, ["A", "May"]), "self_code")
    result = coded.submit_many([("1", bare), ("2", kept)], links={str(bare.id): other})
    assert result.already_stored == 2
    assert coded.store.response_links() == {str(bare.id): other}
    assert link is not None
    coded.submit_many([("1", bare)], links={str(bare.id): link})
    assert coded.store.response_links() == {str(bare.id): other}  # kept as it was stored
