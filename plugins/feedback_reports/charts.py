"""Charts for the HTML report, drawn with matplotlib and embedded as inline SVG.

matplotlib is imported here only, and this module only when an HTML report is rendered. Figures
are built with the object API on an Agg canvas (no pyplot, no global figure state) and written as
SVG with text kept as text (``svg.fonttype = "none"``). The SVG is then made fit to sit inside an
HTML page: no XML prolog, DOCTYPE, comments or metadata (they carry URLs), no namespace attributes,
ids prefixed with the chart's id (several charts share one document), ``role="img"`` with an
``aria-label`` and a ``<title>`` that describe what the chart shows.

Size: every chart is `WIDTH` inches wide (302 pt) and no text in it is smaller than `SMALL` pt, so
on a phone 360 CSS pixels wide, where a chart is shown about 330 px wide, no text is smaller than
10 px. Long labels are wrapped above their bars, not set beside them as tick labels. Lines (the
zero line, axes, targets) are drawn beneath the bars and never cross a label: `Chart.problems`
lists any text a line crosses or the figure cuts off (the tests require it to be empty).

Colours: every bar has a dark outline, so each segment stands out from its neighbours and from
the page (WCAG 2.1 non-text contrast); numbers printed on a segment are black or white, whichever
contrasts more with it (at least 4.5:1); a number that does not fit its segment is left out (the
description and the appendix's tables hold every number). Every figure printed goes through
`feedback.figures`, the one rounding of the report.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from feedback.figures import achievement, share
from feedback.i18n import short_date
from feedback.scoring import (
    CountsAgainstTargets,
    Distribution,
    PairedChange,
    Score,
    ScoreResult,
    Share,
    score_text,
)
from feedback_reports.model import EventResults, ItemDistribution

TEXT = "#1a1a1a"
AXIS = "#404040"
EDGE = "#1a1a1a"
NEUTRAL = "#d4d4d4"
NA = "#a3a3a3"
TRACK = "#ececec"
VALUE = "#1f5f99"
FELL = "#e08214"
TARGET = "#8c2d04"
WIDTH = 4.2  # inches (302 pt): shown 1:1 on a wide screen, about 1.1 px per pt on a phone
FONT = 10.5  # pt: labels and titles
SMALL = 10.0  # pt: the smallest text in a chart (numbers on bars, ticks)
WRAP = 50  # characters of a label per line, at FONT, in WIDTH
ROW = 0.26  # inches: the height of one bar's row
LINE = 0.19  # inches: one line of a label above a bar


@dataclass(frozen=True)
class Chart:
    """An inline SVG chart and the sentence that describes it to someone who cannot see it.

    ``problems`` names any text that a line crosses or that falls outside the figure (none is
    expected: the tests check it)."""

    id: str
    svg: str
    description: str
    problems: tuple[str, ...] = field(default=(), compare=False)


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
        "font.size": FONT,
        "axes.titlesize": FONT,
        "axes.labelsize": FONT,
        "xtick.labelsize": SMALL,
        "ytick.labelsize": SMALL,
        "legend.fontsize": SMALL,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": AXIS,
        "axes.axisbelow": True,
        "axes.titlepad": 4,
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
    engine: Any = figure.get_layout_engine()
    engine.set(h_pad=0.03, w_pad=0.03, hspace=0.02)
    FigureCanvasAgg(figure)
    return figure


def _plain(text: str) -> str:
    """Text for matplotlib: a ``$`` is a dollar sign, not the start of mathematics."""
    return text.replace("$", r"\$")


_KEEP = re.compile(r"\((n = [^)]*|[^()]{1,14})\)$")


def _lines(text: str, width: int = WRAP) -> list[str]:
    """``text`` in lines of at most ``width`` characters; a short last bracket (``(n = 20)``)
    is never broken."""
    text = _KEEP.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)
    lines = textwrap.wrap(text, width=width, break_long_words=True) or [""]
    return [line.replace("\u00a0", " ") for line in lines]


def _wrap(text: str, width: int = WRAP) -> str:
    return _plain("\n".join(_lines(text, width)))


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


def layout_problems(figure: Any) -> list[str]:
    """Texts of a drawn figure that a visible line crosses (unless a bar drawn above the line
    hides it there) or that reach outside the figure."""
    from matplotlib.text import Text

    figure.draw_without_rendering()  # positions of this canvas (savefig drew at another dpi)
    renderer = figure.canvas.get_renderer()
    bounds = figure.bbox
    unseen: set[int] = set()  # labels of ticks outside the view, which are not drawn
    for ax in figure.axes:
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted((low, high))
            for tick in axis.get_major_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    unseen.update((id(tick.label1), id(tick.label2)))
    texts = [
        t
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in unseen
    ]
    problems = []
    lines: list[Any] = []
    bars: list[Any] = []
    for ax in figure.axes:
        lines += [line for line in ax.lines if line.get_visible()]
        lines += [s for s in ax.spines.values() if s.get_visible()]
        bars += [p for p in ax.patches if p.get_visible() and p.get_facecolor()[3] > 0]
    for text in texts:
        box = text.get_window_extent(renderer).padded(-0.5)
        if box.width <= 0:
            continue
        name = " ".join(text.get_text().split())
        if (
            box.x0 < bounds.x0 - 0.5
            or box.y0 < bounds.y0 - 0.5
            or box.x1 > bounds.x1 + 0.5
            or box.y1 > bounds.y1 + 0.5
        ):
            problems.append(f"outside the figure: {name!r}")
        for line in lines:
            extent = line.get_window_extent(renderer)
            if not box.overlaps(extent):
                continue
            overlap = (
                max(box.x0, extent.x0),
                max(box.y0, extent.y0),
                min(box.x1, extent.x1),
                min(box.y1, extent.y1),
            )
            hidden = any(
                bar.get_zorder() > line.get_zorder()
                and (b := bar.get_window_extent(renderer)).x0 <= overlap[0]
                and b.y0 <= overlap[1]
                and b.x1 >= overlap[2]
                and b.y1 >= overlap[3]
                for bar in bars
            )
            if not hidden:
                problems.append(f"a line crosses {name!r}")
    return problems


def _render(chart_id: str, height: float, draw: Callable[[Any], None], description: str) -> Chart:
    import matplotlib

    with matplotlib.rc_context(_style(chart_id)):  # type: ignore[arg-type]
        figure = _figure(height)
        draw(figure)
        svg = to_svg(figure, chart_id, description)
        problems = tuple(layout_problems(figure))
    return Chart(chart_id, svg, description, problems)


def _fit(figure: Any, labels: list[tuple[Any, Any]]) -> None:
    """Remove each number that does not fit inside its bar (with a little room either side)."""
    if not labels:
        return
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    for text, bar in labels:
        inner = bar.get_window_extent(renderer)
        box = text.get_window_extent(renderer)
        if box.width + 4 > inner.width or box.height > inner.height + 2:
            text.remove()


def _number(ax: Any, bar: Any, words: str, colour: Any, labels: list[tuple[Any, Any]]) -> None:
    """A number in the middle of a bar segment, black or white, removed later if it won't fit."""
    x = bar.get_x() + bar.get_width() / 2
    y = bar.get_y() + bar.get_height() / 2
    text = ax.text(
        x, y, words, ha="center", va="center", fontsize=SMALL, color=text_colour(colour), zorder=4
    )
    labels.append((text, bar))


