"""Settings: defaults with nothing configured, feedback.toml, FEEDBACK_* variables, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from feedback.config import load_settings
from feedback.errors import InvalidInput
from feedback.plugins import make_plugin_manager
from feedback_email.settings import EmailSettings
from feedback_kiosk.settings import KioskSettings
from feedback_web.settings import WebSettings


def test_defaults_with_nothing_configured(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.db_path == tmp_path / "feedback.db"
    assert settings.surveys_path == tmp_path / "surveys"
    assert settings.default_survey == "post-seminar"
    assert settings.min_cell_size == 5
    assert settings.programme.targets == {}


def test_toml_file_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text(
        'db = "data/kiosk.db"\nmin_cell_size = 3\n\n[programme.targets]\nmp = 100\ncountries = 15\n'
    )
    settings = load_settings(tmp_path)
    assert settings.db_path == tmp_path / "data" / "kiosk.db"
    assert settings.min_cell_size == 3
    assert settings.programme.targets == {"mp": 100, "countries": 15}


def test_environment_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "feedback.toml").write_text('db = "file.db"\n')
    monkeypatch.setenv("FEEDBACK_DB", "/srv/env.db")
    monkeypatch.setenv("FEEDBACK_PROGRAMME__TARGETS__MP", "50")
    settings = load_settings(tmp_path)
    assert settings.db_path == Path("/srv/env.db")
    assert settings.programme.targets == {"mp": 50}


def test_invalid_values_name_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text("min_cell_size = 0\n")
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    assert "feedback.toml" in str(info.value)
    assert "min_cell_size" in str(info.value)
    assert "found 0" in str(info.value)


def test_unknown_nested_key_suggests(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text("[programme]\ntargest = {mp = 1}\n")
    with pytest.raises(InvalidInput, match="unknown setting 'targest'; did you mean 'targets'"):
        load_settings(tmp_path)


def test_missing_project_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected a project directory"):
        load_settings(tmp_path / "nope")


#: [email] belongs to the email plugin now; its keys kept their names (see feedback.config).
MAIL_VARIABLES = {
    "FEEDBACK_EMAIL__SMTP_HOST": ("smtp_host", "smtp.example.org"),
    "FEEDBACK_EMAIL__SMTP_PORT": ("smtp_port", 2525),
    "FEEDBACK_EMAIL__SMTP_SECURITY": ("smtp_security", "ssl"),
    "FEEDBACK_EMAIL__SMTP_USER": ("smtp_user", "seminars"),
    "FEEDBACK_EMAIL__MAIL_FROM": ("mail_from", "Team <team@example.org>"),
}


def test_mail_and_link_settings_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, (_, value) in MAIL_VARIABLES.items():
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("FEEDBACK_EMAIL__SMTP_PASSWORD", "s3cret")
    monkeypatch.setenv("FEEDBACK_BASE_URL", "https://feedback.example.org")
    settings = load_settings(tmp_path)
    email = settings.plugin(EmailSettings)
    for field, value in MAIL_VARIABLES.values():
        assert getattr(email, field) == value
    assert settings.base_url == "https://feedback.example.org"
    assert email.smtp_password is not None
    assert email.smtp_password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)  # never printed by accident


def test_mail_and_link_settings_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text(
        'base_url = "https://f.example"\n\n[email]\nsmtp_host = "smtp.example.org"\n'
        'smtp_security = "none"\nmail_from = "t@example.org"\n\n[invitations]\n'
        "expires_days = 14\n\n[web]\nrate_limit = 3\n"
    )
    settings = load_settings(tmp_path)
    email = settings.plugin(EmailSettings)
    assert email.smtp_host == "smtp.example.org"
    assert email.smtp_port_or_default == 25  # the port follows the security when not given
    assert settings.base_url == "https://f.example"
    assert settings.invitations.expires_days == 14
    assert settings.plugin(WebSettings).rate_limit == 3


@pytest.mark.parametrize(("security", "port"), [("none", 25), ("starttls", 587), ("ssl", 465)])
def test_smtp_port_defaults_by_security(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, security: str, port: int
) -> None:
    monkeypatch.setenv("FEEDBACK_EMAIL__SMTP_SECURITY", security)
    assert load_settings(tmp_path).plugin(EmailSettings).smtp_port_or_default == port


@pytest.mark.parametrize(
    "toml", ['[email]\nsmtp_password = "hunter2"\n', 'smtp_password = "hunter2"\n']
)
def test_a_password_in_the_file_is_refused(tmp_path: Path, toml: str) -> None:
    (tmp_path / "feedback.toml").write_text(toml)
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    message = str(info.value)
    assert "feedback.toml" in message and "FEEDBACK_EMAIL__SMTP_PASSWORD" in message
    assert "hunter2" not in message


def test_unknown_security_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACK_EMAIL__SMTP_SECURITY", "tls")
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    assert "email.smtp_security" in str(info.value) and "'tls'" in str(info.value)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("smtp_host", '"smtp.example.org"'),
        ("smtp_port", "587"),
        ("smtp_security", '"ssl"'),
        ("smtp_user", '"seminars"'),
        ("smtp_timeout", "10"),
        ("smtp_retries", "1"),
        ("smtp_backoff", "0"),
        ("mail_from", '"t@example.org"'),
    ],
)
def test_a_mail_key_at_the_top_level_says_where_it_moved(
    tmp_path: Path, key: str, value: str
) -> None:
    """feedback.toml of release 0.1 kept the SMTP keys at the top level: each is refused with the
    section to move it to (the same key under [email]), and the command line exits 2."""
    (tmp_path / "feedback.toml").write_text(f"{key} = {value}\n")
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    assert f"feedback.toml (or FEEDBACK_ variables): {key}: unknown setting '{key}': " in str(
        info.value
    )
    assert "it is a setting of [email] now; move it under [email]" in str(info.value)
    result = run(tmp_path, "config", "show")
    assert result.exit_code == 2, result.output
    assert "move it under [email]" in result.output


def test_an_old_mail_variable_says_which_one_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FEEDBACK_SMTP_HOST of release 0.1 would be ignored now: refused, naming the new name."""
    monkeypatch.setenv("FEEDBACK_SMTP_HOST", "smtp.example.org")
    with pytest.raises(
        InvalidInput,
        match="FEEDBACK_SMTP_HOST: smtp_host is a setting of "
        r"\[email\] now; set FEEDBACK_EMAIL__SMTP_HOST instead",
    ):
        load_settings(tmp_path)


