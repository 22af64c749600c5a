"""Charts for the HTML report, drawn with matplotlib and embedded as inline SVG.

matplotlib is imported here only, and this module only when an HTML report is rendered. Figures
are built with the object API on an Agg canvas (no pyplot, no global figure state) and written as
SVG with text kept as text (``svg.fonttype = "none"``). The SVG is then made fit to sit inside an
HTML page: no XML prolog, DOCTYPE, comments or metadata (they carry URLs), no namespace attributes,
ids prefixed with the chart's id (several charts share one document), ``role="img"`` with an
``aria-label`` and a ``<title>`` that describe what the chart shows.

Colours: every bar has a dark outline, so each segment stands out from its neighbours and from
the page (WCAG 2.1 non-text contrast); numbers printed on a segment are black or white, whichever
contrasts more with it (at least 4.5:1). Every chart is followed in the report by a table holding
the same numbers.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from feedback.scoring import ScoreResult
from feedback_reports.model import EventResults, ItemDistribution

TEXT = "#1a1a1a"
AXIS = "#404040"
EDGE = "#1a1a1a"
NEUTRAL = "#d4d4d4"
NA = "#a3a3a3"
TRACK = "#ececec"
VALUE = "#1f5f99"
TARGET = "#8c2d04"
WIDTH = 8.0  # inches; 576 pt


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart and the sentence that describes it to someone who cannot see it."""

    id: str
    svg: str
    description: str


# -- colour ------------------------------------------------------------------------------------


