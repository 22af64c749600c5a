"""The response rate tells answers by the open link apart (issue 12, item 9): anyone with the link
can use it, so a funder must see how many of the responses came that way."""

from __future__ import annotations

from helpers import make_response

from feedback.plugins import make_plugin_manager
from feedback.registry import collect
from feedback.scoring import ScoringContext
from feedback_scoring.reach import response_rate

#: how each built-in channel's count reads, as the installed plugins register them
PHRASES = {
    name: channel.counted()
    for name, channel in collect(
        make_plugin_manager(), "register_channels", "channel", lambda c: True, "a Channel"
    ).items.items()
}


def context(channels: list[str], attended: int) -> ScoringContext:
    return ScoringContext(
        event="hague-2011",
        events=[{"id": "hague-2011", "title": "Good practice exchange", "date": "2011-01-26"}],
        responses=[make_response("post-seminar", {}, channel=c) for c in channels],
        surveys={},
        attendance=[
            {"event": "hague-2011", "person": i, "attended": 1} for i in range(1, attended + 1)
        ],
        channel_phrases=PHRASES,
    )


def test_open_link_answers_are_counted_apart() -> None:
    channels = ["kiosk"] * 5 + ["web"] * 2 + ["open-link"] * 3
    [result] = response_rate(context(channels, attended=20))
    assert result.summary == (
        "10 of the 20 participants responded (50%): 5 at the kiosk, 3 by the event's open link, "
        "2 online. 3 of the 10 came by the event's open link, which anyone with the link could "
        "use: they cannot be checked against the roster."
    )
    assert result.details["open_link"] == 3
    assert result.details["channels"] == {"kiosk": 5, "open-link": 3, "web": 2}


def test_without_open_link_answers_nothing_is_added() -> None:
    [result] = response_rate(context(["kiosk"] * 4, attended=5))
    assert result.summary == "4 of the 5 participants responded (80%): 4 at the kiosk."
    assert result.details["open_link"] == 0


def test_more_answers_than_participants_still_names_the_open_link() -> None:
    [result] = response_rate(context(["open-link"] * 6 + ["kiosk"], attended=3))
    assert "6 by the event's open link" in result.summary
    assert "came by the event's open link" in result.summary


def test_partial_responses_are_counted_apart() -> None:
    """A response left before Submit at the kiosk (kept because the survey says keep_partial)
    counts as a response; the sentence says how many of them are partial."""
    ctx = context(["kiosk"] * 4 + ["web"], attended=10)
    for response in ctx.responses[:2]:
        response["partial"] = True
    [result] = response_rate(ctx)
    assert result.summary == (
        "5 of the 10 participants responded (50%): 4 at the kiosk, 1 online, 2 of them partial "
        "(left before Submit at the kiosk)."
    )
    assert result.details["partial"] == 2


def test_without_partial_responses_the_sentence_says_nothing_of_them() -> None:
    [result] = response_rate(context(["kiosk"] * 2, attended=5))
    assert "partial" not in result.summary
    assert result.details["partial"] == 0


def test_a_channel_words_its_own_count() -> None:
    """A channel from another package says how its count reads; one no plugin registers (an
    uninstalled channel's old responses) reads "by <name>"."""
    found = context(["sms", "sms", "fax"], 5)
    found.channel_phrases = {**PHRASES, "sms": "by text message"}
    [result] = response_rate(found)
    assert result.summary == "3 of the 5 participants responded (60%): 2 by text message, 1 by fax."
