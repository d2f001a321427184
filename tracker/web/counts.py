"""Counted tables: rows of counts, each count linking to the list of what it counts.

A board's overview and its dashboard show the board's actions by status and by RAG rating,
and the dashboard its progress by recommendation, theme, level and lead organisation: all of
them drawn by templates/macros/counts.html's ``counted_table`` from the rows made here. A
count renders itself as its link (``__html__``), so a table of a few hundred costs no macro
call per count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup, escape

from tracker.web.queries import Figures
from tracker.web.templating import rag_tag_params, status_tag_params

# A function of action-list filters (as tracker.actions.queries names them) that gives the
# board's action list filtered by them.
ListUrl = Callable[..., str]


def figure_link(count: int, url: str | None, label: str) -> Markup:
    """A count that links to the list it counts, with words for screen readers ("3 overdue
    actions on Tameside ..."). Zero, or no list to open, is a plain number: nothing to open.
    Pages call it as the template global ``figure_link``."""
    if not count or not url:
        return Markup(str(count))
    if count == 1:
        label = label.replace("actions", "action").replace("updates", "update")
    return Markup(
        f'<a class="govuk-link" href="{escape(url)}">{count}'
        f'<span class="govuk-visually-hidden"> {escape(label)}</span></a>'
    )


@dataclass(frozen=True, slots=True)
class Count:
    """A number in a counted table, the list it opens (None: none) and its words."""

    value: int
    url: str | None
    words: str

    def __html__(self) -> str:
        return figure_link(self.value, self.url, self.words)


@dataclass
class CountedRow:
    """A row of a counted table: what it counts (a tag, or a label with a detail under it),
    then its cells (a Count, or text such as a percentage)."""

    label: str
    cells: list[Count | str] = field(default_factory=list)
    tag: dict | None = None  # govukTag options, for a row named by a status or RAG tag
    detail: str = ""


def list_urls(ref: str) -> ListUrl:
    """The board's action list filtered by the filters given. The address is built once and
    each list's query string added to it: the dashboard links to a few hundred lists."""
    base = url_for("actions.board_list", ref=ref)

    def list_url(**filters) -> str:
        args = []
        for name, value in filters.items():
            values = list(value) if isinstance(value, list | tuple) else [value]
            for one in values:
                if one is True:
                    one = "1"
                elif hasattr(one, "isoformat"):
                    one = one.isoformat()
                args.append((name, one))
        return f"{base}?{urlencode(args)}" if args else base

    return list_url


def rag_rows(figures: Figures, list_url: ListUrl, on: str = "") -> list[CountedRow]:
    """The board's actions by RAG rating, worst first. ``on`` ends the screen-reader words
    (" on <board>")."""
    rows = []
    for rag, count in figures.rag_worst_first.items():
        tag = rag_tag_params(rag)
        words = f"actions {tag['text']}{on}"
        rows.append(CountedRow(tag["text"], [Count(count, list_url(rag=rag), words)], tag))
    return rows


def status_rows(
    figures: Figures, states: Iterable[str], workflow: str, list_url: ListUrl, on: str = ""
) -> list[CountedRow]:
    """The board's actions in each of ``states``, in that order, then their total."""
    rows = []
    for state in states:
        tag = status_tag_params(state, workflow)
        count = Count(
            figures.by_status.get(state, 0), list_url(status=state), f"actions {tag['text']}{on}"
        )
        rows.append(CountedRow(tag["text"], [count], tag))
    rows.append(CountedRow("Total", [Count(figures.total, list_url(), f"actions{on}")]))
    return rows
