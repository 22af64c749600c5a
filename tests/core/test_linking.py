"""The linking key and the keyed hashes: a key file apart from the database, never written over;
without it, a hash in the database says nothing of who answered."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest
from helpers import run

from feedback.linking import (
    HEADER,
    LinkingKeyError,
    default_key_path,
    new_key_file,
    normalise_part,
    person_link,
    read_key,
    self_code,
)


def test_a_new_key_is_random_private_and_read_back(tmp_path: Path) -> None:
    first, second = tmp_path / "a.key", tmp_path / "b.key"
    new_key_file(first)
    new_key_file(second)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert first.read_text(encoding="ascii").splitlines()[0] == HEADER
    assert len(read_key(first)) == 32
    assert read_key(first) != read_key(second)


def test_a_key_is_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    new_key_file(path)
    before = path.read_bytes()
    with pytest.raises(LinkingKeyError, match="exists already"):
        new_key_file(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.key"]  # no temporary file left


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a key file"),
        ("feedback linking key v1\n!!!\n", "line 2"),
        ("feedback linking key v1\nAAAA\n", "expected a 32-byte key, found 3 bytes"),
        ("some other file\nAAAA\n", "expected a key file"),
    ],
)
def test_a_file_that_is_no_key_is_refused_with_where(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "k.key"
    path.write_text(text, encoding="ascii")
    with pytest.raises(LinkingKeyError, match=message):
        read_key(path)
    with pytest.raises(LinkingKeyError, match="no such key file"):
        read_key(tmp_path / "missing.key")


def test_person_links_depend_on_the_key_and_the_person() -> None:
    key, other = b"k" * 32, b"o" * 32
    assert person_link(key, 7) == person_link(key, "7")
    assert person_link(key, 7) != person_link(key, 8)
    assert person_link(key, 7) != person_link(other, 7)
    # HMAC-SHA256 as RFC 2104 defines it (checked against the standard library's own hmac)
    expected = hmac.new(key, b"person\x1f7", hashlib.sha256).hexdigest()
    assert person_link(key, 7) == expected


def test_a_self_generated_code_ignores_case_accents_and_spaces() -> None:
    key = b"k" * 32
    typed_at_the_seminar = self_code(key, {"parent_initial": "É", "birth_month": "03"})
    typed_90_days_later = self_code(key, {"birth_month": " 03", "parent_initial": "e "})
    assert typed_at_the_seminar == typed_90_days_later
    assert self_code(key, {"parent_initial": "E", "birth_month": "04"}) != typed_at_the_seminar
    assert normalise_part("Ö z") == "oz"


def test_a_self_generated_code_with_a_blank_part_matches_nobody() -> None:
    key = b"k" * 32
    assert self_code(key, {"parent_initial": "", "birth_month": "03"}) is None
    assert self_code(key, ["E", "  "]) is None
    assert self_code(key, []) is None


def test_the_code_never_stands_for_a_person() -> None:
    key = b"k" * 32
    assert self_code(key, ["7"]) != person_link(key, 7)  # labelled apart


def test_without_the_key_a_stored_link_names_nobody(tmp_path: Path) -> None:
    """What the database holds is the hash; every guess at who it is needs the key."""
    key_file = tmp_path / "keys" / "k.key"
    key_file.parent.mkdir()
    new_key_file(key_file)
    stored = person_link(read_key(key_file), 42)
    key_file.unlink()
    guesses = {person_link(os.urandom(32), person) for person in range(1000)}
    assert stored not in guesses
    with pytest.raises(LinkingKeyError):
        read_key(key_file)


def test_the_default_key_lives_outside_the_project(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = tmp_path / "project"
    project.mkdir()
    path = default_key_path(project)
    assert project not in path.parents
    assert path.parent == tmp_path / "config" / "feedback" / "keys"
    assert default_key_path(project) == path  # the same project, the same file


def test_keys_new_from_the_command_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    project = tmp_path / "project"
    (project / "surveys").mkdir(parents=True)
    made = run(project, "keys", "new")
    assert made.exit_code == 0, made.output
    path = default_key_path(project)
    assert len(read_key(path)) == 32
    assert "Tell feedback where it is" not in made.output  # the default is found by itself
    again = run(project, "keys", "new")
    assert again.exit_code == 2
    assert "exists already" in again.output
    beside = run(project, "keys", "new", "--out", str(project / "k.key"))
    assert beside.exit_code == 0
    assert "Keep it elsewhere" in beside.output
    assert 'linking_key = "' in beside.output
