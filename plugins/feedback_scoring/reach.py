"""Reach and response: who attended (from the roster, not the responses) against the programme's
targets, and how many of them responded."""

from __future__ import annotations

from collections import Counter
from typing import Any

from feedback import figures
from feedback.i18n import plural
from feedback.scoring import (
    CountsAgainstTargets,
    ScoreResult,
    ScoringContext,
    Share,
    TargetCount,
    Wording,
)
from feedback_scoring.answers import MP, group_name

REACH_WORDS = Wording(
    caption="Each bar is the share of the target reached.",
    basis=("Reach", "is counted from the roster of who attended, not from the responses."),
    legend="n = participants, k = MPs, estimate = share of the MP target",
    labels={
        "total": "attended",
        "table": "from the roster",
        "group": "Role",
        "group_count": "people",
        "group_table": "who attended, by role (from the roster)",
        "chart": "Bar chart of reach against the programme's targets",
        "so_far": "{mps} MPs from {countries} countries",
        "cumulative_caption": "MPs and countries reached so far, after each event; the dashed "
        "line is the target.",
        "cumulative_table": "Reach event by event, and cumulative over the programme",
    },
)
RATE_WORDS = Wording(legend="n = attended, k = responses, estimate = k / n")


#: the sources of attendance that confirm it (a signed sheet entered, a check-in at the venue)
CONFIRMED = ("sheet", "checkin")
#: each source in words, for the evidence note
SOURCES = {"sheet": "signed sheets", "checkin": "check-in at the venue", "roster": "the roster"}


def counted(context: ScoringContext, row: dict[str, Any]) -> bool:
    """Whether reach counts this attendance: every one, or only the confirmed ones."""
    return context.reach_attendance != "confirmed" or row.get("source") in CONFIRMED


def evidence(rows: list[dict[str, Any]], context: ScoringContext) -> str:
    """What backs a count of attendance: how many come from each source."""
    by = Counter(str(r.get("source") or "roster") for r in rows)
    parts = [f"{by[s]} from {SOURCES[s]}" for s in ("sheet", "checkin", "roster") if by[s]]
    rule = (
        "only confirmed attendance is counted (signed sheets and check-ins)"
        if context.reach_attendance == "confirmed"
        else "every attendance recorded is counted"
    )
    return f"Attendance evidence: {', '.join(parts) or 'none'}; {rule}."


def _scopes(context: ScoringContext) -> list[tuple[str, list[dict[str, Any]]]]:
    """The attendance rows of this event and of the programme up to it (or the programme's)."""
    attended = [a for a in context.attendance if a["attended"] and counted(context, a)]
    if context.event is None or context.programme:
        return [("programme", attended)]
    dates = {e["id"]: e.get("date") or "" for e in context.events}
    cutoff = dates.get(context.event, "")
    event = [a for a in attended if a["event"] == context.event]
    so_far = [
        a
        for a in attended
        if (dates.get(a["event"]) or "") <= cutoff or a["event"] == context.event
    ]
    if {a["event"] for a in so_far} <= {context.event}:
        return [("event", event)]  # the programme so far is this event: one sentence, not two
    return [("event", event), ("programme", so_far)]


def reach(context: ScoringContext) -> list[ScoreResult]:
    """Distinct people who attended, MPs among them and their countries, against the targets."""
    results = []
    for scope, rows in _scopes(context):
        people = {a["person"]: a for a in rows}
        by_role = Counter(a["role"] for a in people.values())
        mps = {p: a for p, a in people.items() if a["role"] == MP}
        countries = {a["country"] for a in mps.values() if a["country"]}
        where = "at this event" if scope == "event" else "over the programme so far"
        mp_target = context.targets.get("mp")
        country_target = context.targets.get("countries")
        sentence = f"{len(mps)} parliamentarians from {len(countries)} countries {where}"
        parts = []
        if mp_target:
            parts.append(f"{figures.achievement(len(mps), mp_target)} of the target of {mp_target}")
        if country_target:
            parts.append(
                f"{len(countries)} of {country_target} countries "
                f"({figures.achievement(len(countries), country_target)})"
            )
        summary = sentence + (": " + " and ".join(parts) if parts else "") + "."
        roles = {
            group_name(context, "role", r): n
            for r, n in sorted(by_role.items(), key=lambda i: (i[0] is None, i[0] or ""))
        }
        names = context.choice_names("country")
        came_from = sorted(names.get(c, c) for c in countries)
        figure = CountsAgainstTargets(
            scope="event" if scope == "event" else "programme",
            total=len(people),
            counts=[
                TargetCount(
                    id="mps",
                    label="MPs",
                    noun="MPs",
                    value=len(mps),
                    target=mp_target or None,
                    columns={
                        "target": "MP target",
                        "at_event": "MPs at the event",
                        "of_target_so_far": "of the MP target",
                    },
                ),
                TargetCount(
                    id="countries",
                    label="Countries",
                    noun="countries",
                    value=len(countries),
                    target=country_target or None,
                    columns={
                        "count": "MPs' countries",
                        "target": "country target",
                        "of_target": "countries: of the target",
                        "so_far": "countries so far",
                        "of_target_so_far": "of the country target",
                    },
                ),
            ],
            by_group=roles,
            notes=[f"The MPs came from {', '.join(came_from)}."] if came_from else [],
        )
        results.append(
            ScoreResult(
                scorer="reach",
                construct="reach",
                label=f"Reach {where}",
                event=context.event if scope == "event" else None,
                n=len(people),
                k=len(mps),
                estimate=len(mps) / mp_target if mp_target else None,
                unit="count",
                method="distinct people who attended (from the roster, not the responses); "
                "achievement as exact fractions rounded half-up",
                summary=summary,
                details={
                    "scope": scope,
                    "participants": len(people),
                    "by_role": roles,
                    "mps": len(mps),
                    "mp_countries": sorted(countries),
                    "mp_target": mp_target,
                    "country_target": country_target,
                    "mp_achievement": (
                        figures.achievement(len(mps), mp_target) if mp_target else None
                    ),
                    "country_achievement": (
                        figures.achievement(len(countries), country_target)
                        if country_target
                        else None
                    ),
                },
                notes=[evidence(list(people.values()), context)]
                if context.attendance
                else ["no roster imported: reach cannot be counted"],
                figure=figure,
                wording={"en": REACH_WORDS},
                source="roster",
            )
        )
    return results