def _row_major(entries: list[Any], columns: int) -> list[Any]:
    """Order legend entries so that they read left to right, row by row (matplotlib fills a
    legend column by column)."""
    rows = -(-len(entries) // columns)
    grid = [entries[r * columns : (r + 1) * columns] for r in range(rows)]
    return [row[c] for c in range(columns) for row in grid if c < len(row)]


def _share_words(counts: dict[str, int], top: Iterable[str], n: int) -> str:
    k = sum(counts.get(p, 0) for p in top)
    return f"{k} of {n}"


def _rows(figure: Any, titles: list[str]) -> list[Any]:
    """One thin axes per bar, each with its label wrapped above it (as the axes' title), sharing
    the x axis; only the last shows it."""
    axes = figure.subplots(len(titles), 1, sharex=True, squeeze=False)[:, 0]
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title, loc="left", fontsize=FONT)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        if ax is not axes[-1]:
            ax.spines["bottom"].set_visible(False)
            ax.tick_params(axis="x", length=0, labelbottom=False)
    return list(axes)


def _rows_height(titles: list[str], extra: float) -> float:
    lines = sum(t.count("\n") + 1 for t in titles)
    return extra + len(titles) * (ROW + 0.1) + lines * LINE


def _bar(ax: Any, left: float, width: float, colour: Any, **kwargs: Any) -> Any:
    return ax.barh(
        0,
        width,
        left=left,
        height=0.78,
        color=colour,
        edgecolor=EDGE,
        linewidth=0.6,
        zorder=2,
        **kwargs,
    )[0]


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
    for part in shares:
        out.append((left, part))
        left += part
    return out


