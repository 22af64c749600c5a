"""Free text in the Markdown report (issue 12, item 12): a comment whose later line starts with
``##``, ``---`` or ``===`` must not become a heading or a rule. Checked with a CommonMark parser
(markdown-it-py, the reference implementation's port) over hostile lines and generated ones: every
comment is one block quote of plain paragraphs whose text is what the participant wrote."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from feedback_reports.render import md, md_quote

PARSER = MarkdownIt("commonmark").enable("table")
PLAIN = {"blockquote_open", "blockquote_close", "paragraph_open", "paragraph_close", "inline"}

HOSTILE = [
    "Thanks.\n## Heading from a comment",
    "Good day\n---\nsecond part",
    "Good day\n===",
    "one\n- a list\n+ another\n* third",
    "1. first\n2) second",
    "```\ncode\n```",
    "~~~\ncode",
    "    indented code",
    "> quoted",
    "<div>html</div>",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "###### six\n####### seven",
    "- - -\n* * *\n_ _ _",
    "Setext\n-",
    "&amp; &#35; entities",
    "[x]: https://example.org\n[x]",
    "line\\\n## after a backslash",
]


def text_of(tokens: list[Any]) -> list[str]:
    """The plain text of each paragraph, soft breaks as new lines."""
    out = []
    for token in tokens:
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type == "text":
                    parts.append(child.content)
                elif child.type == "softbreak":
                    parts.append("\n")
                else:
                    raise AssertionError(f"markup from a comment: {child.type}")
            out.append("".join(parts))
    return out


def assert_plain_quote(comment: str) -> None:
    tokens = PARSER.parse(md_quote(comment) + "\n")
    kinds = {token.type for token in tokens}
    assert kinds <= PLAIN, (comment, kinds - PLAIN)
    assert [t.type for t in tokens].count("blockquote_open") == 1
    lines = [" ".join(line.split()) for line in comment.splitlines()]
    assert "\n".join(text_of(tokens)) == "\n".join(line for line in lines if line), comment


def test_hostile_comments_stay_plain_text_in_one_quote() -> None:
    for comment in HOSTILE:
        assert_plain_quote(comment)


MARKERS = [
    "",
    "#",
    "## ",
    "###### ",
    "- ",
    "---",
    "===",
    "+ ",
    "* ",
    "1. ",
    "2) ",
    "> ",
    "```",
    "    ",
]
LINE = st.builds(
    str.__add__,
    st.sampled_from(MARKERS),
    st.text(alphabet="#-=+*_>`~|<&\\[]().!1234567890 aZ", max_size=10),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=4))
def test_any_comment_of_markdown_characters_stays_plain_text(lines: list[str]) -> None:
    comment = "\n".join(lines)
    if not any(line.strip() for line in lines):
        return
    assert_plain_quote(comment)


@settings(max_examples=200, deadline=None)
@given(LINE)
def test_a_cell_or_heading_value_is_one_plain_paragraph(value: str) -> None:
    if not value.strip():
        return
    tokens = PARSER.parse(md(value) + "\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], value
    assert text_of(tokens) == [" ".join(value.split())]
