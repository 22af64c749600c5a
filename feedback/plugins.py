"""The plugin manager: built-in and third-party plugins alike come from the entry-point group
``feedback``; tests and embedders pass plugins explicitly.

Nothing is loaded when ``feedback`` is imported: call `make_plugin_manager`. The environment variable
``FEEDBACK_LOAD_PLUGINS`` (comma-separated entry-point names; empty for none) restricts what loads.
A plugin that fails to import is recorded in ``pm.failures`` and the others still load.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pluggy

from feedback import hookspecs

GROUP = "feedback"
LOAD_ENV = "FEEDBACK_LOAD_PLUGINS"


@dataclass(frozen=True)
class PluginFailure:
    name: str
    source: str
    error: str


@dataclass(frozen=True)
class PluginInfo:
    name: str
    source: str
    hooks: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "hooks": list(self.hooks)}


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, plus where each plugin came from and which ones failed to load."""

    def __init__(self) -> None:
        super().__init__(GROUP)
        self.add_hookspecs(hookspecs)
        self.sources: dict[str, str] = {}
        self.failures: list[PluginFailure] = []

    def register_from(self, plugin: Any, name: str | None, source: str) -> str | None:
        registered = self.register(plugin, name=name)
        if registered is not None:
            self.sources[registered] = source
        return registered

    def info(self) -> list[PluginInfo]:
        """Each registered plugin with its source and the hooks it implements, by name."""
        out = []
        for name, plugin in sorted(self.list_name_plugin(), key=lambda item: str(item[0])):
            if plugin is None:
                continue
            hooks = tuple(sorted(caller.name for caller in self.get_hookcallers(plugin) or []))
            out.append(PluginInfo(str(name), self.sources.get(str(name), "explicit"), hooks))
        return out


def allowed_plugins() -> set[str] | None:
    """The entry-point names ``FEEDBACK_LOAD_PLUGINS`` allows, or ``None`` for all."""
    value = os.environ.get(LOAD_ENV)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def load_entrypoints(pm: PluginManager) -> None:
    """Register every plugin of the entry-point group, recording failures instead of raising."""
    allowed = allowed_plugins()
    # The entry points of one distribution share its Distribution object; its name and version
    # come from parsing its METADATA file, which every start pays: parse it once per distribution.
    distributions: dict[int, tuple[str, str]] = {}

    def distribution(ep: importlib.metadata.EntryPoint) -> tuple[str, str] | None:
        dist = getattr(ep, "dist", None)
        if dist is None:
            return None
        if id(dist) not in distributions:
            metadata = dist.metadata
            distributions[id(dist)] = (metadata["Name"], metadata["Version"])
        return distributions[id(dist)]

    def builtin_first(ep: importlib.metadata.EntryPoint) -> tuple[bool, str]:
        found = distribution(ep)
        return (found is None or found[0] != "feedback", ep.name)

    entry_points = importlib.metadata.entry_points(group=GROUP)
    for ep in sorted(entry_points, key=builtin_first):
        if allowed is not None and ep.name not in allowed:
            continue
        if pm.has_plugin(ep.name):
            continue
        found = distribution(ep)
        where = f"{found[0]} {found[1]}" if found is not None else "unknown distribution"
        source = f"entry point {ep.name} = {ep.value} ({where})"
        try:
            plugin = ep.load()
            if pm.is_registered(plugin):
                continue  # registered explicitly already (a plugin's own tests do this)
            pm.register_from(plugin, ep.name, source)
        except Exception as exc:
            pm.failures.append(PluginFailure(ep.name, source, f"{type(exc).__name__}: {exc}"))


def _plugin_name(pm: PluginManager, plugin: Any) -> str:
    """A readable name: a module's name, or a class (or instance's class) name; made unique."""
    base = getattr(plugin, "__name__", None) or type(plugin).__name__
    name, n = base, 1
    while pm.has_plugin(name):
        n += 1
        name = f"{base}-{n}"
    return name


def make_plugin_manager(entrypoints: bool = True, plugins: Iterable[Any] = ()) -> PluginManager:
    """A new plugin manager: the given plugins, then (unless disabled) the entry points."""
    pm = PluginManager()
    for plugin in plugins:
        pm.register_from(plugin, _plugin_name(pm, plugin), "explicit")
    if entrypoints:
        load_entrypoints(pm)
    pm.check_pending()
    return pm
