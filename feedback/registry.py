"""Typed objects plugins register, and the registries that own their names.

Plugins call the ``register`` callback a hook passes them; the core checks the type and the name and
keeps the first registration of a name, reporting any later one as a problem of its plugin.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pluggy

if TYPE_CHECKING:
    from feedback.survey import Survey

NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Channel:
    """A way responses arrive: ``kiosk``, ``web``, ``paper``, ``offline``, ``import`` ..."""

    name: str
    title: str
    description: str = ""
    #: how this channel draws question types (``kiosk``, ``web``, ``offline``, ``paper``), or
    #: ``None`` for a channel that draws nothing (an import)
    rendering: str | None = None
    #: ``"package.module:factory"`` building this channel's app for an engine:
    #: ``factory(engine, *, survey=None, event=None, **options)`` returns a Textual ``App`` or an
    #: ASGI application (used by `feedback.testing` and by anyone embedding the channel)
    app: str | None = None
    #: how a count of its responses reads in a report, after the number: ``20 at the kiosk``,
    #: ``10 online`` (default: ``by <name>``)
    phrase: str = ""

    def counted(self) -> str:
        """The words after a count of this channel's responses."""
        return self.phrase or f"by {self.name}"


@dataclass(frozen=True)
class SettingsSection:
    """A plugin's settings: a pydantic model read from ``[plugins.NAME]`` (or ``[NAME]`` when
    ``own_section``) of ``feedback.toml``, with ``FEEDBACK_...`` environment overrides."""

    name: str
    model: type[Any]
    description: str = ""
    own_section: bool = False


@dataclass(frozen=True)
class Scorer:
    """An outcome scorer: the constructs it reads and the function that scores them."""

    name: str
    title: str
    constructs: tuple[str, ...]
    score: Callable[..., Any]
    description: str = ""


@dataclass(frozen=True)
class ReportFormat:
    """A report renderer: its name, the file suffix it writes, and the function that renders."""

    name: str
    suffix: str
    render: Callable[..., Any]
    description: str = ""


@dataclass(frozen=True)
class Export:
    """What a plugin's export writer gets: the responses of one survey, its versions, and the
    language of its labels."""

    records: Iterable[dict[str, Any]]
    #: the survey's versions, newest first (`feedback.variables.survey_versions`)
    surveys: Sequence[Survey]
    #: the language of labels (one of the newest version's languages)
    language: str


@dataclass(frozen=True)
class ExportFormat:
    """A response export format from a plugin: ``feedback responses export --format NAME``.

    ``writer`` is a ``"package.module:function"`` target, imported only when the format is chosen
    (its libraries stay out of start-up): ``function(export: Export, path: Path) -> int`` writes
    the file at ``path`` and returns the number of responses written. It may raise
    `feedback.errors.InvalidInput` for data it cannot write; the target file is then untouched.
    """

    name: str
    #: the file suffix, with its dot (``.sav``)
    suffix: str
    writer: str
    description: str = ""


T = TypeVar("T")


@dataclass
class Registry(Generic[T]):
    """Named objects from plugins, in registration order, with the plugin that gave each."""

    kind: str
    items: dict[str, T] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, name: object) -> bool:
        return name in self.items

    def __getitem__(self, name: str) -> T:
        return self.items[name]

    def names(self) -> list[str]:
        return list(self.items)

    def add(self, name: str, item: T, owner: str) -> None:
        if not NAME.match(name):
            self.problems.append(
                f"plugin '{owner}' registered {self.kind} '{name}': expected a name of lower-case "
                "letters, digits, '-' and '_'"
            )
        elif name in self.items:
            self.problems.append(
                f"plugin '{owner}' registered {self.kind} '{name}', which plugin "
                f"'{self.owners[name]}' registered first; the first is kept"
            )
        else:
            self.items[name] = item
            self.owners[name] = owner


def collect(
    pm: pluggy.PluginManager,
    hook: str,
    kind: str,
    accepts: Callable[[Any], bool],
    expected: str,
    name_of: Callable[[Any], str] = lambda item: item.name,
) -> Registry[Any]:
    """Call one ``register_*`` hook plugin by plugin, so each registration is attributed.

    :param accepts: whether a registered item is of the right kind.
    :param expected: what the right kind is, in words, for the problem report.
    """
    registry: Registry[Any] = Registry(kind)
    # In registration order (pluggy calls the last registered first): built-ins and explicit
    # plugins are registered before third-party entry points, so they keep their names.
    for impl in getattr(pm.hook, hook).get_hookimpls():
        owner = impl.plugin_name

        def register(item: Any, owner: str = owner) -> None:
            if not accepts(item):
                registry.problems.append(
                    f"plugin '{owner}' registered {item!r} as a {kind}; expected {expected}"
                )
                return
            registry.add(name_of(item), item, owner)

        try:
            impl.function(register=register)
        except Exception as exc:  # a broken plugin must not take the others down
            registry.problems.append(f"plugin '{owner}' failed in {hook}: {exc!r}")
    return registry
