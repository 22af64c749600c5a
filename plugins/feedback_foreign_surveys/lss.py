"""LimeSurvey survey structure files (``.lss``): the XML a LimeSurvey survey is exported as.

The file holds database tables as ``<table><rows><row><field>...``: ``surveys`` (base language,
additional languages, anonymity), ``surveys_languagesettings`` (title, description, end text),
``groups``, ``questions``, ``subquestions``, ``answers`` and ``question_attributes``; LimeSurvey 4
and later keep the texts apart in ``group_l10ns``, ``question_l10ns`` and ``answer_l10ns``, one row
per language, where LimeSurvey 3 wrote one row per language in the tables themselves. Both are
read. Question groups become sections, and the question types we share become ours
(`limesurvey_question`); everything else is a problem naming the question code and its line.

The XML is read through defusedxml's SAX parser, which refuses a document type declaration,
entities and external references (a LimeSurvey export has none), so a crafted file can neither
expand into gigabytes nor read a local file. SAX gives each element's line, for the errors.
"""

from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import defusedxml
import defusedxml.sax

from feedback.errors import Problem, SurveyError
from feedback_foreign_surveys.common import Collected, localised, make_slug
from feedback_foreign_surveys.limesurvey_question import Question, convert_group

if TYPE_CHECKING:
    from feedback.loading import SurveyDocument

#: A LimeSurvey structure file of a large survey in many languages is a few megabytes.
MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Element:
    tag: str
    line: int
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)


class _TreeBuilder(xml.sax.handler.ContentHandler):
    """Elements with their text and line: all a structure file needs (no attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Element] = [Element("", 0)]
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: Any) -> None:
        line = self.locator.getLineNumber() if self.locator is not None else 0
        element = Element(name, line)
        self.stack[-1].children.append(element)
        self.stack.append(element)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        self.stack[-1].parts.append(content)


def parse_xml(path: Path) -> Element:
    """The document element of an XML file, read safely.

    :raises SurveyError: not well-formed XML (with its line and column), a DTD, an entity or an
        external reference.
    """
    if path.stat().st_size > MAX_BYTES:
        raise SurveyError(path, [Problem(f"larger than {MAX_BYTES // 2**20} MB")])
    builder = _TreeBuilder()
    try:
        with path.open("rb") as handle:
            defusedxml.sax.parse(handle, builder, forbid_dtd=True)
    except xml.sax.SAXParseException as exc:
        raise SurveyError(
            path,
            [Problem(f"not well-formed XML: {exc.getMessage()}", (), exc.getLineNumber(), None)],
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        line = builder.locator.getLineNumber() if builder.locator is not None else None
        raise SurveyError(
            path,
            [
                Problem(
                    "refused: the XML declares a document type, entities or external references "
                    f"({type(exc).__name__}); a LimeSurvey export has none",
                    (),
                    line,
                )
            ],
        ) from exc
    root = builder.stack[0].children
    if not root:
        raise SurveyError(path, [Problem("no XML element in the file")])
    return root[0]


@dataclass
class Row:
    values: dict[str, str]
    line: int

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default).strip() if name in self.values else default

    def raw(self, name: str) -> str:
        return self.values.get(name, "")


def table(root: Element, name: str) -> list[Row]:
    """The rows of one table of the export (none when the table is absent)."""
    element = root.find(name)
    rows = element.find("rows") if element is not None else None
    if rows is None:
        return []
    return [
        Row({cell.tag: cell.text for cell in row.children}, row.line)
        for row in rows.children
        if row.tag == "row"
    ]


def _order(row: Row, name: str) -> int:
    try:
        return int(row.get(name, "0") or 0)
    except ValueError:
        return 0


def _texts(rows: list[Row], key: str, field_name: str) -> dict[str, dict[str, str]]:
    """``{id: {language: text}}`` of one text field, from rows that carry a ``language``."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        language = row.get("language")
        if language and field_name in row.values:
            out.setdefault(row.get(key), {}).setdefault(language, row.raw(field_name))
    return out