def likert_chart(items: list[ItemDistribution], chart_id: str) -> Chart | None:
    """Diverging stacked bars centred on the neutral point: disagreement left of zero, agreement
    right, a middle point split across zero. Each statement is wrapped above its bar with its n;
    "don't know" is kept apart, counted beside n, never in the bar."""
    items = [d for d in items if d.kind == "likert" and not d.suppressed and d.n + d.n_na > 0]
    if not items:
        return None
    points = items[0].points
    items = [d for d in items if [p.id for p in d.points] == [p.id for p in points]]
    k = len(points)
    half = k // 2
    colours = diverging(k)
    na_label = next((d.na_label for d in items if d.na_label), "Don't know")

    def title(d: ItemDistribution) -> str:
        extra = f"; {na_label.lower()}: {d.n_na}" if d.n_na else ""
        return _wrap(f"{d.label} (n = {d.n}{extra})")

    titles = [title(d) for d in items]

    def draw(figure: Any) -> None:
        axes = _rows(figure, titles)
        handles: list[Any] = []
        labels: list[tuple[Any, Any]] = []
        for ax, item in zip(axes, items, strict=True):
            ax.axvline(0, color=AXIS, linewidth=0.8, zorder=1)
            counts = [item.counts.get(p.id, 0) for p in points]
            if not item.n:
                continue
            for j, (left, width) in enumerate(diverging_segments(counts)):
                if not counts[j]:
                    continue
                bar = _bar(ax, left, width, colours[j])
                _number(ax, bar, share(counts[j], item.n), colours[j], labels)
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=c, edgecolor=EDGE, linewidth=0.6) for c in colours]
        ax = axes[-1]
        ax.set_xlim(-100, 100)
        ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"])
        ax.set_xlabel("← disagree · share of answers · agree →")
        columns = 2
        figure.legend(
            _row_major(handles, columns),
            _row_major([_plain(p.label) for p in points], columns),
            loc="outside upper left",
            ncols=columns,
            handlelength=1.2,
            columnspacing=1.0,
        )
        _fit(figure, labels)

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
    legend_rows = -(-k // 2)
    height = _rows_height(titles, 0.75 + legend_rows * 0.2)
    return _render(chart_id, height, draw, description)


# -- (2) paired changes: how many rose, stayed the same and fell ------------------------------


def _change_rows(results: Iterable[ScoreResult]) -> list[tuple[str, int, int, int, int]]:
    rows = []
    for result in results:
        figure = result.figure
        if isinstance(figure, PairedChange) and figure.n:
            rows.append((result.label, figure.n, figure.rose, figure.same, figure.fell))
    return rows


def change_chart(results: Iterable[ScoreResult], chart_id: str) -> Chart | None:
    """For each paired change (then/now item, and overall): a bar of its pairs split into those
    whose rating rose, stayed the same and fell, with the number of people in each."""
    results = list(results)
    rows = _change_rows(results)
    if not rows:
        return None
    labels_ = results[0].words().labels
    parts = [
        (labels_.get("rose", "rose"), VALUE),
        (labels_.get("same", "stayed the same"), NEUTRAL),
        (labels_.get("fell", "fell"), FELL),
    ]
    titles = [_wrap(f"{label} (n = {n})") for label, n, *_ in rows]

    def draw(figure: Any) -> None:
        from matplotlib.patches import Patch

        axes = _rows(figure, titles)
        labels: list[tuple[Any, Any]] = []
        for ax, (_, n, *counts) in zip(axes, rows, strict=True):
            left = 0.0
            for count, (_, colour) in zip(counts, parts, strict=True):
                if count:
                    width = 100 * count / n
                    bar = _bar(ax, left, width, colour)
                    _number(ax, bar, str(count), colour, labels)
                    left += width
        ax = axes[-1]
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("share of the participants")
        figure.legend(
            [Patch(facecolor=c, edgecolor=EDGE, linewidth=0.6) for _, c in parts],
            [p.capitalize() for p, _ in parts],
            loc="outside upper left",
            ncols=3,
            handlelength=1.2,
            columnspacing=1.0,
        )
        _fit(figure, labels)

    words = [
        f"{label}: {parts[0][0]} for {rose} of {n}, {parts[1][0]} for {same}, "
        f"{parts[2][0]} for {fell}"
        for label, n, rose, same, fell in rows
    ]
    measure = labels_.get("measure", "the ratings, before against after")
    description = (
        f"Bar chart of {measure}, for "
        f"{len(rows)} item{'s' if len(rows) != 1 else ''}: how many {parts[0][0]}, "
        f"{parts[1][0]} and {parts[2][0]}. " + "; ".join(words) + "."
    )
    return _render(chart_id, _rows_height(titles, 0.95), draw, description)


# -- (3) counts against targets ----------------------------------------------------------------


def _target_rows(results: Iterable[ScoreResult]) -> list[tuple[str, int, int]]:
    rows = []
    for result in results:
        figure = result.figure
        if not isinstance(figure, CountsAgainstTargets):
            continue
        where = "at this event" if figure.scope == "event" else "so far"
        for i, count in enumerate(figure.counts):
            if count.target:
                rows.append((i, f"{count.label} {where}", count.value, count.target))
    rows.sort(key=lambda row: row[0])  # each count's rows together, in the counts' order
    return [(label, value, target) for _, label, value, target in rows]


def targets_chart(results: Iterable[ScoreResult], chart_id: str) -> Chart | None:
    """Horizontal bars: each count against its target, labelled above its bar with the count,
    the target and how much of it was reached."""
    results = list(results)
    rows = _target_rows(results)
    if not rows:
        return None
    texts = [f"{v} of {t} ({achievement(v, t)})" for _, v, t in rows]
    titles = [_wrap(f"{label}: {text}") for (label, _, _), text in zip(rows, texts, strict=True)]
    right = max([100.0, *(100 * v / t for _, v, t in rows)])

    def draw(figure: Any) -> None:
        axes = _rows(figure, titles)
        for ax, (_, value, target) in zip(axes, rows, strict=True):
            ax.barh(0, 100, height=0.78, color=TRACK, edgecolor="#595959", linewidth=0.8)
            _bar(ax, 0, 100 * value / target, VALUE)
        ax = axes[-1]
        ax.set_xlim(0, right)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("share of the target reached")

    what = results[0].words().labels.get("chart", "Bar chart of the counts against their targets")
    description = f"{what}: " + "; ".join(
        f"{label}: {text}" for (label, _, _), text in zip(rows, texts, strict=True)
    )
    return _render(chart_id, _rows_height(titles, 0.55), draw, description + ".")


def cumulative_chart(
    events: list[EventResults], results: list[ScoreResult], chart_id: str
) -> Chart | None:
    """A programme: each count (of ``results``' scorer) reached so far after each event, against
    its target."""
    if not results:
        return None
    scorer, labels_ = results[0].scorer, results[0].words().labels
    series: list[tuple[str, CountsAgainstTargets]] = []
    for entry in events:
        so_far = entry.targets(scorer, "programme")
        if so_far is None or not isinstance(so_far.figure, CountsAgainstTargets):
            continue
        series.append((entry.event.get("date") or entry.event["id"], so_far.figure))
    if len(series) < 2 or not series[-1][1].counts:
        return None
    last = series[-1][1].counts
    labels = [short_date(s[0]) for s in series]

    def value(figure: CountsAgainstTargets, count_id: str) -> int:
        return next((c.value for c in figure.counts if c.id == count_id), 0)

    def draw(figure: Any) -> None:
        from matplotlib.ticker import MaxNLocator

        axes = figure.subplots(len(last), 1, sharex=True, squeeze=False)[:, 0]
        numbers = []
        for ax, count in zip(axes, last, strict=True):
            values = [value(f, count.id) for _, f in series]
            target = count.target
            xs = list(range(len(series)))
            ax.bar(xs, values, color=VALUE, edgecolor=EDGE, linewidth=0.6, width=0.6, zorder=2)
            top = max([int(target or 0), *values, 1])
            for x, v in zip(xs, values, strict=True):
                text = ax.annotate(
                    f"{v}",
                    (x, v),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=SMALL,
                    zorder=4,
                )
                numbers.append((ax, text, x, v))
            heading = f"{count.label} reached so far"
            if target:
                ax.axhline(target, color=TARGET, linewidth=1.5, linestyle="--", zorder=1)
                heading += f"; target {target} (dashed line)"
            ax.set_ylim(0, top * 1.18)
            ax.set_title(_wrap(heading), loc="left")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        rotate = len(series) > 4
        axes[-1].set_xticks(
            range(len(series)),
            labels,
            rotation=40 if rotate else 0,
            ha="right" if rotate else "center",
        )
        for ax in axes[:-1]:
            ax.tick_params(axis="x", labelbottom=False)
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        for ax, text, _x, _v in numbers:
            box = text.get_window_extent(renderer).padded(3)
            if any(box.overlaps(line.get_window_extent(renderer)) for line in ax.lines):
                # a count next to the target line goes inside its bar, in white
                text.set_position((0, -2))
                text.set_va("top")
                text.set_color("#ffffff")

    def counted(f: CountsAgainstTargets) -> str:
        values = {c.id: c.value for c in f.counts}
        template = labels_.get("so_far")
        if template:
            return template.format(**{c.id: values.get(c.id, 0) for c in last})
        return ", ".join(f"{values.get(c.id, 0)} {c.noun or c.label}" for c in last)

    parts = [f"after {date}: {counted(f)}" for date, f in series]
    targets = [f"{c.target} {c.noun or c.label}" for c in last if c.target]
    goal = " Targets: " + ", ".join(targets) + "." if targets else ""
    nouns = " and ".join(c.noun or c.label for c in last)
    description = (
        f"Bar charts of the {nouns} reached so far, event by event: "
        + "; ".join(parts)
        + "."
        + goal
    )
    height = 1.7 * len(last) + (0.4 if len(series) > 4 else 0)
    return _render(chart_id, height, draw, description)


# -- (4) shares, distributions and scores ------------------------------------------------------


def share_chart(results: Iterable[ScoreResult], chart_id: str) -> Chart | None:
    """A bar per share (k of n), the line across it its 95% interval."""
    rows = [
        (r.label, r.figure)
        for r in results
        if isinstance(r.figure, Share) and r.figure.n and r.figure.k <= r.figure.n
    ]
    if not rows:
        return None
    texts = [f"{f.k} of {f.n} ({share(f.k, f.n)})" for _, f in rows]
    titles = [_wrap(f"{label}: {text}") for (label, _), text in zip(rows, texts, strict=True)]

    def draw(figure: Any) -> None:
        axes = _rows(figure, titles)
        for ax, (_, f) in zip(axes, rows, strict=True):
            ax.barh(0, 100, height=0.78, color=TRACK, edgecolor="#595959", linewidth=0.8)
            _bar(ax, 0, 100 * f.k / f.n, VALUE)
            if f.ci_low is not None and f.ci_high is not None:
                ax.plot([100 * f.ci_low, 100 * f.ci_high], [0, 0], color=TEXT, lw=1.5, zorder=3)
        ax = axes[-1]
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("share of those who answered")

    description = "Bar chart of shares with their 95% intervals: " + "; ".join(
        f"{label}: {text}" for (label, _), text in zip(rows, texts, strict=True)
    )
    return _render(chart_id, _rows_height(titles, 0.55), draw, description + ".")


def distribution_chart(results: Iterable[ScoreResult], chart_id: str) -> Chart | None:
    """A bar per point of a distribution (the first result's), with the number of answers."""
    result = next((r for r in results if isinstance(r.figure, Distribution)), None)
    if result is None or not isinstance(result.figure, Distribution):
        return None
    figure_ = result.figure
    if not figure_.n or not figure_.points:
        return None
    points = list(figure_.points.items())
    titles = [_wrap(f"{point}: {count}") for point, count in points]

    def draw(figure: Any) -> None:
        axes = _rows(figure, titles)
        for ax, (_, count) in zip(axes, points, strict=True):
            if count:
                _bar(ax, 0, 100 * count / figure_.n, VALUE)
        ax = axes[-1]
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        ax.set_xlabel("share of the answers")

    description = (
        f"Bar chart of the {figure_.n} answers to {result.label}, at each point: "
        + "; ".join(f"{point}: {count}" for point, count in points)
        + "."
    )
    return _render(chart_id, _rows_height(titles, 0.55), draw, description)


def score_chart(results: Iterable[ScoreResult], chart_id: str) -> Chart | None:
    """A dot per score, the line across it its 95% interval."""
    rows = [
        (r.label, r.figure)
        for r in results
        if isinstance(r.figure, Score) and r.figure.value is not None
    ]
    if not rows:
        return None

    def text(f: Score) -> str:
        both = f.ci_low is not None and f.ci_high is not None
        ci = f" (95% CI {score_text(f, f.ci_low)} to {score_text(f, f.ci_high)})" if both else ""
        return f"{score_text(f, f.value)}{ci}"

    titles = [_wrap(f"{label}: {text(f)}") for label, f in rows]
    found = [
        v for _, f in rows for v in (f.value, f.ci_low, f.ci_high, f.low, f.high) if v is not None
    ]
    low = min([f.low for _, f in rows if f.low is not None] or [min(found)])
    high = max([f.high for _, f in rows if f.high is not None] or [max(found)])
    low, high = min(low, *found), max(high, *found)
    margin = (high - low) * 0.05 or 1.0

    def draw(figure: Any) -> None:
        axes = _rows(figure, titles)
        for ax, (_, f) in zip(axes, rows, strict=True):
            if f.ci_low is not None and f.ci_high is not None:
                ax.plot([f.ci_low, f.ci_high], [0, 0], color=TEXT, lw=1.5, zorder=2)
            ax.plot([f.value], [0], "o", color=VALUE, markeredgecolor=EDGE, zorder=3)
        axes[-1].set_xlim(low - margin, high + margin)

    description = "Dot chart of scores with their 95% intervals: " + "; ".join(
        f"{label}: {text(f)}" for label, f in rows
    )
    return _render(chart_id, _rows_height(titles, 0.55), draw, description + ".")


# -- (5) programme indicators ------------------------------------------------------------------


def indicators_chart(indicators: list[Any], chart_id: str) -> Chart | None:
    """Each indicator's progress towards its target after each event (the target is 100%)."""
    rows = [
        (i, [(p.title or p.event or "", p.progress) for p in i.events if p.progress is not None])
        for i in indicators
    ]
    rows = [(i, points) for i, points in rows if points]
    if not rows:
        return None
    from feedback import figures

    def draw(figure: Any) -> None:
        axes = figure.subplots(len(rows), 1, squeeze=False)[:, 0]
        for ax, (indicator, points) in zip(axes, rows, strict=True):
            xs = list(range(len(points)))
            values = [float(p) * 100 for _, p in points]
            ax.bar(xs, values, color=VALUE, edgecolor=EDGE, linewidth=0.6, width=0.6, zorder=2)
            ax.axhline(100, color=TARGET, linewidth=1.5, linestyle="--", zorder=1)
            for x, (_, p) in zip(xs, points, strict=True):
                value = max(float(p) * 100, 0)
                near = 75 <= value <= 125  # the number would cross the target line: inside
                ax.annotate(
                    figures.percent(p),
                    (x, value),
                    xytext=(0, -2 if near else 2),
                    textcoords="offset points",
                    ha="center",
                    va="top" if near else "bottom",
                    color="#ffffff" if near else "#1a1a1a",
                    fontsize=SMALL,
                    zorder=4,
                )
            top = max([100.0, *values])
            ax.set_ylim(min(0.0, *values), top * 1.25)
            ax.set_title(_wrap(indicator.indicator.label_in("en"), 34), loc="left")
            ax.set_xticks(xs, [_wrap(str(t), 18) for t, _ in points])
            ax.set_yticks([0, 50, 100])
            ax.set_yticklabels(["0%", "50%", "target"])

    parts = []
    for indicator, points in rows:
        steps = ", ".join(f"after {t}: {figures.percent(p)}" for t, p in points)
        parts.append(f"{indicator.indicator.label_in('en')}: {steps}")
    description = (
        "Bar charts of each indicator's progress from its baseline to its target (100%), "
        "event by event: " + "; ".join(parts) + "."
    )
    return _render(chart_id, 1.9 * len(rows) + 0.3, draw, description)
