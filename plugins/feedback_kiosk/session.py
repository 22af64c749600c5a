"""One participant's pass through a survey, kept in memory only: steps, answers, and the response.

No user interface here: the screens drive a `KioskSession`, and the tests can too. Partial answers
never leave this object; only `response()` at the end makes something to store.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from feedback import events
from feedback.question_types import AnswerError
from feedback.responses import Response
from feedback.survey import QuestionBase, Survey
from feedback_kiosk.i18n import words

#: the key of the step that says how the answers are linked (`KioskSession.notice`)
NOTICE = "notice"


@dataclass(frozen=True)
class Step:
    """A screen of the survey: a section's intro, or one question."""

    key: str
    section: int
    question: QuestionBase | None = None

    @property
    def is_intro(self) -> bool:
        return self.question is None


class KioskSession:
    """The answers of one participant, and where they are in the survey."""

    def __init__(
        self,
        survey: Survey,
        event: str,
        language: str,
        channel: str = "kiosk",
        today: dt.date | None = None,
        *,
        response_id: uuid.UUID | None = None,
        make_response: Callable[[dict[str, Any]], Mapping[str, Any]] | None = None,
    ):
        """``response_id`` and ``make_response`` (the response, as a mapping, from the answers
        submitted) come from outside when the response is not the participant's own making: a
        paper form keyed in by staff has an id made from its No., and the date written on it."""
        self.survey = survey
        self.event = event
        self.language = language
        self.channel = channel
        self.today = today
        # made when the participant begins: a resend is stored once
        self.id = response_id or uuid.uuid4()
        self.make_response = make_response
        self.answers: dict[str, Any] = {}
        #: unfinished input a widget reported (then/now rows answered so far), given back to it
        self.partial: dict[str, dict[str, Any]] = {}
        self.invalid: dict[str, str] = {}  # input that is not yet an answer, and why
        self.words = words(language)
        # set by the review's Change: the steps the participant had when they left the review;
        # Next then returns to the review, through any step the change has newly brought in
        self.changing_from: set[str] | None = None
        steps = self.steps()
        self.current = steps[0].key if steps else "review"

    # -- the path through the survey -----------------------------------------------------------

    def visible_ids(self) -> set[str]:
        return {q.id for q in self.survey.visible(self.answers)}

    def steps(self) -> list[Step]:
        """The steps shown for the answers so far (``show_if`` applied)."""
        visible = self.visible_ids()
        out: list[Step] = []
        if self.notice():
            out.append(Step(NOTICE, 0))  # how the answers are linked, before the first question
        for s, section in enumerate(self.survey.section_list()):
            questions = [q for q in section.questions if q.id in visible]
            if not questions:
                continue
            if section.intro is not None or section.title is not None:
                out.append(Step(f"intro:{s}", s))
            out.extend(Step(f"q:{q.id}", s, q) for q in questions)
        return out

    def notice(self) -> str:
        """What the participant is told first of how their answers are linked to their answers
        in another wave (``""`` for a survey that links nothing)."""
        if self.survey.linking == "pseudonymous":
            return self.words["linking_notice"]
        if self.survey.self_code:
            return self.words["self_code_notice"]
        return ""

    def step(self) -> Step | None:
        """The current step; ``None`` on the review."""
        for step in self.steps():
            if step.key == self.current:
                return step
        return None

    def position(self) -> tuple[int, int]:
        """(number of the current question, questions in all), counting only questions asked."""
        questions = [s for s in self.steps() if s.question is not None and s.question.answerable]
        keys = [s.key for s in questions]
        if self.current in keys:
            return keys.index(self.current) + 1, len(keys)
        done = 0
        for step in self.steps():
            if step.key == self.current:
                break
            done += step.key in keys
        if self.current == "review":
            return len(keys), len(keys)
        return min(done + 1, len(keys)), len(keys)  # an intro: the question that comes next

    def problem(self) -> str | None:
        """Why the participant cannot go on from the current step, in their language."""
        step = self.step()
        if step is None or step.question is None:
            return None
        question = step.question
        value = self.answers.get(question.id)
        if question.id in self.invalid:
            return self.invalid[question.id]
        if value is None:
            return self.words["required"] if question.required else None
        if question.check(value) is None:
            return None
        return self._explain(question)

    def _explain(self, question: QuestionBase) -> str:
        """A participant's words for an answer the question refuses: why the type's parser
        refuses it (two of at least three choices ticked), in the kiosk's words."""
        value = self.answers[question.id]
        try:
            question.parse(value)
        except AnswerError as exc:
            return exc.worded(self.words)
        return str(question.check(value))

    def next(self) -> bool:
        """Go on; ``False`` (and stay) while the current step has a problem."""
        if self.problem():
            return False
        steps = self.steps()
        keys = [s.key for s in steps]
        if self.current not in keys:
            self.current = "review"
            return True
        index = keys.index(self.current)
        later = keys[index + 1 :]
        if self.changing_from is not None:
            later = [key for key in later if key not in self.changing_from]
        self.current = later[0] if later else "review"
        if self.current == "review":
            self.changing_from = None
        return True

    def back(self) -> bool:
        """Go back one step; ``False`` on the first."""
        keys = [s.key for s in self.steps()]
        if self.current == "review":
            if not keys:
                return False
            self.current = keys[-1]
            return True
        if self.current not in keys or keys.index(self.current) == 0:
            return False
        self.current = keys[keys.index(self.current) - 1]
        return True

    def go_to(self, question_id: str) -> None:
        """Jump to a question."""
        self.current = f"q:{question_id}"

    def change(self, question_id: str) -> None:
        """From the review to a question to change its answer: after it, Next leads back to the
        review (by way of any question the new answer brings in, such as one shown only to MPs)."""
        self.changing_from = {step.key for step in self.steps()}
        self.go_to(question_id)

    # -- answers -------------------------------------------------------------------------------

    def set_answer(self, question_id: str, value: Any) -> None:
        """Record an answer; ``None`` clears it. Hidden answers are kept but never submitted."""
        self.invalid.pop(question_id, None)
        self.partial.pop(question_id, None)
        if value is None or value == [] or value == "":
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = value

    def set_invalid(
        self, question_id: str, why: str, partial: Mapping[str, Any] | None = None
    ) -> None:
        """Input that is not an answer yet (a number field holding "abc"); ``partial``: the
        widget's unfinished input, kept to give back to it."""
        self.answers.pop(question_id, None)
        self.invalid[question_id] = why
        if partial:
            self.partial[question_id] = dict(partial)
        else:
            self.partial.pop(question_id, None)

    def set_row(self, question_id: str, row: str, point: str | None) -> None:
        """One row of a then/now question (``None`` clears it); the answer is complete once both
        rows are. With both rows cleared the question is untouched again: an optional one can
        be skipped."""
        rows = self.partial.setdefault(question_id, {})
        if point is None:
            rows.pop(row, None)
        else:
            rows[row] = point
        if set(rows) == {"then", "now"}:
            self.answers[question_id] = {"then": rows["then"], "now": rows["now"]}
        else:
            self.answers.pop(question_id, None)
        if rows and set(rows) != {"then", "now"}:
            self.invalid[question_id] = self.words["both_rows"]
        else:
            self.invalid.pop(question_id, None)
        if not rows:
            del self.partial[question_id]

    def submitted_answers(self) -> dict[str, Any]:
        """The answers to visible questions only: what the participant saw is what is stored."""
        visible = self.visible_ids()
        return {k: v for k, v in self.answers.items() if k in visible}

    def review_items(self) -> list[tuple[QuestionBase, str]]:
        """Each visible question asked, with its answer as the participant would read it."""
        shown = self.visible_ids()
        items = []
        for question in self.survey.all_questions():
            if question.id in shown and question.answerable:
                items.append((question, self.describe(question, self.answers.get(question.id))))
        return items

    def describe(self, question: QuestionBase, value: Any) -> str:
        if value is None:
            return self.words["not_answered"]
        labels = self.labels(question)
        if isinstance(value, bool):
            return self.words["yes"] if value else self.words["no"]
        if isinstance(value, dict) and set(value) == {"then", "now"}:
            return (
                f"{self.words['before']}: {labels.get(value['then'], value['then'])} · "
                f"{self.words['now']}: {labels.get(value['now'], value['now'])}"
            )
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        raw = question.raw(value)  # a number as typed: 12, not 12.0
        return labels.get(str(value), raw if isinstance(raw, str) else str(value))

    def labels(self, question: QuestionBase) -> dict[str, str]:
        """Option ids to their labels in the participant's language (of the options the type
        offers: choices, scale points; none for a type answered in other ways)."""
        return {option.id: option.text(self.language) for option in question.offered()}

    def text(self, value: Any, default: str = "") -> str:
        return self.survey.text(value, self.language, default)

    def response(self) -> Response:
        """The response to store."""
        if self.make_response is not None:
            return Response.model_validate(dict(self.make_response(self.submitted_answers())))
        return Response(
            id=self.id,
            survey=self.survey.id,
            survey_version=self.survey.version,
            event=self.event,
            channel=self.channel,
            language=self.language,
            submitted=self.today or events.today(),
            answers=self.submitted_answers(),
        )
