"""Project settings: ``feedback.toml`` in the project directory, then ``FEEDBACK_*`` variables.

With neither, everything works on defaults: ``./feedback.db`` and ``./surveys/``. Relative paths in the
file are relative to the project directory. Environment variables win over the file; nested keys use
``__`` (``FEEDBACK_PROGRAMME__TARGETS__MP=100``).
"""

from __future__ import annotations

import contextvars
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from feedback.errors import InvalidInput, Problem, did_you_mean

CONFIG_NAME = "feedback.toml"
#: What a role id looks like (``mp``, ``national_rapporteur``).
ROLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_toml_file: contextvars.ContextVar[Path | None] = contextvars.ContextVar("toml", default=None)


class ProgrammeSettings(BaseModel):
    """``[programme]``: the series of events, its targets and the words its rosters use."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    targets: dict[str, int] = Field(
        default_factory=dict,
        description="Reach targets of the programme, e.g. mp = 100, countries = 15.",
    )
    roles: list[str] | None = Field(
        default=None,
        description="The roles (stakeholder groups) a roster may give, as ids such as mp or ngo; "
        "default: the choices of the role question of the default survey.",
    )
    role_aliases: dict[str, str] = Field(
        default_factory=dict,
        description='Other words for a role in a roster, e.g. "Member of Parliament" = "mp" '
        "(matched ignoring case, accents and punctuation); the role's labels in the survey "
        "are known already.",
    )
    country_aliases: dict[str, str] = Field(
        default_factory=dict,
        description='Other words for a country in a roster or an event, e.g. "Nederlân" = "NL"; '
        "ISO 3166 codes, UK, EL and country names in English and Dutch are known already.",
    )

    @field_validator("roles")
    @classmethod
    def _role_ids(cls, value: list[str] | None) -> list[str] | None:
        for role in value or []:
            if not ROLE_ID.fullmatch(role):
                raise ValueError(f"expected role ids such as mp or ngo, found {role!r}")
        return value

    @field_validator("role_aliases")
    @classmethod
    def _role_targets(cls, value: dict[str, str]) -> dict[str, str]:
        for alias, role in value.items():
            if not ROLE_ID.fullmatch(role):
                raise ValueError(
                    f"alias {alias!r}: expected a role id such as mp or ngo, found {role!r}"
                )
        return value

    @field_validator("country_aliases")
    @classmethod
    def _country_targets(cls, value: dict[str, str]) -> dict[str, str]:
        from feedback.countries import Countries

        Countries(value)  # a ValueError naming the alias whose code is not a country
        return {alias: code.strip().upper() for alias, code in value.items()}


class KioskSettings(BaseModel):
    """``[kiosk]``: the terminal kiosk at the venue."""

    model_config = ConfigDict(extra="forbid")

    event: str | None = Field(default=None, description="Event the kiosk collects for.")
    idle_timeout: float = Field(
        default=90.0, gt=0, description="Seconds without a key press before answers are discarded."
    )
    idle_warning: float = Field(
        default=15.0, ge=0, description="Seconds of visible countdown before the reset."
    )
    thank_you_seconds: float = Field(
        default=6.0, gt=0, description="Seconds the thank-you screen stays up."
    )
    pin_hash: str | None = Field(
        default=None,
        description="Hash of the staff PIN (make one with `feedback kiosk --hash-pin`); "
        "or give the PIN in the environment variable FEEDBACK_KIOSK_PIN.",
    )
    high_contrast: bool = Field(default=False, description="Start in the high-contrast theme.")
    write_timeout: float = Field(
        default=3.0,
        gt=0,
        description="Seconds a submit waits for the database before the response is spooled.",
    )
    spool: Path | None = Field(
        default=None, description="The spool file (default: next to the database)."
    )
    retry_seconds: float = Field(
        default=20.0, gt=0, description="How often spooled responses are retried."
    )


class InvitationSettings(BaseModel):
    """``[invitations]``: personal links sent by email."""

    model_config = ConfigDict(extra="forbid")

    expires_days: float = Field(
        default=30.0, gt=0, description="Days a personal link stays good after it was sent."
    )
    remind_interval_days: float = Field(
        default=7.0,
        gt=0,
        description="Days after the invitation or the last reminder before another reminder.",
    )
    max_reminders: int = Field(default=3, ge=0, description="Reminders sent at most per person.")


class WebSettings(BaseModel):
    """``[web]``: the web form behind personal and open links."""

    model_config = ConfigDict(extra="forbid")

    open_links: bool = Field(
        default=True,
        description="Serve open links (/e/<event>, the venue QR code) at all; each event's "
        "open link works only when the event turns it on too (`feedback event add --open-link`).",
    )
    rate_limit: int = Field(
        default=10, ge=1, description="Unknown links one client may try per window."
    )
    rate_window: float = Field(
        default=600.0, gt=0, description="Seconds of the window the rate limit counts in."
    )
    open_link_address_limit: int = Field(
        default=10,
        ge=1,
        description="Responses one client address may give by open links per "
        "open_link_address_window; raise it when many participants share one address (a "
        "venue's Wi-Fi behind one router).",
    )
    open_link_address_window: float = Field(
        default=600.0, gt=0, description="Seconds the per-address open-link limit counts in."
    )
    open_link_event_limit: int = Field(
        default=300, ge=1, description="Responses one event's open link takes per window."
    )
    open_link_event_window: float = Field(
        default=3600.0, gt=0, description="Seconds the per-event open-link limit counts in."
    )
    max_body: int = Field(
        default=1_000_000,
        ge=1,
        description="Bytes one request body may hold; more is answered 413 before anything is "
        "parsed.",
    )
    header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client has to send its request headers, from connecting or from "
        "the end of the previous answer; slower connections are closed with 408.",
    )
    body_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a client has to send its request body once its headers are in.",
    )
    keep_alive: int = Field(
        default=5, ge=1, description="Seconds an idle connection stays open between requests."
    )
    max_connections: int = Field(
        default=500,
        ge=1,
        description="Connections open at once; past it, the one waiting longest for its "
        "headers is closed. Must fit the process's open-file limit.",
    )


class Settings(BaseSettings):
    """Everything configurable. Construct with `load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="FEEDBACK_", env_nested_delimiter="__", extra="forbid"
    )

    project_dir: Path = Field(default=Path("."), exclude=True)
    db: Path = Field(default=Path("feedback.db"), description="The SQLite database file.")
    surveys_dir: Path = Field(default=Path("surveys"), description="Where survey files live.")
    default_survey: str = Field(default="post-seminar", description="Survey used when none given.")
    busy_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a writer waits for another before giving up."
    )
    min_cell_size: int = Field(
        default=5, ge=1, description="Smallest group a report shows a breakdown for."
    )
    uniform_cell_size: int | None = Field(
        default=None,
        ge=1,
        description="Smallest group a report shows when all its answers are alike (0% or 100%, "
        "which would give each member's answer away); default twice min_cell_size.",
    )
    programme: ProgrammeSettings = Field(default_factory=ProgrammeSettings)
    kiosk: KioskSettings = Field(default_factory=KioskSettings)
    invitations: InvitationSettings = Field(default_factory=InvitationSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    base_url: str | None = Field(
        default=None,
        description="Where `feedback serve` is reached from outside, e.g. https://feedback.example.org; "
        "personal links and the venue QR code start with it.",
    )
    smtp_host: str | None = Field(
        default=None, description="The SMTP server invitations go through."
    )
    smtp_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Its port (default: 25 without security, 587 for starttls, 465 for ssl).",
    )
    smtp_security: Literal["none", "starttls", "ssl"] = Field(
        default="starttls", description="none, starttls or ssl."
    )
    smtp_user: str | None = Field(default=None, description="The SMTP login, if the server asks.")
    smtp_password: SecretStr | None = Field(
        default=None,
        description="The SMTP password: only from the environment (FEEDBACK_SMTP_PASSWORD); "
        "feedback.toml refuses it.",
    )
    smtp_timeout: float = Field(default=30.0, gt=0, description="Seconds an SMTP call may take.")
    smtp_retries: int = Field(
        default=3, ge=0, description="Retries of a temporary SMTP failure, with back-off."
    )
    smtp_backoff: float = Field(
        default=2.0, ge=0, description="Seconds before the first retry; doubled each time."
    )
    mail_from: str | None = Field(
        default=None, description="The From address of invitations, e.g. Seminar team <x@y.org>."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_file = _toml_file.get()
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)

    def path(self, value: Path) -> Path:
        """A configured path, relative to the project directory unless absolute."""
        value = value.expanduser()
        return value if value.is_absolute() else self.project_dir / value

    @property
    def db_path(self) -> Path:
        return self.path(self.db)

    @property
    def surveys_path(self) -> Path:
        return self.path(self.surveys_dir)

    @property
    def smtp_port_or_default(self) -> int:
        if self.smtp_port is not None:
            return self.smtp_port
        return {"none": 25, "starttls": 587, "ssl": 465}[self.smtp_security]


def load_settings(project_dir: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings of the project in ``project_dir`` (default: the working directory).

    :raises InvalidInput: ``feedback.toml`` cannot be parsed or holds an unknown or invalid key.
    """
    project = Path(project_dir) if project_dir is not None else Path(".")
    if not project.is_dir():
        raise InvalidInput(f"{project}: expected a project directory, found none")
    toml_path = project / CONFIG_NAME
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{toml_path}: not valid TOML: {exc}") from exc
        if "smtp_password" in data:
            raise InvalidInput(
                f"{toml_path}: smtp_password: a password does not belong in a file that is copied "
                "and shared; remove it and give it in the environment variable "
                "FEEDBACK_SMTP_PASSWORD"
            )
    token = _toml_file.set(toml_path if toml_path.exists() else None)
    try:
        return Settings(project_dir=project, **overrides)
    except ValidationError as exc:
        raise InvalidInput(_settings_errors(exc, toml_path)) from exc
    finally:
        _toml_file.reset(token)


def _settings_errors(exc: ValidationError, toml_path: Path) -> str:
    lines = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            fields: list[str] = list(Settings.model_fields)
            sections = {
                "programme": ProgrammeSettings,
                "kiosk": KioskSettings,
                "invitations": InvitationSettings,
                "web": WebSettings,
            }
            if loc[:1] and loc[0] in sections:
                fields = list(sections[str(loc[0])].model_fields)
            message = f"unknown setting '{loc[-1]}'" + did_you_mean(str(loc[-1]), fields)
        elif error["type"] == "value_error":  # a validator's own words say what it found
            message = str(error.get("ctx", {}).get("error", error["msg"]))
        else:
            message = f"{error['msg']}, found {error.get('input')!r}"
        lines.append(Problem(message, loc).render(f"{toml_path} (or FEEDBACK_ variables)"))
    return "\n".join(lines)