def _luminance(rgb: Sequence[float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    """WCAG 2.1 contrast ratio of two RGB colours (channels 0–1)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(colour: Any) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(colour)


def text_colour(background: Any) -> str:
    """Black or white, whichever contrasts more with ``background`` (always at least 4.5:1)."""
    rgb = _rgb(background)
    return "#000000" if contrast(rgb, (0, 0, 0)) >= contrast(rgb, (1, 1, 1)) else "#ffffff"


def diverging(k: int) -> list[Any]:
    """Orange (disagree) to purple (agree), colour-blind safe; a middle point is grey."""
    from matplotlib import colormaps

    cmap = colormaps["PuOr"]
    colours: list[Any] = [cmap(0.06 + 0.88 * i / max(k - 1, 1)) for i in range(k)]
    if k % 2:
        colours[k // 2] = NEUTRAL
    return colours


def sequential(k: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["Blues"]
    return [cmap(0.15 + 0.8 * i / max(k - 1, 1)) for i in range(k)]


# -- figures and SVG ---------------------------------------------------------------------------


def _style(chart_id: str) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": chart_id,
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
        "font.size": 10,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": AXIS,
        "xtick.color": AXIS,
        "ytick.color": AXIS,
        "xtick.labelcolor": TEXT,
        "ytick.labelcolor": TEXT,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "text.usetex": False,
    }


def _figure(height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _plain(text: str) -> str:
    """Text for matplotlib: a ``$`` is a dollar sign, not the start of mathematics."""
    return text.replace("$", r"\$")


def _wrap(text: str, width: int = 42) -> str:
    return _plain(textwrap.fill(text, width=width, break_long_words=False))


_ID = re.compile(r'\bid="([^"]+)"')


def to_svg(figure: Any, chart_id: str, description: str) -> str:
    """The figure as an ``<svg>`` element ready to be placed inside HTML."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    text = text.replace("xlink:href=", "href=")
    # ids made unique in the page: matplotlib names its groups figure_1, axes_1 ... in every chart
    for old in sorted(set(_ID.findall(text)), key=len, reverse=True):
        new = f"{chart_id}-{old}"
        text = text.replace(f'id="{old}"', f'id="{new}"')
        text = text.replace(f'href="#{old}"', f'href="#{new}"')
        text = text.replace(f"url(#{old})", f"url(#{new})")
    label = html.escape(description, quote=True)
    text = re.sub(
        r"^<svg\b",
        f'<svg id="{chart_id}" class="chart" role="img" aria-label="{label}"',
        text,
        count=1,
    )
    head_end = text.index(">") + 1
    text = text[:head_end] + f"<title>{html.escape(description)}</title>" + text[head_end:]
    return text.strip()


def _render(chart_id: str, height: float, draw: Any, description: str) -> Chart:
    import matplotlib

    with matplotlib.rc_context(_style(chart_id)):
        figure = _figure(height)
        draw(figure)
        svg = to_svg(figure, chart_id, description)
    return Chart(chart_id, svg, description)


def _segment_label(ax: Any, x: float, y: float, share: float, colour: Any) -> None:
    if share >= 9.5:
        ax.text(
            x,
            y,
            f"{share:.0f}%",
            ha="center",
            va="center",
            fontsize=8.5,
            color=text_colour(colour),
        )


def _row_major(entries: list[Any], columns: int) -> list[Any]:
    """Order legend entries so that they read left to right, row by row (matplotlib fills a
    legend column by column)."""
    rows = -(-len(entries) // columns)
    grid = [entries[r * columns : (r + 1) * columns] for r in range(rows)]
    return [row[c] for c in range(columns) for row in grid if c < len(row)]


def _share_words(counts: dict[str, int], top: Iterable[str], n: int) -> str:
    k = sum(counts.get(p, 0) for p in top)
    return f"{k} of {n}"


# -- (1) likert items: diverging stacked bars --------------------------------------------------


def diverging_segments(counts: Sequence[int]) -> list[tuple[float, float]]:
    """(left, width) in percent of the answers for each point of a scale, lowest first: the
    points below the middle end at zero, those above start at zero, and a middle point (odd
    scales) is split across zero."""
    n = sum(counts)
    if n == 0:
        return [(0.0, 0.0) for _ in counts]
    shares = [100 * c / n for c in counts]
    half = len(counts) // 2
    left = -sum(shares[:half]) - (shares[half] / 2 if len(counts) % 2 else 0)
    out = []
    for share in shares:
        out.append((left, share))
        left += share
    return out


def likert_chart(items: list[ItemDistribution], chart_id: str) -> Chart | None:
    """Diverging stacked bars: disagreement left of zero, agreement right, a neutral middle point
    split across zero, "don't know" in a panel of its own to the right; n on every bar."""
    items = [d for d in items if d.kind == "likert" and not d.suppressed and d.n + d.n_na > 0]
    if not items:
        return None
    points = items[0].points
    items = [d for d in items if [p.id for p in d.points] == [p.id for p in points]]
    k = len(points)
    half = k // 2
    colours = diverging(k)
    has_na = any(d.na_label for d in items)
    na_label = next((d.na_label for d in items if d.na_label), "Don't know")

    def draw(figure: Any) -> None:
        if has_na:
            grid = figure.add_gridspec(1, 2, width_ratios=[5, 1])
            ax = figure.add_subplot(grid[0])
            ax_na = figure.add_subplot(grid[1], sharey=ax)
        else:
            ax, ax_na = figure.add_subplot(), None
        ys = list(range(len(items)))[::-1]
        handles = []
        for y, item in zip(ys, items, strict=True):
            counts = [item.counts.get(p.id, 0) for p in points]
            if item.n:
                for j, (left, share) in enumerate(diverging_segments(counts)):
                    bars = ax.barh(
                        y,
                        share,
                        left=left,
                        height=0.62,
                        color=colours[j],
                        edgecolor=EDGE,
                        linewidth=0.6,
                        label=points[j].label,
                    )
                    if y == ys[0]:
                        handles.append(bars)
                    _segment_label(ax, left + share / 2, y, share, colours[j])
            if ax_na is not None:
                ax_na.barh(y, item.n_na, height=0.62, color=NA, edgecolor=EDGE, linewidth=0.6)
                ax_na.annotate(
                    str(item.n_na),
                    (item.n_na, y),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left",
                    fontsize=9,
                )
        ax.axvline(0, color=EDGE, linewidth=1)
        ax.set_xlim(-100, 100)
        ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"])
        ax.set_yticks(ys, [f"{_wrap(d.label)}\n(n = {d.n})" for d in items], fontsize=9)
        ax.set_xlabel("← disagree · share of the answers (n) · agree →")
        ax.tick_params(axis="y", length=0)
        if ax_na is not None:
            top = max([d.n_na for d in items] + [1])
            ax_na.set_xlim(0, top * 1.8)
            ax_na.set_xticks([])
            ax_na.set_title(_plain(na_label), fontsize=9, loc="left")
            ax_na.tick_params(axis="y", left=False, labelleft=False)
            ax_na.spines["left"].set_visible(False)
            ax_na.spines["bottom"].set_visible(False)
            from matplotlib.patches import Patch

            handles.append(Patch(facecolor=NA, edgecolor=EDGE, linewidth=0.6))
        labels = [_plain(p.label) for p in points] + ([_plain(na_label)] if has_na else [])
        columns = min(len(labels), 3)
        figure.legend(
            _row_major(handles, columns),
            _row_major(labels, columns),
            loc="outside lower center",
            ncols=columns,
            fontsize=9,
        )

    top_points = [p.id for p in points[len(points) - half :]]
    parts = []
    for d in items:
        part = f"{d.label}: {_share_words(d.counts, top_points, d.n)} agree"
        if d.n_na:
            part += f", {d.n_na} {na_label.lower()}"
        parts.append(part)
    description = (
        f"Diverging bar chart of the answers to {len(items)} statement"
        f"{'s' if len(items) != 1 else ''}, disagreement to the left of zero and agreement to "
        f"the right. " + "; ".join(parts) + "."
    )
    height = 1.9 + 0.62 * len(items)
    return _render(chart_id, height, draw, description)


# -- (2) then/now items: knowledge before and now ----------------------------------------------


def then_now_chart(items: list[ItemDistribution], chart_id: str) -> Chart | None:
    """For each then/now item, two stacked bars of the same people: before the seminar and now."""
    items = [d for d in items if d.kind == "then_now" and not d.suppressed and d.n > 0]
    if not items:
        return None
    points = items[0].points
    items = [d for d in items if [p.id for p in d.points] == [p.id for p in points]]
    colours = sequential(len(points))
    top = [p.id for p in points[-2:]]

    def draw(figure: Any) -> None:
        axes = figure.subplots(len(items), 1, sharex=True, squeeze=False)[:, 0]
        handles = []
        for ax, item in zip(axes, items, strict=True):
            for y, counts in ((1, item.then), (0, item.now)):
                left = 0.0
                for j, point in enumerate(points):
                    share = 100 * counts.get(point.id, 0) / item.n
                    bars = ax.barh(
                        y,
                        share,
                        left=left,
                        height=0.7,
                        color=colours[j],
                        edgecolor=EDGE,
                        linewidth=0.6,
                    )
                    if ax is axes[0] and y == 1:
                        handles.append(bars)
                    _segment_label(ax, left + share / 2, y, share, colours[j])
                    left += share
            ax.set_yticks([1, 0], [_plain(item.then_label), _plain(item.now_label)], fontsize=9)
            ax.tick_params(axis="y", length=0)
            ax.set_title(f"{_wrap(item.label, 80)} (n = {item.n} pairs)", fontsize=9.5, loc="left")
            ax.set_xlim(0, 100)
        axes[-1].set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        axes[-1].set_xlabel("share of the respondents who answered both (self-reported)")
        figure.legend(
            handles,
            [_plain(p.label) for p in points],
            loc="outside lower center",
            ncols=len(points),
            fontsize=9,
        )

    labels = " or ".join(p.label.lower() for p in points[-2:])
    parts = [
        f"{d.label}: {_share_words(d.then, top, d.n)} before, {_share_words(d.now, top, d.n)} now"
        for d in items
    ]
    description = (
        f"Stacked bars of self-reported knowledge before the seminar and now, for {len(items)} "
        f"topic{'s' if len(items) != 1 else ''}, the same respondents in both bars. Answering "
        f"{labels}: " + "; ".join(parts) + "."
    )
    return _render(chart_id, 1.2 + 1.25 * len(items), draw, description)


# -- (3) reach against the targets -------------------------------------------------------------


def _reach_rows(results: Iterable[ScoreResult]) -> list[tuple[str, int, int]]:
    rows = []
    for result in results:
        if result.scorer != "reach":
            continue
        details = result.details
        where = "at this event" if details.get("scope") == "event" else "so far"
        if details.get("mp_target"):
            rows.append((f"MPs {where}", int(details.get("mps") or 0), int(details["mp_target"])))
        if details.get("country_target"):
            count = len(details.get("mp_countries") or [])
            rows.append((f"Countries {where}", count, int(details["country_target"])))
    rows.sort(key=lambda row: not row[0].startswith("MPs"))
    return rows


def reach_chart(results: Iterable[ScoreResult], chart_id: str) -> Chart | None:
    """Horizontal bars: MPs and their countries against the programme's targets."""
    from feedback_scoring.scorers import achieved

    rows = _reach_rows(results)
    if not rows:
        return None
    shares = [100 * value / target for _, value, target in rows]
    texts = [f"{v} of {t} ({achieved(v, t)})" for _, v, t in rows]

    def draw(figure: Any) -> None:
        ax = figure.add_subplot()
        ys = list(range(len(rows)))[::-1]
        right = max([100.0, *shares])
        for y, share, text in zip(ys, shares, texts, strict=True):
            ax.barh(y, 100, height=0.6, color=TRACK, edgecolor="#595959", linewidth=0.8)
            ax.barh(y, share, height=0.6, color=VALUE, edgecolor=EDGE, linewidth=0.6)
            ax.text(max(100, share) + right * 0.02, y, text, va="center", ha="left")
        ax.set_xlim(0, right * 1.42)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100% of target"])
        ax.set_yticks(ys, [label for label, _, _ in rows])
        ax.tick_params(axis="y", length=0)
        ax.spines["bottom"].set_bounds(0, 100)

    description = "Bar chart of reach against the programme's targets: " + "; ".join(
        f"{label}: {text}" for (label, _, _), text in zip(rows, texts, strict=True)
    )
    return _render(chart_id, 0.9 + 0.5 * len(rows), draw, description + ".")


def cumulative_chart(events: list[EventResults], chart_id: str) -> Chart | None:
    """A programme: MPs and countries reached so far after each event, against the targets."""
    series = []
    for entry in events:
        so_far = next(
            (
                r
                for r in entry.results
                if r.scorer == "reach" and r.details.get("scope") == "programme"
            ),
            None,
        )
        if so_far is None:
            continue
        series.append(
            (
                entry.event.get("date") or entry.event["id"],
                int(so_far.details.get("mps") or 0),
                len(so_far.details.get("mp_countries") or []),
                so_far.details.get("mp_target"),
                so_far.details.get("country_target"),
            )
        )
    if len(series) < 2:
        return None
    labels = [str(s[0]) for s in series]

    def draw(figure: Any) -> None:
        from matplotlib.ticker import MaxNLocator

        axes = figure.subplots(1, 2)
        for ax, index, title in ((axes[0], 1, "MPs reached"), (axes[1], 2, "Countries reached")):
            values = [s[index] for s in series]
            target = series[-1][index + 2]
            xs = list(range(len(series)))
            ax.bar(xs, values, color=VALUE, edgecolor=EDGE, linewidth=0.6, width=0.6)
            for x, v in zip(xs, values, strict=True):
                ax.text(x, v, f"{v}", ha="center", va="bottom", fontsize=9)
            if target:
                ax.axhline(target, color=TARGET, linewidth=1.5, linestyle="--")
                ax.text(xs[-1] + 0.4, target, f"target {target}", ha="right", va="bottom")
                ax.set_ylim(0, max([target, *values]) * 1.15)
            ax.set_xticks(xs, labels, rotation=30, ha="right", fontsize=8.5)
            ax.set_title(f"{title}, so far", fontsize=10, loc="left")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))

    parts = [f"after {s[0]}: {s[1]} MPs from {s[2]} countries" for s in series]
    targets = series[-1][3], series[-1][4]
    goal = ""
    if targets[0] or targets[1]:
        goal = (
            " Targets: "
            + ", ".join(
                t
                for t in (
                    f"{targets[0]} MPs" if targets[0] else "",
                    f"{targets[1]} countries" if targets[1] else "",
                )
                if t
            )
            + "."
        )
    description = (
        "Bar charts of the MPs and countries reached so far, event by event: "
        + "; ".join(parts)
        + "."
        + goal
    )
    return _render(chart_id, 3.2, draw, description)
