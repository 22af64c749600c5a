"""A survey's strings as a gettext catalog (babel), and what a translated catalog changes.

The catalog's msgid is the text in the survey's source language (its first), its msgctxt the
string's context (`feedback_translations.strings`), its msgstr the translation the survey already
has. ``Project-Id-Version`` holds the survey's id and version, so a catalog is matched to its
survey on the way back.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from feedback.errors import InvalidInput
from feedback.survey import Survey
from feedback_translations.strings import Entry, entries

#: What a language of a survey may be (`feedback.options.Language`).
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class TranslationError(InvalidInput):
    """A catalog or a language that cannot be used (exit code 2); nothing is written."""


def locale_of(survey: Survey, language: str, where: str) -> Locale:
    """The babel locale of ``language``, a language ``survey`` can be translated into.

    :raises TranslationError: not a language code the survey can hold, one babel does not know,
        or the survey's source language (its strings are the msgids).
    """
    if not LANGUAGE.match(language):
        raise TranslationError(
            f"{where}: expected a language code such as fr or pt-BR, found {language!r}"
        )
    if language == survey.languages[0]:
        raise TranslationError(
            f"{where}: {language} is the source language of survey '{survey.id}' (its texts are "
            "the msgids): choose a language to translate into"
        )
    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise TranslationError(f"{where}: unknown language {language!r} ({exc})") from exc


def build(survey: Survey, language: str, moment: dt.datetime) -> Catalog:
    """The catalog of ``survey`` for ``language``: every string, translated where it is."""
    locale = locale_of(survey, language, "--language")
    source = survey.languages[0]
    catalog = Catalog(
        locale=locale,
        project=survey.id,
        version=survey.version,
        header_comment=(
            f"# Translation of the survey '{survey.id}' (version {survey.version}) from {source} "
            f"into {language}.\n#\n# Fill in each msgstr; leave it empty where you have no "
            "translation yet.\n# Import it with: feedback survey translations import FILE.po"
        ),
        creation_date=moment,
        revision_date=moment,
        fuzzy=False,
    )
    for entry in entries(survey):
        text = entry.source(source)
        if not text:
            continue  # an empty msgid is the catalog's header
        comments = [entry.where]
        if entry.value is None or isinstance(entry.value, str):
            comments.append(f"the same in every language until translated: {text!r}"[:200])
        translation = entry.translation(language) or ""
        if translation == text and isinstance(entry.value, dict) and len(entry.value) > 1:
            translation = ""  # the source text standing in for a missing translation
        catalog.add(
            text,
            translation,
            context=entry.context,
            auto_comments=comments,
        )
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    """The catalog as a PO file (UTF-8)."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False)
    return out.getvalue()


def read(path: Path) -> Catalog:
    """Read a PO file strictly.

    :raises TranslationError: it cannot be read, or babel finds it malformed (with its line).
    """
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except OSError as exc:
        raise TranslationError(f"{path}: cannot read: {exc.strerror}") from exc
    except PoFileError as exc:
        # babel counts lines from 0 and appends "on <that number>" to its message
        message = re.sub(r" on \d+$", "", str(exc))
        raise TranslationError(
            f"{path}, line {exc.lineno + 1}: not a valid PO file: {message} "
            f"(at {exc.line.strip()!r})"
        ) from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise TranslationError(f"{path}: not a valid PO file: {exc}") from exc


def language_of(catalog: Catalog, path: Path) -> str:
    """The survey language the catalog is in (``pt-BR`` for babel's ``pt_BR``).

    :raises TranslationError: the catalog has no ``Language`` header.
    """
    identifier = catalog.locale_identifier
    if not identifier:
        raise TranslationError(f"{path}: the PO header names no Language (expected e.g. fr)")
    return identifier.replace("_", "-")


@dataclass
class Plan:
    """What a translated catalog does to a survey."""

    language: str
    #: context -> translation, for the strings it translates (or translates anew)
    apply: dict[str, str] = field(default_factory=dict)
    #: the entries those contexts name
    targets: dict[str, Entry] = field(default_factory=dict)
    #: contexts the catalog translates as the survey already has them
    unchanged: list[str] = field(default_factory=list)
    #: strings of the survey with no translation in the catalog (empty msgstr, or absent)
    missing: list[str] = field(default_factory=list)
    #: translations marked fuzzy by the translator: not applied
    fuzzy: list[str] = field(default_factory=list)
    #: translations of a source text that has changed since the export: not applied
    changed: list[str] = field(default_factory=list)
    #: contexts the survey no longer has: not applied
    obsolete: list[str] = field(default_factory=list)
    #: texts of the survey that have other languages but no translation into this one: the
    #: source text stands in (a survey holds every such text in each of its languages)
    stand_ins: dict[str, Entry] = field(default_factory=dict)


def plan(survey: Survey, catalog: Catalog, path: Path) -> Plan:
    """Compare a translated catalog with the survey as it is now.

    :raises TranslationError: the catalog is of another survey, or of a language the survey
        cannot take.
    """
    if catalog.project != survey.id:
        found = f"survey '{catalog.project}'" if catalog.project else "no survey"
        raise TranslationError(
            f"{path}: the PO file is of {found} (Project-Id-Version: "
            f"{catalog.project} {catalog.version}), not of survey '{survey.id}'"
        )
    language = language_of(catalog, path)
    locale_of(survey, language, f"{path}: Language")
    source = survey.languages[0]
    current = {entry.context: entry for entry in entries(survey)}
    out = Plan(language)
    seen: set[str] = set()
    for message in catalog:
        if not message.id:
            continue  # the header
        context = message.context or ""
        seen.add(context)
        entry = current.get(context)
        if entry is None or not isinstance(message.id, str):
            out.obsolete.append(context or str(message.id))
            continue
        translation = message.string if isinstance(message.string, str) else ""
        if not translation:
            out.missing.append(context)
        elif message.fuzzy:
            out.fuzzy.append(context)
        elif message.id != entry.source(source):
            out.changed.append(context)
        elif translation == entry.translation(language):
            out.unchanged.append(context)
        else:
            out.apply[context] = translation
            out.targets[context] = entry
    out.missing.extend(c for c, e in current.items() if c not in seen and e.source(source))
    for context, entry in current.items():
        value = entry.value
        if (
            isinstance(value, dict)
            and not value.get(language, "").strip()
            and context not in out.apply
        ):
            out.stand_ins[context] = entry
    return out
