"""Project settings: ``feedback.toml`` in the project directory, then ``FEEDBACK_*`` variables.

With neither, everything works on defaults: ``./feedback.db`` and ``./surveys/``. Relative paths in the
file are relative to the project directory. Environment variables win over the file; nested keys use
``__`` (``FEEDBACK_PROGRAMME__TARGETS__MP=100``, ``FEEDBACK_WEB__MAX_BODY=2000000``).

The core knows only what core modules read: where the database and the surveys are, the report's
cell sizes, ``[programme]`` (targets, roles, aliases: the roster import and the scorers' context),
``[invitations]`` (how long a personal link lasts and when reminders are due: `feedback.invitations`
is core, shared by the web form and the email plugin) and ``base_url`` (personal links, the venue
QR code: made by more than one plugin).

Everything else belongs to a plugin, declared through the ``register_settings`` hook as a
`feedback.registry.SettingsSection`: a pydantic model read from ``[plugins.NAME]`` (or ``[NAME]``,
a section the plugin owns by name: the built-ins' ``[kiosk]``, ``[web]``, ``[email]``) by this same
loader, so a plugin's keys get the core's error messages (file, key, expected, found; "did you mean"
for an unknown key or section) and environment overrides (``FEEDBACK_PLUGINS__NAME__KEY``,
``FEEDBACK_WEB__KEY``). A plugin reads its section with ``settings.plugin(ItsModel)``.

A field typed ``SecretStr`` is read from the environment only (``feedback.toml`` is copied and
shared; the file refuses it) and is masked wherever settings are shown. A key that an older
``feedback.toml`` held at the top level and that a plugin's section holds now (``smtp_host``, now in
``[email]``) is refused with the section to move it to.
"""

from __future__ import annotations

import contextvars
import functools
import os
import re
import tomllib
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretBytes,
    SecretStr,
    ValidationError,
    create_model,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from feedback.errors import InvalidInput, Problem, did_you_mean
from feedback.indicators import IndicatorSettings, check_indicators
from feedback.registry import SettingsSection, collect

if TYPE_CHECKING:
    from feedback.plugins import PluginManager

CONFIG_NAME = "feedback.toml"
ENV_PREFIX = "FEEDBACK_"
#: What a role id looks like (``mp``, ``national_rapporteur``).
ROLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: The kinds of outcome a programme logs unless its settings say otherwise (id -> label).
OUTCOME_KINDS = {
    "contact_shared": "Contact shared",
    "policy_change": "Policy change",
    "media": "Media",
    "follow_up_meeting": "Follow-up meeting",
}
#: What a settings section's name looks like: it is part of ``FEEDBACK_...`` variable names.
SECTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: The section of plugins that do not own a section by name: ``[plugins.NAME]``.
PLUGINS = "plugins"
_toml_file: contextvars.ContextVar[Path | None] = contextvars.ContextVar("toml", default=None)

M = TypeVar("M", bound=BaseModel)