def read_lss(path: Path) -> SurveyDocument:
    """A LimeSurvey survey structure file as a survey document of ours."""
    from feedback.loading import SurveyDocument

    root = parse_xml(path)
    doc_type = root.find("LimeSurveyDocType")
    if root.tag != "document" or doc_type is None or doc_type.text.strip() != "Survey":
        raise SurveyError(path, [Problem("not a LimeSurvey survey structure file", (), 1)])
    found = Collected(path)
    surveys = table(root, "surveys")
    if not surveys:
        raise SurveyError(path, [Problem("the <surveys> table has no row", (), root.line)])
    settings = surveys[0]
    languages = [settings.get("language") or "en"]
    languages += [lang for lang in settings.get("additional_languages").split() if lang]
    data: dict[str, Any] = {"id": make_slug(path.stem)}
    data.update(_survey_texts(table(root, "surveys_languagesettings"), languages, found))
    data["languages"] = languages
    data["anonymous"] = settings.get("anonymized", "N") == "Y"
    if settings.get("anonymized", "N") != "Y":
        found.notes.append(
            "LimeSurvey's survey is not anonymized, so neither is this one (anonymous: false)"
        )

    questions = _questions(root, languages, found)
    groups = sorted(table(root, "groups"), key=lambda r: _order(r, "group_order"))
    group_texts = table(root, "group_l10ns") or groups
    names = _texts(group_texts, "gid", "group_name")
    intros = _texts(group_texts, "gid", "description")
    seen_groups: set[str] = set()
    by_code = {q.code: q for q in questions}
    sections: list[dict[str, Any]] = []
    positions: dict[tuple[str | int, ...], tuple[int, int]] = {}
    scales: dict[str, Any] = {}
    for group in groups:
        gid = group.get("gid")
        if gid in seen_groups:
            continue  # LimeSurvey 3 writes a row per language
        seen_groups.add(gid)
        where = f"question group {gid}"
        section: dict[str, Any] = {}
        title = localised(
            {k: found.text(v, where, group.line) for k, v in names.get(gid, {}).items()},
            languages,
        )
        intro = localised(
            {k: found.text(v, where, group.line) for k, v in intros.get(gid, {}).items()},
            languages,
        )
        if title:
            section["title"] = title
        if intro:
            section["intro"] = intro
        members = [q for q in questions if q.gid == gid]
        converted = convert_group(
            members, group.get("grelevance"), group.line, by_code, languages, scales, found
        )
        if not converted:
            continue
        index = len(sections)
        for j, (_, line) in enumerate(converted):
            positions[("sections", index, "questions", j)] = (line, 1)
        section["questions"] = [q for q, _ in converted]
        sections.append(section)
    found.raise_if_any()
    if scales:
        data["scales"] = scales
    data["sections"] = sections
    return SurveyDocument(
        data=data,
        source=path,
        positions=positions,
        format="LimeSurvey survey structure (.lss)",
        notes=found.finish_notes(),
    )


def _survey_texts(rows: list[Row], languages: list[str], found: Collected) -> dict[str, Any]:
    """Title, description (with the welcome text) and end text of the survey."""
    by_language = {row.get("surveyls_language"): row for row in rows}
    out: dict[str, Any] = {}

    def text(name: str) -> dict[str, str]:
        texts: dict[str, str] = {}
        for language in languages:
            row = by_language.get(language)
            if row is not None and row.raw(name).strip():
                texts[language] = found.text(
                    row.raw(name), f"the survey's {name.removeprefix('surveyls_')}", row.line
                )
        return texts

    title = localised(text("surveyls_title"), languages)
    out["title"] = title or "Imported survey"
    description = text("surveyls_description")
    welcome = text("surveyls_welcometext")
    joined = {
        lang: "\n\n".join(t for t in (description.get(lang), welcome.get(lang)) if t)
        for lang in languages
    }
    if localised(joined, languages):
        out["description"] = localised(joined, languages)
    end = localised(text("surveyls_endtext"), languages)
    if end:
        out["thank_you"] = end
    return out


def _questions(root: Element, languages: list[str], found: Collected) -> list[Question]:
    """Every question with its texts, subquestions, answer options and attributes."""
    rows = table(root, "questions") + table(root, "subquestions")
    l10n = table(root, "question_l10ns") or rows
    texts = _texts(l10n, "qid", "question")
    helps = _texts(l10n, "qid", "help")
    attributes: dict[str, dict[str, str]] = {}
    for row in table(root, "question_attributes"):
        if row.get("language") in ("", languages[0]):
            attributes.setdefault(row.get("qid"), {})[row.get("attribute")] = row.get("value")
    answers = _answers(root)
    questions: dict[str, Question] = {}
    children: list[Row] = []
    for row in rows:
        qid = row.get("qid")
        if row.get("parent_qid", "0") not in ("", "0"):
            children.append(row)
        elif qid not in questions:
            questions[qid] = Question(
                qid=qid,
                gid=row.get("gid"),
                code=row.get("title"),
                type=row.get("type"),
                line=row.line,
                order=_order(row, "question_order"),
                mandatory=row.get("mandatory", "N"),
                other=row.get("other", "N") == "Y",
                relevance=row.get("relevance", "1"),
                texts=texts.get(qid, {}),
                helps=helps.get(qid, {}),
                attributes=attributes.get(qid, {}),
                answers=answers.get(qid, []),
            )
    seen: set[str] = set()
    for row in sorted(children, key=lambda r: _order(r, "question_order")):
        parent = questions.get(row.get("parent_qid"))
        if parent is None or row.get("qid") in seen:
            continue
        seen.add(row.get("qid"))
        parent.subquestions.append(
            (
                row.get("title"),
                row.get("scale_id", "0") or "0",
                texts.get(row.get("qid"), {}),
                row.line,
            )
        )
    return sorted(questions.values(), key=lambda q: q.order)


def _answers(root: Element) -> dict[str, list[tuple[str, str, dict[str, str], int]]]:
    """``{qid: [(code, scale_id, {language: text}, line)]}`` in their sort order."""
    rows = table(root, "answers")
    l10n = table(root, "answer_l10ns")
    by_aid = _texts(l10n, "aid", "answer")
    out: dict[str, list[tuple[str, str, dict[str, str], int]]] = {}
    seen: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: _order(r, "sortorder")):
        key = (row.get("qid"), row.get("code"), row.get("scale_id", "0") or "0")
        if key in seen:  # LimeSurvey 3: one row per language
            if row.get("language"):
                seen[key].setdefault(row.get("language"), row.raw("answer"))
            continue
        texts = dict(by_aid.get(row.get("aid"), {})) if row.get("aid") else {}
        if row.get("language"):
            texts.setdefault(row.get("language"), row.raw("answer"))
        seen[key] = texts
        out.setdefault(key[0], []).append((key[1], key[2], texts, row.line))
    return out
