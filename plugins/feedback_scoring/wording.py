"""The words of the outcome sentences: written to funders, in the evaluator's voice, claiming no more
than the data. Every number goes through `feedback.figures` (one rounding rule).

Questions speak to participants ("Your understanding of ..."); outcomes speak about them. A measured
item's ``report_label`` names what it measures ("Understanding of the National Rapporteur's role");
without one, `report_label` makes a neutral form of the question, never the second person.
"""

from __future__ import annotations

import re

from feedback.scoring import ScoringContext
from feedback.survey import QuestionBase

DONT_KNOW = "“don't know”"

_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


def neutral(text: str) -> str:
    """A question made neutral for a report: "Your understanding of X" -> "Understanding of X";
    a question or statement still in the second person is quoted as it was asked."""
    text = " ".join(text.split())
    match = re.match(r"(?i)your\s+(\S.*)$", text)
    if match and not _SECOND_PERSON.search(match.group(1)):
        rest = match.group(1)
        return rest[:1].upper() + rest[1:]
    if _SECOND_PERSON.search(text) or text.endswith("?") or re.match(r"(?i)i\b", text):
        return f"“{text}”"
    return text


def report_label(context: ScoringContext, question: QuestionBase) -> str:
    """How a report names an item: its ``report_label`` (English), else a neutral question."""
    for survey in context.surveys.values():
        if question.id in survey.by_id:
            asked = survey.by_id[question.id]
            if asked.report_label is not None:
                return survey.text(asked.report_label, "en")
            return neutral(survey.text(asked.label, "en"))
    return question.id


def besides(n_na: int, n_missing: int, asked: int) -> str:
    """What is reported beside a denominator: "2 of the 30 asked said “don't know”, 1 did not
    answer". Empty when everyone asked answered."""
    parts = []
    if n_na:
        parts.append(f"{n_na} said {DONT_KNOW}")
    if n_missing:
        parts.append(f"{n_missing} did not answer")
    if not parts:
        return ""
    return f"of the {asked} asked, " + " and ".join(parts)


def withheld(context: ScoringContext, label: str, n_na: int = 0) -> str:
    """The sentence of a result hidden by disclosure control (no count of those who answered)."""
    extra = f"; {n_na} said {DONT_KNOW}" if n_na else ""
    return (
        f"{label}: not shown, because fewer than {context.min_cell_size} people gave a view or "
        f"their answers were all alike, and each answer could be told{extra}."
    )


def only_dont_know(label: str, n_na: int, n_missing: int) -> str:
    """Everyone who answered said "don't know": said with the count, not as "no answers"."""
    who = "the one person who answered" if n_na == 1 else f"all {n_na} who answered"
    tail = f"; {n_missing} did not answer" if n_missing else ""
    return f"{label}: {who} said {DONT_KNOW}{tail}."