class ProgrammeSettings(BaseModel):
    """``[programme]``: the series of events, its targets and the words its rosters use."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, description="The programme's name, for reports.")
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

    reach_attendance: Literal["roster", "confirmed"] = Field(
        default="roster",
        description="What attendance reach counts: roster (every attendance recorded, the "
        "roster import's too) or confirmed (only signed sheets entered and check-ins).",
    )
    outcome_kinds: dict[str, str] = Field(
        default_factory=lambda: dict(OUTCOME_KINDS),
        description="The kinds of outcome `feedback outcome` records, as id = label, e.g. "
        'media = "Media"; default: contact_shared, policy_change, media, follow_up_meeting.',
    )

    indicators: list[IndicatorSettings] = Field(
        default_factory=list,
        description="The programme's indicators ([[programme.indicators]]): id, label, unit, "
        'baseline, target and source, "manual" or a figure of a scorer such as '
        '{ scorer = "reach", figure = "mps" } (see `feedback indicators`).',
    )

    @field_validator("indicators")
    @classmethod
    def _indicator_ids(cls, value: list[IndicatorSettings]) -> list[IndicatorSettings]:
        return check_indicators(value)

    @field_validator("outcome_kinds")
    @classmethod
    def _outcome_kind_ids(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("expected at least one kind of outcome, found none")
        for kind, label in value.items():
            if not ROLE_ID.fullmatch(kind):
                raise ValueError(f"expected ids such as media or policy_change, found {kind!r}")
            if not label.strip():
                raise ValueError(f"kind {kind!r}: expected a label, found {label!r}")
        return value

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


class InvitationSettings(BaseModel):
    """``[invitations]``: personal links, sent by email and answered on the web form."""

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


class Settings(BaseSettings):
    """Everything configurable: the core's fields, and each plugin's section (`plugin`).

    Construct with `load_settings`, which adds the sections the plugins declare.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
    )

    #: The plugins' sections this class reads, the plugin that declared each (by section name),
    #: and what was wrong with other declarations. Set on the classes `load_settings` makes.
    plugin_sections: ClassVar[tuple[SettingsSection, ...]] = ()
    plugin_owners: ClassVar[dict[str, str]] = {}
    plugin_problems: ClassVar[tuple[str, ...]] = ()

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
    base_url: str | None = Field(
        default=None,
        description="Where `feedback serve` is reached from outside, e.g. https://feedback.example.org; "
        "personal links and the venue QR code start with it.",
    )
    linking_key: Path | None = Field(
        default=None,
        description="The key file that links a person's follow-up answers to their first ones "
        "(`feedback keys new`); keep it apart from the database. Default: in the user's "
        "config folder, named after the project.",
    )
    programme: ProgrammeSettings = Field(default_factory=ProgrammeSettings)
    invitations: InvitationSettings = Field(default_factory=InvitationSettings)

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
    def linking_key_path(self) -> Path | None:
        """The configured key file, relative to the project directory unless absolute."""
        return self.path(self.linking_key) if self.linking_key is not None else None

    def plugin(self, model: type[M]) -> M:
        """A plugin's settings: the section whose model is ``model``, read and checked.

        :raises LookupError: no plugin of the plugin manager these settings were loaded with
            declared ``model`` (load them with ``load_settings(project, pm=pm)``).
        """
        for section in self.plugin_sections:
            if issubclass(section.model, model):
                holder: Any = self if section.own_section else getattr(self, PLUGINS)
                return cast(M, getattr(holder, section.name))
        raise LookupError(
            f"no plugin declared settings {model.__module__}.{model.__qualname__}: register it "
            "with the register_settings hook, and load the settings with the plugin manager "
            "that holds the plugin (load_settings(project, pm=pm))"
        )

    def sections(self) -> list[tuple[SettingsSection, BaseModel]]:
        """Every plugin's section with its values, in the order the plugins declared them."""
        return [(section, self.plugin(section.model)) for section in self.plugin_sections]


# -- the plugins' sections --------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """The settings sections a plugin manager's plugins declare, and what was wrong."""

    sections: tuple[SettingsSection, ...]
    owners: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]


def declared_sections(pm: PluginManager) -> Declared:
    """Call ``register_settings`` on every plugin of ``pm``; a declaration that cannot work (a bad
    name, a model that is not a pydantic model, a name taken by the core or another plugin) is
    left out and described in ``problems``."""
    registry = collect(
        pm,
        "register_settings",
        "settings section",
        lambda item: isinstance(item, SettingsSection),
        "a feedback.registry.SettingsSection",
        # one name, one plugin, whether the section is [NAME] or [plugins.NAME]
        name_of=lambda item: item.name,
    )
    problems = list(registry.problems)
    sections: list[SettingsSection] = []
    owners: list[tuple[str, str]] = []
    for key, section in registry.items.items():
        owner = registry.owners[key]
        key = section_title(section)
        problem = None
        if not SECTION_NAME.fullmatch(section.name):
            problem = "expected a name of lower-case letters, digits and '_'"
        elif not (isinstance(section.model, type) and issubclass(section.model, BaseModel)):
            problem = f"expected a pydantic model, found {section.model!r}"
        elif section.own_section and section.name in {*Settings.model_fields, PLUGINS}:
            problem = "the name is a setting of the core"
        if problem is not None:
            problems.append(f"plugin '{owner}' declared settings section '{key}': {problem}")
            continue
        sections.append(section)
        owners.append((section_title(section), owner))
    return Declared(tuple(sections), tuple(owners), tuple(problems))