def response_rate(context: ScoringContext) -> list[ScoreResult]:
    """How many of those who attended responded: the denominator of every other outcome."""
    scope = "programme" if context.programme or context.event is None else "event"
    # each attendance is one chance to respond: over a programme, a person who came to two
    # events counts twice (and is named once among the people)
    attended = {
        (a["person"], a["event"])
        for a in context.attendance
        if a["attended"] and (scope == "programme" or a["event"] == context.event)
    }
    people = len({person for person, _ in attended})
    who = plural(len(attended), "participant")
    if people < len(attended):
        who = f"{plural(len(attended), 'attendance')} ({plural(people, 'person', 'people')})"

    # follow-up answers (a survey that ``follows`` another) are the same people asked again:
    # counted apart, with their own response rate (the intentions scorer's)
    def follows(response: dict[str, Any]) -> bool:
        key = (str(response.get("survey")), str(response.get("survey_version")))
        survey = context.surveys.get(key)
        return survey is not None and survey.follows is not None

    first = [r for r in context.responses if not follows(r)]
    later = len(context.responses) - len(first)
    responses = len(first)
    channels = Counter(r.get("channel") for r in first)
    how = ", ".join(
        f"{n} {context.counted_by(str(c))}" for c, n in sorted(channels.items(), key=_first)
    )
    partial = sum(1 for r in first if r.get("partial"))
    if partial:
        how += f", {partial} of them partial (left before Submit at the kiosk)"
    where = "" if scope == "event" else " over the programme so far"
    rate = None
    if not attended:
        summary = (
            f"{plural(responses, 'response')}{where} ({how}); no roster of who attended was imported, so "
            "the response rate is not known."
        )
    elif responses > len(attended):
        summary = (
            f"{plural(responses, 'response')}{where} from "
            f"{who} on the roster: more "
            "responses than participants (answers through the open link or from people not on the "
            f"roster), so no response rate is given ({how})."
        )
    else:
        rate = figures.share(responses, len(attended))
        summary = f"{responses} of the {who}{where} responded ({rate}): {how}."
    open_link = channels.get("open-link", 0)
    if open_link:
        summary += (
            f" {open_link} of the {responses} came by the event's open link, which anyone with "
            "the link could use: they cannot be checked against the roster."
        )
    if later:
        summary += (
            f" {plural(later, 'follow-up answer')} (to a survey that follows another) "
            f"{'is' if later == 1 else 'are'} counted apart."
        )
    return [
        ScoreResult(
            scorer="response_rate",
            construct="response_rate",
            label="Who responded",
            event=context.event if scope == "event" else None,
            n=len(attended),
            k=responses,
            estimate=responses / len(attended) if rate is not None else None,
            unit="rate",
            method="responses stored for the event, against the people who attended (from the "
            "roster; over a programme, each attendance of each event); follow-up surveys' "
            "answers apart; no interval: everyone was asked, nobody was sampled",
            summary=summary,
            details={
                "responses": responses,
                "attended": len(attended),
                "people": people,
                "response_rate": rate,
                "channels": {str(c): n for c, n in sorted(channels.items(), key=_first)},
                "open_link": open_link,
                "partial": partial,
                "follow_ups": later,
            },
            figure=Share(k=responses, n=len(attended), chart=False),
            wording={"en": RATE_WORDS},
            source="roster",
        )
    ]


def _first(item: tuple[Any, int]) -> tuple[int, str]:
    return (-item[1], str(item[0]))