def test_the_web_and_kiosk_sections_are_the_plugins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "feedback.toml").write_text(
        '[kiosk]\nevent = "hague-2011"\nidle_timeout = 60\n\n[web]\nmax_body = 5000\n'
    )
    monkeypatch.setenv("FEEDBACK_KIOSK__IDLE_TIMEOUT", "45")
    settings = load_settings(tmp_path)
    assert settings.plugin(KioskSettings).event == "hague-2011"
    assert settings.plugin(KioskSettings).idle_timeout == 45  # the environment wins
    assert settings.plugin(WebSettings).max_body == 5000
    assert not hasattr(settings, "smtp_host")
    # without the plugins, their sections are unknown ones
    bare = make_plugin_manager(entrypoints=False)
    with pytest.raises(InvalidInput, match=r"kiosk: unknown section \[kiosk\]: no installed"):
        load_settings(tmp_path, pm=bare)


def test_unknown_web_key_suggests(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text("[web]\nrate_limt = 3\n")
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    assert "did you mean 'rate_limit'" in str(info.value)


def test_the_programme_s_roles_and_aliases(tmp_path: Path) -> None:
    (tmp_path / "feedback.toml").write_text(
        '[programme]\nroles = ["mp", "ngo"]\n\n[programme.role_aliases]\n"Deputy" = "mp"\n\n'
        '[programme.country_aliases]\n"Fryslân" = "nl"\n'
    )
    programme = load_settings(tmp_path).programme
    assert programme.roles == ["mp", "ngo"]
    assert programme.role_aliases == {"Deputy": "mp"}
    assert programme.country_aliases == {"Fryslân": "NL"}
    (tmp_path / "feedback.toml").unlink()
    assert load_settings(tmp_path).programme.roles is None  # the default survey's roles


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[programme]\nroles = ["MP"]\n', "expected role ids such as mp or ngo, found 'MP'"),
        ('[programme.role_aliases]\n"Deputy" = "Member of Parliament"\n', "alias 'Deputy'"),
        (
            '[programme.country_aliases]\n"Fryslân" = "FY"\n',
            "alias 'Fryslân' names 'FY', which is not an ISO 3166 two-letter country code",
        ),
    ],
)
def test_bad_roles_and_aliases_name_the_file_and_key(
    tmp_path: Path, toml: str, expected: str
) -> None:
    (tmp_path / "feedback.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_settings(tmp_path)
    assert "feedback.toml" in str(info.value)
    assert expected in str(info.value)
    assert "Value error" not in str(info.value)