@functools.cache
def _default_declared(allowed: str | None) -> Declared:
    from feedback.plugins import make_plugin_manager

    return declared_sections(make_plugin_manager())


def section_title(section: SettingsSection) -> str:
    """The section's name in ``feedback.toml``: ``web`` or ``plugins.slider``."""
    return section.name if section.own_section else f"{PLUGINS}.{section.name}"


def env_name(*path: str) -> str:
    """The variable that sets a key: ``env_name("web", "max_body")`` is FEEDBACK_WEB__MAX_BODY."""
    return ENV_PREFIX + "__".join(part.upper() for part in path)


@functools.cache
def settings_class(declared: Declared) -> type[Settings]:
    """`Settings` with a field for each of the plugins' sections (``[plugins]`` holds those that
    do not own a section by name). An absent section is read as an empty one, so its defaults
    apply and a key it requires is reported missing."""

    def section_field(section: SettingsSection) -> Any:
        return (
            section.model,
            Field(default_factory=dict, validate_default=True, description=section.description),
        )

    nested = {s.name: section_field(s) for s in declared.sections if not s.own_section}
    plugins_model = create_model("PluginSettings", __config__=ConfigDict(extra="forbid"), **nested)
    fields: dict[str, Any] = {s.name: section_field(s) for s in declared.sections if s.own_section}
    fields[PLUGINS] = (plugins_model, Field(default_factory=dict, validate_default=True))
    cls = cast(
        type[Settings],
        create_model("ProjectSettings", __base__=Settings, **fields),
    )
    cls.plugin_sections = declared.sections
    cls.plugin_owners = dict(declared.owners)
    cls.plugin_problems = declared.problems
    return cls


# -- loading ----------------------------------------------------------------------------------


def load_settings(
    project_dir: str | Path | None = None,
    *,
    pm: PluginManager | None = None,
    **overrides: Any,
) -> Settings:
    """Settings of the project in ``project_dir`` (default: the working directory), with the
    sections the plugins of ``pm`` declare (default: the installed plugins, as ``feedback`` loads
    them: entry points, ``FEEDBACK_LOAD_PLUGINS`` honoured).

    :raises InvalidInput: ``feedback.toml`` cannot be parsed or holds an unknown or invalid key, a
        secret, or a key that moved into a plugin's section; or a ``FEEDBACK_`` variable does.
    """
    project = Path(project_dir) if project_dir is not None else Path(".")
    if not project.is_dir():
        raise InvalidInput(f"{project}: expected a project directory, found none")
    declared = declared_sections(pm) if pm is not None else _default_declared(_allowed())
    cls = settings_class(declared)
    toml_path = project / CONFIG_NAME
    data: dict[str, Any] = {}
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{toml_path}: not valid TOML: {exc}") from exc
    refused = [*_secrets_in_file(cls, data, toml_path), *_moved_variables(cls, os.environ)]
    if refused:
        raise InvalidInput("\n".join(refused))
    token = _toml_file.set(toml_path if toml_path.exists() else None)
    try:
        return cls(project_dir=project, **overrides)
    except ValidationError as exc:
        raise InvalidInput(_settings_errors(exc, toml_path, cls)) from exc
    finally:
        _toml_file.reset(token)


def _allowed() -> str | None:
    from feedback.plugins import LOAD_ENV

    return os.environ.get(LOAD_ENV)


def _is_secret(annotation: Any) -> bool:
    if annotation in (SecretStr, SecretBytes):
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(_is_secret(arg) for arg in typing.get_args(annotation))
    return False


