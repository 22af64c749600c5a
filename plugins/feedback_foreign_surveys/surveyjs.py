"""SurveyJS survey JSON: pages of elements, read as sections of questions.

=====================================  =====================================================
SurveyJS                               feedback
=====================================  =====================================================
radiogroup, dropdown                   single_choice (``showNoneItem``: a choice ``none``)
checkbox, tagbox                       multi_choice (min/maxSelectedChoices)
boolean                                yes_no
text (inputType text, email, tel,      text; ``inputType: number``: number (min, max, a
url, number, date)                     numeric validator's minValue/maxValue); ``inputType:
                                       date``: date (min, max when they are dates)
comment                                text, long
rating                                 rating (rateMin, rateMax, min/maxRateDescription)
matrix                                 a note with the title, then a likert per row on the
                                       scale of its columns
html                                   note
panel                                  its elements in place, after a note with its title
=====================================  =====================================================

A localizable string ``{"default": ..., "fr": ...}`` becomes a text per language (``default`` is
English, SurveyJS's default locale). ``visibleIf`` of the simple forms becomes ``show_if`` (a
page's and a panel's are added to each of their questions). Every property is either carried
over, known to be about looks only (``width``, ``colCount`` ...), or an error naming the element:
nothing that changes what is asked is dropped in silence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedback.question_types import AnswerError
from feedback.questions import date_from
from feedback_foreign_surveys.common import OPTION_ID, Collected, localised, make_id, make_slug
from feedback_foreign_surveys.expressions import (
    Compare,
    ExpressionError,
    parse_expression,
    to_show_if,
)

if TYPE_CHECKING:
    from feedback.loading import SurveyDocument

MAX_BYTES = 5 * 1024 * 1024
DEFAULT_LANGUAGE = "en"
#: How an element looks, not what it asks: read and left behind.
LOOKS = {
    "width", "minWidth", "maxWidth", "startWithNewLine", "titleLocation", "descriptionLocation",
    "colCount", "indent", "hideNumber", "placeholder", "autocomplete", "renderAs", "state",
    "showClearButton", "rateType", "displayMode", "size", "rows", "autoGrow", "allowResize",
    "separateSpecialChoices", "showTitle", "questionTitleLocation", "innerIndent", "allowClear",
    "searchEnabled", "rateDisplayMode", "displayRateDescriptionsAsExtremes", "alternateRows",
    "columnMinWidth", "showHeader", "requiredErrorText", "textUpdateMode", "scaleColorMode",
    "rateColorMode", "visibleIndex", "choicesOrder", "noneText", "isAllRowRequired",
}  # fmt: skip
#: Properties every question type carries over.
COMMON = {"type", "name", "title", "description", "isRequired", "visibleIf", "visible"}
CARRIED = {
    "radiogroup": {"choices", "showNoneItem", "hasNone"},
    "dropdown": {"choices", "showNoneItem", "hasNone"},
    "checkbox": {"choices", "showNoneItem", "hasNone", "maxSelectedChoices", "minSelectedChoices"},
    "tagbox": {"choices", "maxSelectedChoices", "minSelectedChoices"},
    "boolean": {"valueTrue", "valueFalse"},
    "text": {"inputType", "maxLength", "min", "max", "validators", "step"},
    "comment": {"maxLength"},
    "rating": {"rateMin", "rateMax", "rateStep", "rateCount", "minRateDescription", "maxRateDescription"},
    "matrix": {"columns", "rows"},
    "html": {"html"},
    "panel": {"elements"},
}  # fmt: skip
REFUSED_TYPES = {
    "expression": "a calculated value",
    "file": "a file upload",
    "image": "an image",
    "imagepicker": "a choice of images",
    "matrixdropdown": "a matrix of dropdowns",
    "matrixdynamic": "a matrix whose rows the participant adds",
    "multipletext": "several text boxes",
    "paneldynamic": "panels the participant adds",
    "ranking": "a ranking",
    "signaturepad": "a signature",
}


def is_surveyjs(data: Any) -> bool:
    """SurveyJS's JSON: ``pages`` or ``elements``, or ``questions`` named by ``name`` (ours are
    named by ``id``; our format has neither pages nor elements)."""
    if not isinstance(data, dict):
        return False
    if isinstance(data.get("pages"), list) or isinstance(data.get("elements"), list):
        return True
    questions = data.get("questions")
    return (
        isinstance(questions, list)
        and bool(questions)
        and all(isinstance(q, dict) and "name" in q and "id" not in q for q in questions)
    )


def read_surveyjs(path: Path) -> SurveyDocument | None:
    """A SurveyJS survey as a survey document of ours; ``None`` for other JSON."""
    from feedback.loading import SurveyDocument

    if path.stat().st_size > MAX_BYTES:
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None  # not JSON: another reader's (the built-in JSON reader explains a typo)
    if not is_surveyjs(data):
        return None
    return SurveyDocument(**_Reader(path, data).read(), format="SurveyJS JSON")


class _Reader:
    def __init__(self, path: Path, data: dict[str, Any]):
        self.path = path
        self.data = data
        self.found = Collected(path)
        self.languages = self._languages()
        #: each element name: (our id, type, {their value: our value}, the element)
        self.names: dict[str, tuple[str, str, dict[Any, Any], dict[str, Any]]] = {}
        self.scales: dict[str, Any] = {}

    # -- texts --------------------------------------------------------------------------------

    def _languages(self) -> list[str]:
        seen: list[str] = []

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                if value and all(isinstance(v, str) for v in value.values()) and "default" in value:
                    for key in value:
                        lang = DEFAULT_LANGUAGE if key == "default" else key
                        if lang not in seen:
                            seen.append(lang)
                for v in value.values():
                    walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(self.data)
        if DEFAULT_LANGUAGE in seen:
            seen.remove(DEFAULT_LANGUAGE)
        return [DEFAULT_LANGUAGE, *seen]

    def text(self, value: Any, where: str, loc: tuple[Any, ...]) -> Any:
        if value is None:
            return None
        texts = value if isinstance(value, dict) else {"default": value}
        plain: dict[str, str] = {}
        for key, raw in texts.items():
            lang = DEFAULT_LANGUAGE if key == "default" else key
            if isinstance(raw, str | int | float):
                plain.setdefault(lang, self.found.text(str(raw), where, loc=loc))
        return localised(plain, self.languages)

    # -- the survey ---------------------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        found = self.found
        for key, why in (("triggers", "triggers"), ("calculatedValues", "calculated values")):
            if self.data.get(key):
                found.problem(f"the survey's {why} ({key}) cannot be carried over", loc=(key,))
        pages: list[tuple[tuple[Any, ...], Any]]
        if "pages" in self.data:
            pages = [(("pages", i), p) for i, p in enumerate(self.data["pages"])]
        else:
            key = "elements" if "elements" in self.data else "questions"
            pages = [((), {"elements": self.data[key], "_key": key})]
        self._collect_names(pages)
        survey: dict[str, Any] = {"id": make_slug(self.path.stem)}
        survey["title"] = self.text(self.data.get("title"), "the survey's title", ("title",))
        survey["title"] = survey["title"] or self.path.stem
        description = self.text(self.data.get("description"), "the survey's description", ())
        if description:
            survey["description"] = description
        survey["languages"] = self.languages
        sections = []
        for loc, page in pages:
            if not isinstance(page, dict):
                found.problem("expected a page (an object)", loc=loc)
                continue
            shared = self.condition(page, "page", loc)
            questions: list[dict[str, Any]] = []
            key = page.get("_key", "elements")
            for i, element in enumerate(page.get(key) or []):
                questions += self.element(element, (*loc, key, i), shared)
            section: dict[str, Any] = {}
            title = self.text(page.get("title"), "page", loc)
            intro = self.text(page.get("description"), "page", loc)
            if title:
                section["title"] = title
            if intro:
                section["intro"] = intro
            if questions:
                sections.append({**section, "questions": questions})
            elif page.get(key):
                continue
        end = self.text(self.data.get("completedHtml"), "completedHtml", ("completedHtml",))
        found.raise_if_any()
        if self.scales:
            survey["scales"] = self.scales
        survey["sections"] = sections
        if end:
            survey["thank_you"] = end
        if any(k == "default" for k in _locales(self.data)):
            found.notes.append(f"SurveyJS's default texts are taken as {DEFAULT_LANGUAGE}")
        return {"data": survey, "source": self.path, "notes": found.finish_notes()}

    def _collect_names(self, pages: list[tuple[tuple[Any, ...], Any]]) -> None:
        """Every element's name, id and values first, for conditions on later questions."""

        def walk(elements: Any, loc: tuple[Any, ...]) -> None:
            for i, element in enumerate(elements if isinstance(elements, list) else []):
                if not isinstance(element, dict):
                    continue
                kind, name = element.get("type"), str(element.get("name", ""))
                if kind == "panel":
                    walk(element.get("elements"), (*loc, i, "elements"))
                    continue
                our = make_id(name)
                if name in self.names or our in {v[0] for v in self.names.values()}:
                    self.found.problem(
                        f"element '{name}': another element has the name (or the id '{our}')",
                        loc=(*loc, i),
                    )
                values: dict[Any, Any] = {
                    c: self.option_id(c) for c in _values(element.get("choices"))
                }
                if kind == "boolean":
                    values = {
                        element.get("valueTrue", True): True,
                        element.get("valueFalse", False): False,
                    }
                self.names[name] = (our, str(kind), values, element)

        for loc, page in pages:
            if isinstance(page, dict):
                walk(page.get(page.get("_key", "elements")), (*loc, page.get("_key", "elements")))

    def option_id(self, value: Any) -> str:
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if OPTION_ID.match(text) and len(text) <= 64:
            return text
        return make_id(text, "choice")

    # -- elements -----------------------------------------------------------------------------

    def element(
        self, element: Any, loc: tuple[Any, ...], shared: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        found = self.found
        if not isinstance(element, dict):
            found.problem("expected an element (an object)", loc=loc)
            return []
        kind = str(element.get("type", ""))
        name = str(element.get("name", ""))
        where = f"element '{name}' (type '{kind}')"
        if kind in REFUSED_TYPES:
            found.problem(f"{where}: {REFUSED_TYPES[kind]}, which feedback cannot ask", loc=loc)
            return []
        if kind not in CARRIED:
            found.problem(f"{where}: a type feedback does not know", loc=loc)
            return []
        for key in element:
            if key not in COMMON and key not in CARRIED[kind] and key not in LOOKS:
                found.problem(f"{where}: the property '{key}' cannot be carried over", loc=loc)
        if element.get("visible") is False:
            found.problem(f"{where}: a hidden element (visible: false)", loc=loc)
        own = self.condition(element, where, loc)
        condition = {"all": [shared, own]} if shared and own else (own or shared)
        if "choicesOrder" in element and element["choicesOrder"] != "none":
            found.notes.append(f"{name}'s choices were in {element['choicesOrder']} order")
        our = make_id(name)
        label = self.text(element.get("title"), where, loc) or name
        base: dict[str, Any] = {"id": our, "label": label}
        help_text = self.text(element.get("description"), where, loc)
        if help_text:
            base["help"] = help_text
        if kind == "panel":
            out = [{**base, "type": "note"}] if element.get("title") else []
            for i, child in enumerate(element.get("elements") or []):
                out += self.element(child, (*loc, "elements", i), condition)
            return _shown(out[:1], condition) + out[1:] if element.get("title") else out
        if element.get("isRequired") is True:
            base["required"] = True
        question = getattr(self, f"_{kind}")(element, base, where, loc)
        return _shown(question, condition)

    def _choices(self, element: dict[str, Any], where: str, loc: tuple[Any, ...]) -> list[Any]:
        out = []
        for choice in element.get("choices") or []:
            value = choice.get("value") if isinstance(choice, dict) else choice
            text = choice.get("text") if isinstance(choice, dict) else None
            option: dict[str, Any] = {"id": self.option_id(value)}
            label = self.text(text if text is not None else str(value), where, loc)
            if label:
                option["label"] = label
            out.append(option)
        if element.get("showNoneItem") or element.get("hasNone"):
            none = self.text(element.get("noneText") or "None", where, loc)
            out.append({"id": "none", "label": none})
        if not out:
            self.found.problem(f"{where}: has no choices", loc=loc)
        return out

    def _radiogroup(
        self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any
    ) -> list[Any]:
        return [{**base, "type": "single_choice", "choices": self._choices(e, where, loc)}]

    _dropdown = _radiogroup

    def _checkbox(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        out = {**base, "type": "multi_choice", "choices": self._choices(e, where, loc)}
        if e.get("minSelectedChoices"):
            out["min_selections"] = e["minSelectedChoices"]
        if e.get("maxSelectedChoices"):
            out["max_selections"] = e["maxSelectedChoices"]
        return [out]

    _tagbox = _checkbox

    def _boolean(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        return [{**base, "type": "yes_no"}]

    def _comment(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        out = {**base, "type": "text", "long": True}
        if e.get("maxLength"):
            out["max_length"] = e["maxLength"]
        return [out]

    def _date(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> Any:
        """A text of ``inputType: date``: a date question, its ``min``/``max`` kept when they are
        dates (``"2026-01-14"``); an expression there (``"today()"``) or a validator is
        refused."""
        out = {**base, "type": "date"}
        for key in ("min", "max"):
            if key not in e:
                continue
            try:
                out[key] = date_from(e[key])
            except AnswerError:
                self.found.problem(
                    f"{where}: the {key} {e[key]!r} of a date; feedback takes a date "
                    "(YYYY-MM-DD) only",
                    loc=(*loc, key),
                )
        for key in ("validators", "step", "maxLength"):
            if key in e:
                self.found.problem(f"{where}: the property '{key}' of a date", loc=loc)
        return out

    def _text(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        kind = e.get("inputType", "text")
        if kind in ("text", "email", "tel", "url"):
            for key in ("min", "max", "validators", "step"):
                if key in e:
                    self.found.problem(f"{where}: the property '{key}' of a text", loc=loc)
            out = {**base, "type": "text"}
            if e.get("maxLength"):
                out["max_length"] = e["maxLength"]
            return [out]
        if kind == "date":
            return [self._date(e, base, where, loc)]
        if kind != "number":
            what = f"an input of type '{kind}'"
            self.found.problem(f"{where}: {what}, which feedback has no question for", loc=loc)
            return []
        out = {**base, "type": "number"}
        bounds = {"min": e.get("min"), "max": e.get("max")}
        for i, validator in enumerate(e.get("validators") or []):
            if isinstance(validator, dict) and validator.get("type") == "numeric":
                bounds["min"] = validator.get("minValue", bounds["min"])
                bounds["max"] = validator.get("maxValue", bounds["max"])
            else:
                self.found.problem(
                    f"{where}: a validator feedback cannot keep", loc=(*loc, "validators", i)
                )
        for key, value in bounds.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                out[key] = value
            elif value is not None:
                self.found.problem(f"{where}: {key} is {value!r}, not a number", loc=loc)
        if e.get("step") == 1:
            out["integer"] = True
        return [out]

    def _rating(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        if e.get("rateStep", 1) != 1:
            self.found.problem(
                f"{where}: steps of {e['rateStep']}; feedback rates in steps of 1", loc=loc
            )
        low = e.get("rateMin", 1)
        high = e.get("rateMax", low + e.get("rateCount", 5) - 1)
        out = {**base, "type": "rating", "min": low, "max": high}
        for ours, theirs in (
            ("min_label", "minRateDescription"),
            ("max_label", "maxRateDescription"),
        ):
            text = self.text(e.get(theirs), where, loc)
            if text:
                out[ours] = text
        return [out]

    def _html(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        label = self.text(e.get("html"), where, loc) or base["label"]
        return [
            {**{k: v for k, v in base.items() if k != "required"}, "label": label, "type": "note"}
        ]

    def _matrix(self, e: dict[str, Any], base: dict[str, Any], where: str, loc: Any) -> list[Any]:
        scale = f"{base['id']}_scale"
        points = self._choices({"choices": e.get("columns")}, where, loc)
        self.scales[scale] = {"points": points}
        rows = []
        required = {"required": True} if e.get("isAllRowRequired") or base.get("required") else {}
        for value in e.get("rows") or []:
            row_value = value.get("value") if isinstance(value, dict) else value
            text = value.get("text") if isinstance(value, dict) else None
            label = self.text(text if text is not None else str(row_value), where, loc)
            row_id = make_id(f"{base['id']}_{row_value}")
            rows.append(
                {"id": row_id, "type": "likert", "label": label, "scale": scale, **required}
            )
        if not rows:
            self.found.problem(f"{where}: has no rows", loc=loc)
        self.found.notes.append(
            f"the matrix {e.get('name')} became a note and {len(rows)} likert questions"
        )
        note = {k: v for k, v in base.items() if k != "required"}
        return [{**note, "type": "note"}, *rows]

    # -- conditions ---------------------------------------------------------------------------

    def condition(self, element: dict[str, Any], where: str, loc: Any) -> dict[str, Any] | None:
        text = element.get("visibleIf")
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        try:
            return to_show_if(parse_expression(str(text), braces=True), self._compare)
        except ExpressionError as exc:
            self.found.problem(
                f"{where}: visibleIf {text!r} is not a condition feedback can say ({exc}); it can "
                "say a comparison of an earlier answer with a value ({q} = 'a', {age} > 18, "
                "{q} notempty, {q} anyof [...]), joined by and, or, !",
                loc=loc,
            )
            return None

    def _compare(self, c: Compare) -> dict[str, Any]:
        name, _, row = c.variable.partition(".")
        if name not in self.names:
            raise ExpressionError(f"no element is named '{name}'")
        our, kind, values, element = self.names[name]
        if row:
            if kind != "matrix":
                raise ExpressionError(f"'{c.variable}' names a part of '{name}', which has none")
            our = make_id(f"{our}_{row}")
            values = {v: self.option_id(v) for v in _values(element.get("columns"))}
        if c.op == "answered":
            return {our: {"answered": c.value}}
        if kind in ("radiogroup", "dropdown", "checkbox", "tagbox", "boolean") or row:
            wanted = list(c.value) if c.op == "in" else [c.value]
            mapped = []
            for value in wanted:
                key = next((k for k in values if k == value or str(k) == str(value)), _MISSING)
                if key is _MISSING:
                    raise ExpressionError(f"'{name}' has no choice {value!r}")
                mapped.append(values[key])
            if c.op in ("eq", "ne"):
                return {our: mapped[0]} if c.op == "eq" else {"not": {our: mapped[0]}}
            if c.op == "in":
                return {our: mapped}
            raise ExpressionError(f"the choices of '{name}' are compared by size")
        if (
            kind in ("text", "rating")
            and isinstance(c.value, int | float)
            and not isinstance(c.value, bool)
        ):
            if kind == "text" and element.get("inputType") != "number":
                raise ExpressionError(f"'{name}' is a text, compared with a number")
            return {our: c.value} if c.op == "eq" else {our: {c.op: c.value}}
        if kind == "text" and element.get("inputType") == "date" and c.op != "in":
            try:
                day = date_from(c.value)
            except AnswerError:
                raise ExpressionError(f"'{name}' is a date, compared with {c.value!r}") from None
            return {our: day} if c.op == "eq" else {our: {c.op: day}}
        if kind in ("text", "comment") and isinstance(c.value, str) and c.op in ("eq", "ne"):
            return {our: c.value} if c.op == "eq" else {"not": {our: c.value}}
        raise ExpressionError(f"'{name}' ({kind}) cannot be compared with {c.value!r} so")


_MISSING = object()


def _values(choices: Any) -> list[Any]:
    out = []
    for choice in choices if isinstance(choices, list) else []:
        out.append(choice.get("value") if isinstance(choice, dict) else choice)
    return out


def _shown(
    questions: list[dict[str, Any]], condition: dict[str, Any] | None
) -> list[dict[str, Any]]:
    if condition:
        for question in questions:
            question["show_if"] = condition
    return questions


def _locales(value: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(value, dict):
        if value and "default" in value and all(isinstance(v, str) for v in value.values()):
            out |= set(value)
        for v in value.values():
            out |= _locales(v)
    elif isinstance(value, list):
        for v in value:
            out |= _locales(v)
    return out
