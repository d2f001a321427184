"""Charts drawn on the server as SVG: a horizontal bar chart and a line chart.

Nothing needs JavaScript to be read, and colour is never the only signal: every bar is named
and carries its number as text; every line has its own dash pattern and marker shape and is
named at its end and in the legend. Each chart is an image with a title and a description
(``role="img"``, ``aria-labelledby``); the page puts a table of the same figures beside it,
which is what screen readers and printed packs read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 200  # the bar chart's names, left of the bars
NUMBER_WIDTH = 60  # room for the number after the longest bar
BAR_HEIGHT, BAR_GAP = 22, 10
TEXT = "#0b0c0c"
AXIS = "#505a5f"
# GOV.UK Frontend's colours for the RAG words' tags (the words are on the bars as well).
RAG_FILLS = {"blue": "#1d70b8", "green": "#00703c", "amber": "#ffdd00", "red": "#d4351c"}
NEUTRAL = "#505a5f"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    fill: str = NEUTRAL
    suffix: str = ""  # after the number, e.g. "%"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    colour: str
    dash: str  # stroke-dasharray: "" for solid
    marker: str  # circle, square or triangle


def _head(chart_id: str, title: str, description: str, height: int, width: int = WIDTH) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="arial, sans-serif" font-size="14">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    bars: list[Bar],
    *,
    maximum: int | None = None,
    width: int = WIDTH,
    label_width: int = LABEL_WIDTH,
) -> Markup:
    """Horizontal bars, one per item, each named on its left and numbered on its right.

    ``width`` is the drawing's own width: a narrower one for a half-width column keeps its
    text at the page's size.
    """
    top = maximum if maximum is not None else max((b.value for b in bars), default=0)
    span = width - label_width - NUMBER_WIDTH
    height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    description = "; ".join(f"{b.label}: {b.value}{b.suffix}" for b in bars) or "No figures."
    parts = [_head(chart_id, title, description, height, width)]
    for i, bar in enumerate(bars):
        y = BAR_GAP + i * (BAR_HEIGHT + BAR_GAP)
        length = round(span * bar.value / top) if top else 0
        middle = y + BAR_HEIGHT / 2
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT}">{escape(_shorten(bar.label))}</text>'
        )
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
                f'fill="{bar.fill}" stroke="{TEXT}" stroke-width="1"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{middle}" dominant-baseline="middle" '
            f'fill="{TEXT}" font-weight="bold">{bar.value}{escape(bar.suffix)}</text>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" stroke="{AXIS}"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(text: str, most: int = 28) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# The line chart's frame: room on the left for the scale, on the right for the lines' names.
LEFT, RIGHT, TOP, BOTTOM = 48, 110, 16, 40
LINE_HEIGHT = 280
LEGEND_HEIGHT = 28
LABEL_GAP = 16


def line_chart(chart_id: str, title: str, days: list[date], series: list[Series]) -> Markup:
    """Lines over time, one per series, with a scale, dated ticks and a legend."""
    height = LINE_HEIGHT + LEGEND_HEIGHT
    plot_w, plot_h = WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM
    top = _nice_top(max((v for s in series for v in s.values), default=0))
    description = _line_description(days, series)
    parts = [_head(chart_id, title, description, height)]

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(days) - 1) if len(days) > 1 else plot_w / 2)

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    for tick in _ticks(top):
        parts.append(
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{LEFT + plot_w}" y2="{y(tick):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(tick):.1f}" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT}">{tick}</text>'
        )
    step = max(1, -(-len(days) // 6))  # at most about six dates under the axis
    for i, day in enumerate(days):
        if i % step == 0 or i == len(days) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle" '
                f'fill="{TEXT}">{day.day} {day:%b}</text>'
            )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        f'stroke="{AXIS}"/>'
    )
    label_ys = _spread([y(s.values[-1]) if s.values else 0.0 for s in series], LABEL_GAP)
    for s, label_y in zip(series, label_ys, strict=True):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="3"{dash}/>'
        )
        parts.extend(_marker(s.marker, x(i), y(v), s.colour) for i, v in enumerate(s.values))
        if s.values:
            parts.append(
                f'<text x="{x(len(s.values) - 1) + 10:.1f}" y="{label_y:.1f}" '
                f'dominant-baseline="middle" fill="{TEXT}">{escape(s.name)} '
                f"{s.values[-1]}</text>"
            )
    parts.append(_legend(series, LINE_HEIGHT))
    parts.append("</svg>")
    return Markup("".join(parts))


def _spread(ys: list[float], gap: float) -> list[float]:
    """The same positions, moved apart where two are closer than ``gap`` (labels of lines
    that end at the same value would otherwise print over each other)."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = list(ys)
    for before, after in zip(order, order[1:], strict=False):
        placed[after] = max(placed[after], placed[before] + gap)
    return placed


def _line_description(days: list[date], series: list[Series]) -> str:
    if not days:
        return "No figures yet."
    first, last = days[0], days[-1]
    changes = "; ".join(
        f"{s.name} from {s.values[0]} to {s.values[-1]}" for s in series if s.values
    )
    return f"From {first.day} {first:%B %Y} to {last.day} {last:%B %Y}: {changes}."


def _legend(series: list[Series], y: int) -> str:
    parts = []
    for i, s in enumerate(series):
        left = LEFT + i * 160
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        parts.append(
            f'<line x1="{left}" y1="{y + 14}" x2="{left + 36}" y2="{y + 14}" '
            f'stroke="{s.colour}" stroke-width="3"{dash}/>'
            + _marker(s.marker, left + 18, y + 14, s.colour)
            + f'<text x="{left + 44}" y="{y + 14}" dominant-baseline="middle" '
            f'fill="{TEXT}">{escape(s.name)}</text>'
        )
    return "".join(parts)


def _marker(shape: str, cx: float, cy: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{cx:.1f},{cy - 6:.1f} {cx - 6:.1f},{cy + 5:.1f} '
            f'{cx + 6:.1f},{cy + 5:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"/>'


def _nice_top(value: int) -> int:
    """A round number (1, 2 or 5 times a power of ten) at or above ``value``, at least 5."""
    if value <= 5:
        return 5
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            if base * magnitude >= value:
                return base * magnitude
        magnitude *= 10


def _ticks(top: int) -> list[int]:
    """Five steps from 0 to ``top``, whole numbers only."""
    step = max(1, top // 5)
    return list(range(0, top + 1, step))