def _section_models(cls: type[Settings]) -> list[tuple[tuple[str, ...], type[BaseModel]]]:
    """(location, model) of the top level, the core's sections and every plugin's section."""
    out: list[tuple[tuple[str, ...], type[BaseModel]]] = [((), cls)]
    for name, info in cls.model_fields.items():
        if name != PLUGINS and _model_of(info.annotation) is not None:
            out.append(((name,), cast(type[BaseModel], info.annotation)))
    out.extend(
        (tuple(section_title(s).split(".")), s.model)
        for s in cls.plugin_sections
        if not s.own_section
    )
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _secrets_in_file(cls: type[Settings], data: dict[str, Any], toml_path: Path) -> list[str]:
    """A secret (a ``SecretStr`` field) does not belong in a file that is copied and shared: not
    in its section, nor at the top level where an older file kept it (``smtp_password``)."""
    found: list[tuple[tuple[str, ...], tuple[str, ...]]] = []  # (where in the file, its key)
    for key in data:
        moved = _moved(cls, key)
        section = next((s for s in cls.plugin_sections if section_title(s) == moved), None)
        if section is not None and _is_secret(section.model.model_fields[key].annotation):
            found.append(((key,), (*str(moved).split("."), key)))
    for loc, model in _section_models(cls):
        table: Any = data
        for part in loc:
            table = table.get(part) if isinstance(table, dict) else None
        if isinstance(table, dict):
            found += [(path, path) for path in _secret_paths(model, table, loc)]
    message = (
        "a password or key does not belong in a file that is copied and shared; remove it and "
        "give it in the environment variable {}"
    )
    return [Problem(message.format(env_name(*key)), loc).render(toml_path) for loc, key in found]


def _secret_paths(
    model: type[BaseModel], table: dict[str, Any], loc: tuple[str, ...]
) -> list[tuple[str, ...]]:
    """Where ``table`` (read for ``model``) holds a secret: its own fields, and those of the tables
    it holds, a model's (``[web.tls]``) or a table of them by name (``[webhooks.endpoints.NAME]``)."""
    found: list[tuple[str, ...]] = []
    for name, info in model.model_fields.items():
        value = table.get(name)
        if value is None:
            continue
        if _is_secret(info.annotation):
            found.append((*loc, name))
            continue
        inner = _model_of(_unoptional(info.annotation))
        if inner is not None and isinstance(value, dict):
            found += _secret_paths(inner, value, (*loc, name))
        args = typing.get_args(_unoptional(info.annotation))
        named = (
            _model_of(args[1])
            if typing.get_origin(info.annotation) is dict and len(args) == 2
            else None
        )
        if named is not None and isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict):
                    found += _secret_paths(named, item, (*loc, name, str(key)))
    return found


def _unoptional(annotation: Any) -> Any:
    """``X`` of ``X | None``; any other annotation as it is."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _moved(cls: type[Settings], key: str) -> str | None:
    """The section of a plugin that holds ``key``, when the top level does not: where an older
    ``feedback.toml`` kept it (``smtp_host``, now in ``[email]``)."""
    if key in cls.model_fields:
        return None
    for section in cls.plugin_sections:
        if key in section.model.model_fields:
            return section_title(section)
    return None


def _moved_variables(cls: type[Settings], environ: Iterable[str]) -> list[str]:
    """``FEEDBACK_SMTP_HOST`` and the like, which an older release read and this one would ignore:
    refused with the variable that sets the key now."""
    out = []
    for variable in environ:
        if not variable.upper().startswith(ENV_PREFIX) or "__" in variable:
            continue
        key = variable[len(ENV_PREFIX) :].lower()
        section = _moved(cls, key)
        if section is not None:
            out.append(
                f"{variable}: {key} is a setting of [{section}] now; "
                f"set {env_name(*section.split('.'), key)} instead"
            )
    return out


def _fields_at(cls: type[Settings], loc: tuple[str | int, ...]) -> list[str]:
    """The keys the model at ``loc`` knows (for "did you mean")."""
    model: type[BaseModel] | None = cls
    for part in loc:
        if isinstance(part, int):  # an item of a list of tables ([[programme.indicators]])
            continue
        info = model.model_fields.get(str(part)) if model is not None else None
        annotation = info.annotation if info is not None else None
        if typing.get_origin(annotation) is list:
            (annotation,) = typing.get_args(annotation)
        model = _model_of(annotation)
        if model is None:
            return []
    return list(model.model_fields) if model is not None else []


def _settings_errors(exc: ValidationError, toml_path: Path, cls: type[Settings]) -> str:
    lines = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            key = str(loc[-1])
            moved = _moved(cls, key) if len(loc) == 1 else None
            if moved is not None:
                message = (
                    f"unknown setting '{key}': it is a setting of [{moved}] now; move it under "
                    f"[{moved}] (or set {env_name(*moved.split('.'), key)})"
                )
            elif isinstance(error.get("input"), dict) and (
                len(loc) == 1 or (len(loc) == 2 and loc[0] == PLUGINS)
            ):
                message = (
                    f"unknown section [{'.'.join(map(str, loc))}]: no installed plugin declares it"
                    + did_you_mean(key, _fields_at(cls, loc[:-1]))
                )
            else:
                message = f"unknown setting '{key}'" + did_you_mean(key, _fields_at(cls, loc[:-1]))
        elif error["type"] == "value_error":  # a validator's own words say what it found
            message = str(error.get("ctx", {}).get("error", error["msg"]))
        elif error["type"] == "missing":
            message = "required, and not set"
        else:
            message = f"{error['msg']}, found {error.get('input')!r}"
        lines.append(Problem(message, loc).render(f"{toml_path} (or FEEDBACK_ variables)"))
    return "\n".join(lines)


# -- showing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One key for ``feedback config show``: where it is, its value, default and description."""

    section: str  # "" for the top level, "programme", "web", "plugins.slider"
    key: str
    value: Any
    default: Any
    description: str
    env: str
    secret: bool
    plugin: str | None  # the plugin that declared the section; None for the core's

    @property
    def is_default(self) -> bool:
        return bool(self.value == self.default)

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "key": self.key,
            "value": _plain(self.value),
            "default": _plain(self.default),
            "is_default": self.is_default,
            "description": self.description,
            "env": self.env,
            "secret": self.secret,
            "plugin": self.plugin,
        }


