"""The codes shared by the paper form and the entry template, and the form code."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from offline_paper_helpers import SURVEY

from feedback.engine import Engine
from feedback_offline.codes import (
    CodeError,
    answer_columns,
    codes,
    decode,
    form_code,
    question_numbers,
    same_form_code,
)


@pytest.mark.parametrize(
    ("question", "cell", "answer"),
    [
        ("role", "1", "mp"),
        ("role", "010", "other"),
        ("role", " NGO ", "ngo"),
        ("country", "gb", "GB"),
        ("support_rapporteur_office", "0", "dont_know"),
        ("support_rapporteur_office", "Strongly_Agree", "strongly_agree"),
        ("passed_contacts", "1", True),
        ("passed_contacts", "2", False),
        ("passed_contacts", "Yes", True),
        ("passed_contacts", "nee", False),
        ("passed_contacts", "j", True),
        ("passed_contacts", "FALSE", False),
        ("support_kinds", "5 1", ["political", "speaking"]),
        ("support_kinds", "2,3;  hosting", ["organisational", "logistic", "hosting"]),
        ("usefulness", "0", 0),
        ("usefulness", "10", 10),
        ("new_mp_contacts", "12", 12),
        ("new_mp_contacts", "3.0", 3),
        ("new_mp_contacts", "1 2", 12),  # Number.parse: a space between digit groups
        ("improvements", "  as written, 1 2 3  ", "as written, 1 2 3"),
    ],
)
def test_codes_decode(engine: Engine, question: str, cell: str, answer: Any) -> None:
    assert decode(engine.survey(SURVEY).question(question), cell) == answer


@pytest.mark.parametrize(
    ("question", "cell"),
    [
        ("role", "11"),
        ("role", "0"),
        ("country", "Nederland"),
        ("rapporteur_role", "0"),  # knowledge5 has no "don't know"
        ("passed_contacts", "0"),
        ("passed_contacts", "maybe"),
        ("support_kinds", "1 1"),
        ("support_kinds", "1-2"),
        ("usefulness", "7.5"),
        ("new_mp_contacts", "1,000.5"),
        # a whole number (integer: true): refused when keyed in, by the type's one parser, as
        # every channel refuses it (it was read as 2.5 and refused later by the engine)
        ("new_mp_contacts", "2,5"),
    ],
)
def test_codes_refuse(engine: Engine, question: str, cell: str) -> None:
    with pytest.raises(CodeError, match=re.escape(repr(cell)) + "|given twice"):
        decode(engine.survey(SURVEY).question(question), cell)


def test_codes_number_scales_from_1_and_keep_0_for_dont_know(engine: Engine) -> None:
    survey = engine.survey(SURVEY)
    agree = codes(survey.question("inform_colleagues"), "nl")
    assert [(c.code, c.id, c.label) for c in agree or []] == [
        ("1", "strongly_disagree", "Helemaal oneens"),
        ("2", "disagree", "Oneens"),
        ("3", "neutral", "Niet eens, niet oneens"),
        ("4", "agree", "Eens"),
        ("5", "strongly_agree", "Helemaal eens"),
        ("0", "dont_know", "Weet ik niet"),
    ]
    assert codes(survey.question("usefulness")) is None
    numbers = question_numbers(survey)
    assert "consent" not in numbers and numbers["role"] == 1 and numbers["comments"] == 17
    names = [c.name for c in answer_columns(survey)]
    assert names[2:4] == ["rapporteur_role.then", "rapporteur_role.now"]


def test_form_code_names_event_survey_and_version() -> None:
    code = form_code("hague-2011", SURVEY, "0123456789abcdef")
    assert re.fullmatch(r"[A-Z2-7]{3}-[A-Z2-7]{3}", code)
    assert code == form_code("hague-2011", SURVEY, "0123456789abcdef")
    others = {
        form_code("hague-2012", SURVEY, "0123456789abcdef"),
        form_code("hague-2011", "other", "0123456789abcdef"),
        form_code("hague-2011", SURVEY, "fedcba9876543210"),
    }
    assert code not in others and len(others) == 3
    digest = hashlib.sha256(b"hague-2011|post-seminar|0123456789abcdef").digest()
    first = base64.b32encode(digest).decode()[:6]
    assert code == f"{first[:3]}-{first[3:]}"
    assert same_form_code(code.lower().replace("-", " "), code)
    assert not same_form_code(code[:-1], code)
