"""Intentions against actions (issue 15): of those who said on the day that they would act, how
many had acted by the follow-up; of those who said they would not, how many acted anyway.

An item tagged ``stage: intention`` (``measures: ngo_cooperation``) on the day is paired with an
item of the same construct tagged ``stage: action`` in a survey that ``follows`` it. A person's
two responses are matched by their keyed link only (a pseudonymous survey's person hash, or a
self-generated code's), never by who they are. Only matched pairs count; the follow-up response
rate says how many of the linked first answers found their follow-up.

A yes/no item counts ``yes``; a scale item counts its two highest points ("agree", "strongly
agree"); "don't know" and no answer leave the person out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from feedback.disclosure import hidden_result
from feedback.i18n import plural
from feedback.questions import QuestionBase, ScaleQuestion, YesNo
from feedback.scoring import ScoreResult, ScoringContext, Share, Wording
from feedback.survey import Survey
from feedback_scoring import stats

NAME = "intentions"
#: how a link was made, in words
METHODS = {"person": "personal link", "self_code": "self-generated code"}


def said_yes(question: QuestionBase, value: Any) -> bool | None:
    """Whether an answer says yes (intends, acted), ``None`` when it says neither."""
    if value is None:
        return None
    if isinstance(question, YesNo):
        return bool(value)
    if isinstance(question, ScaleQuestion) and isinstance(value, str):
        points = question.point_ids()
        if value not in points:
            return None  # "don't know"
        return value in points[-2:]
    return None


@dataclass(frozen=True)
class Pairing:
    """One construct's intention item in a first survey, and its action item in a follow-up."""

    construct: str
    first: Survey
    intention: QuestionBase
    follow_up: Survey
    action: QuestionBase


def pairings(context: ScoringContext) -> Iterator[Pairing]:
    """Every (intention, action) pair of items the context's survey versions hold."""
    surveys = list(context.surveys.values())
    seen: set[tuple[str, str, str]] = set()
    for follow_up in surveys:
        if follow_up.follows is None:
            continue
        for first in surveys:
            if first.id != follow_up.follows.survey:
                continue
            for action in follow_up.questions_in_order:
                if action.stage != "action" or action.measures is None:
                    continue
                for intention in first.measures(action.measures):
                    key = (action.measures, first.id, follow_up.id)
                    if intention.stage == "intention" and key not in seen:
                        seen.add(key)
                        yield Pairing(action.measures, first, intention, follow_up, action)


def _latest(
    context: ScoringContext, survey: str, question: QuestionBase, methods: dict[str, str]
) -> dict[str, Any]:
    """link -> the answer of the latest response of ``survey`` that carries that link (and the
    way each link was made, into ``methods``)."""
    found: dict[str, Any] = {}
    for response in context.responses:  # oldest first: a later response replaces an earlier
        if response["survey"] != survey:
            continue
        link = context.links.get(response["id"])
        if link is not None:
            found[link] = response["answers"].get(question.id)
            methods[link] = context.link_methods.get(response["id"], "")
    return found


def score(context: ScoringContext) -> list[ScoreResult]:
    results: list[ScoreResult] = []
    for pairing in pairings(context):
        results += _score_pairing(context, pairing)
    return results


