"""The plugin guide documents every hook, with its signature, and names no hook that does not exist."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from feedback import hookspecs
from feedback.plugins import make_plugin_manager

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
HEADING = re.compile(r"^### (\w+)\((.*)\)\s*$", re.MULTILINE)


def spec_functions() -> dict[str, Callable[..., Any]]:
    """Every function of ``feedback.hookspecs`` marked with the ``feedback`` hookspec marker."""
    return {
        name: function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "feedback_spec")
    }


def signature_heading(function: Callable[..., Any]) -> str:
    params = ", ".join(inspect.signature(function).parameters)
    return f"### {function.__name__}({params})"


HOOKS = spec_functions()


def guide_headings() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    return {m.group(1): m.group(0).rstrip() for m in HEADING.finditer(text)}


def test_the_marker_finds_the_same_hooks_as_the_plugin_manager() -> None:
    pm = make_plugin_manager(entrypoints=False)
    registered = {
        name
        for name in dir(pm.hook)
        if not name.startswith("_") and getattr(pm.hook, name).spec is not None
    }
    assert set(HOOKS) == registered
    assert len(HOOKS) >= 8


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_has_a_docstring(name: str) -> None:
    doc = inspect.getdoc(HOOKS[name])
    assert doc, f"hook {name} has no docstring"
    for param in inspect.signature(HOOKS[name]).parameters:
        assert f":param {param}:" in doc, f"hook {name} does not document '{param}'"


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_in_the_guide_with_its_signature(name: str) -> None:
    headings = guide_headings()
    assert name in headings, f"docs/plugins.md has no '### {name}(...)' heading"
    assert headings[name] == signature_heading(HOOKS[name])


def test_the_guide_names_no_hook_that_does_not_exist() -> None:
    unknown = set(guide_headings()) - set(HOOKS)
    assert not unknown, f"docs/plugins.md documents hooks that do not exist: {sorted(unknown)}"


def test_each_hook_section_quotes_its_hookspec_summary() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)
    by_name = {s.split("(", 1)[0]: s for s in sections[1:]}
    for name, function in HOOKS.items():
        summary = " ".join((inspect.getdoc(function) or "").split("\n\n")[0].split())
        assert name in by_name, f"docs/plugins.md has no section on {name}"
        section = " ".join(by_name[name].split())
        assert summary in section, f"the section on {name} does not give its hookspec summary"


DEPLOYMENT = GUIDE.with_name("deployment.md")


def test_the_deployment_guide_names_every_web_setting_with_its_default() -> None:
    """docs/deployment.md lists each ``[web]`` limit; a new setting or a changed default must be
    written there too, or a deployment is set up from a wrong page."""
    from feedback_web.settings import WebSettings

    text = DEPLOYMENT.read_text(encoding="utf-8")
    for name, field in WebSettings.model_fields.items():
        assert f"`{name}`" in text, f"docs/deployment.md does not name [web] {name}"
        if isinstance(field.default, bool):
            continue
        default = field.default
        shown = f"{default:,}" if isinstance(default, int) else f"{default:g}"
        row = next((line for line in text.splitlines() if f"`{name}`" in line), "")
        if row.startswith("|"):
            assert shown in row or f"{default:,.0f}" in row, (name, row)