def describe(settings: Settings) -> list[tuple[str, str, str | None, list[Setting]]]:
    """The settings in sections: (section, its description, its plugin, its keys); the core's
    first, then each plugin's in the order they were declared. Secrets are masked."""
    out: list[tuple[str, str, str | None, list[Setting]]] = []
    core = Settings.model_fields
    nested = {name: model for name, info in core.items() if (model := _model_of(info.annotation))}
    top = [name for name, info in core.items() if not info.exclude and name not in nested]
    about = "Where the database and the surveys are, how reports guard small groups, and the "
    about += "address participants reach."
    out.append(("", about, None, _rows(settings, "", top, Settings, None)))
    for name, model in nested.items():
        rows = _rows(getattr(settings, name), name, list(model.model_fields), model, None)
        out.append((name, _summary(model), None, rows))
    for section, values in settings.sections():
        title = section_title(section)
        plugin = settings.plugin_owners.get(title)
        model = type(values)
        rows = _rows(values, title, list(model.model_fields), model, plugin)
        out.append((title, section.description or _summary(model), plugin, rows))
    return out


def _rows(
    values: Any, section: str, names: list[str], model: type[BaseModel], plugin: str | None
) -> list[Setting]:
    rows = []
    for name in names:
        info = model.model_fields[name]
        secret = _is_secret(info.annotation)
        value = getattr(values, name)
        default = info.get_default(call_default_factory=True)
        if secret:
            value = None if value is None else "********"
            default = None if default is None else "********"
        path = (*section.split("."), name) if section else (name,)
        rows.append(
            Setting(
                section,
                name,
                value,
                default,
                info.description or "",
                env_name(*path),
                secret,
                plugin,
            )
        )
    return rows


def _summary(model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip().split("\n\n")[0]
    text = re.sub(r"^``\[[a-z0-9_.]+\]``:\s*", "", " ".join(doc.split()))
    return text[:1].upper() + text[1:]


def _plain(value: Any) -> Any:
    """A value as JSON: paths as text, models and secrets as what they show."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, SecretStr | SecretBytes):
        return "********"
    if isinstance(value, BaseModel):
        return _plain(value.model_dump())
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def toml_value(value: Any) -> str:
    """A value as it would be written in ``feedback.toml`` (``not set`` for none)."""
    value = _plain(value)
    if value is None:
        return "not set"
    return _toml(value)


def _toml(value: Any) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ", ".join(f"{_toml_key(k)} = {_toml(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return _toml(str(value))


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)