def _score_pairing(context: ScoringContext, pairing: Pairing) -> list[ScoreResult]:
    methods: dict[str, str] = {}
    first = _latest(context, pairing.first.id, pairing.intention, methods)
    later = _latest(context, pairing.follow_up.id, pairing.action, methods)
    unlinked = sum(
        1
        for r in context.responses
        if r["survey"] == pairing.follow_up.id and r["id"] not in context.links
    )
    matched = [link for link in first if link in later]
    intended = [said_yes(pairing.intention, first[link]) for link in matched]
    acted = [said_yes(pairing.action, later[link]) for link in matched]
    groups = {True: (0, 0), False: (0, 0)}  # intended? -> (acted, answered both)
    for wish, deed in zip(intended, acted, strict=True):
        if wish is None or deed is None:
            continue
        k, n = groups[wish]
        groups[wish] = (k + int(deed), n + 1)
    construct = pairing.construct
    common: dict[str, Any] = {
        "scorer": NAME,
        "construct": construct,
        "event": context.event,
        "item": pairing.action.id,
    }
    out = []
    for wish, label, words in (
        (True, f"Acted, of those who intended ({construct})", "who said they would"),
        (
            False,
            f"Acted anyway, of those who did not intend ({construct})",
            "who said they would not",
        ),
    ):
        k, n = groups[wish]
        if n == 0 or hidden_result(k, n, context.min_cell_size, context.uniform_cell_size):
            out.append(ScoreResult(**common, label=label, n=None, suppressed=True, kind="share"))
            continue
        share = stats.proportion(k, n, label="share who acted")
        out.append(
            ScoreResult(
                **common,
                label=label,
                n=n,
                k=k,
                estimate=share.estimate,
                ci_low=share.ci_low,
                ci_high=share.ci_high,
                unit="share",
                method=f"{share.method}; pairs matched by keyed link between "
                f"'{pairing.first.id}' ({pairing.intention.id}) and '{pairing.follow_up.id}' "
                f"({pairing.action.id}), people who answered both items only",
                summary=f"Of the {plural(n, 'person', 'people')} {words} ({pairing.intention.id}), "
                f"{k} had acted by the follow-up ({figures_share(k, n)}).",
                figure=Share(k=k, n=n, ci_low=share.ci_low, ci_high=share.ci_high),
                wording={"en": Wording(labels={"hit": "acted"})},
            )
        )
    rate = _response_rate(common, construct, len(matched), len(first), context)
    if not rate.suppressed:
        by = {m: sum(1 for link in matched if methods.get(link) == m) for m in METHODS}
        rate.details["matched_by"] = {m: n for m, n in by.items() if n}
        rate.details["follow_ups_not_matched"] = (
            sum(1 for link in later if link not in first) + unlinked
        )
        ways = "; ".join(f"{n} by {METHODS[m]}" for m, n in by.items() if n)
        rate.notes.append(
            f"Matched {ways or 'none'}; {rate.details['follow_ups_not_matched']} follow-up "
            "answers matched no first answers."
        )
        _attrition(rate, pairing, first, set(matched), context)
    out.append(rate)
    return out


#: how far apart (in points of a share) the intentions of those followed up and of those not
#: may be before the report warns that the follow-up speaks for a different group
ATTRITION_WARNING = 0.10


def _attrition(
    rate: ScoreResult,
    pairing: Pairing,
    first: dict[str, Any],
    matched: set[str],
    context: ScoringContext,
) -> None:
    """Compare the first answers of those who answered the follow-up with those who did not:
    people who acted are likelier to reply, so a follow-up may speak for the keen."""
    groups = {}
    for followed, links in (
        (True, [link for link in first if link in matched]),
        (False, [link for link in first if link not in matched]),
    ):
        answers = [said_yes(pairing.intention, first[link]) for link in links]
        known = [a for a in answers if a is not None]
        groups[followed] = (sum(known), len(known))
    (k_in, n_in), (k_out, n_out) = groups[True], groups[False]
    rate.details["attrition"] = {
        "followed_up": {"intended": k_in, "answered": n_in},
        "not_followed_up": {"intended": k_out, "answered": n_out},
    }
    minimum, uniform = context.min_cell_size, context.uniform_cell_size
    if any(hidden_result(k, n, minimum, uniform) for k, n in groups.values() if n):
        rate.notes.append(
            "Those followed up and those not cannot be compared: a group is too small to show."
        )
        return
    if not n_in or not n_out:
        return
    shown_in, shown_out = figures_share(k_in, n_in), figures_share(k_out, n_out)
    rate.notes.append(
        f"On the day, {shown_in} of those followed up ({k_in} of {n_in}) said they would act "
        f"({pairing.intention.id}), against {shown_out} of those not followed up ({k_out} of "
        f"{n_out})."
    )
    if abs(k_in / n_in - k_out / n_out) >= ATTRITION_WARNING:
        rate.notes.append(
            "Warning: the two differ, so the follow-up speaks for a different group than the "
            "first answers: people who acted are likelier to reply."
        )


def figures_share(k: int, n: int) -> str:
    from feedback import figures

    return figures.share(k, n)


def _response_rate(
    common: dict[str, Any], construct: str, matched: int, linked: int, context: ScoringContext
) -> ScoreResult:
    label = f"Follow-up response rate ({construct})"
    if linked == 0 or hidden_result(matched, linked, context.min_cell_size, 0):
        return ScoreResult(**common, label=label, n=None, suppressed=True, kind="share")
    share = stats.proportion(matched, linked, label="share followed up")
    return ScoreResult(
        **common,
        label=label,
        n=linked,
        k=matched,
        estimate=share.estimate,
        ci_low=share.ci_low,
        ci_high=share.ci_high,
        unit="rate",
        method="first answers with a keyed link, and how many of them found their follow-up "
        "answer by the same link",
        summary=f"{matched} of the {plural(linked, 'linked first response')} were followed "
        f"up ({figures_share(matched, linked)}).",
        figure=Share(k=matched, n=linked, ci_low=share.ci_low, ci_high=share.ci_high),
        wording={"en": Wording(labels={"hit": "followed up"})},
    )
