"""The dashboard's counted tables: its actions by RAG rating and by status, and its progress
by recommendation, theme, level and lead organisation, as rows for macros/counts.html."""

from __future__ import annotations

from tracker.actions.rag import DELIVERED_STATES, RAG_LABELS, RAGS
from tracker.oversight.progress import Group
from tracker.web.counts import Count, CountedRow, ListUrl, rag_rows, status_rows

WORST_FIRST = tuple(reversed(RAGS))
BREAKDOWN_COLUMNS = ("Actions", "Completed", "% complete", *(RAG_LABELS[r] for r in WORST_FIRST))


def dashboard_tables(found, states: list[str], list_url: ListUrl) -> dict[str, list[CountedRow]]:
    """The rows of each of the dashboard's counted tables, by name."""
    on = f" on {found.board.name}"
    return {
        "rag": rag_rows(found.figures, list_url, on),
        "status": status_rows(found.figures, states, found.board.workflow, list_url, on),
        "by_recommendation": breakdown_rows(found.by_recommendation, list_url, on),
        "by_theme": breakdown_rows(found.by_theme, list_url, on),
        "by_level": breakdown_rows(found.by_level, list_url, on),
        "by_lead_organisation": breakdown_rows(found.by_lead_organisation, list_url, on),
    }


def breakdown_rows(groups: list[Group], list_url: ListUrl, on: str) -> list[CountedRow]:
    """Each group's actions, how many are completed, the percentage, and its actions by RAG
    rating. A group no filter selects ("No lead organisation") has plain numbers."""
    return [_group_row(group, list_url, on) for group in groups]


def _group_row(group: Group, list_url: ListUrl, on: str) -> CountedRow:
    words = f" for {group.label}{on}"

    def count(value: int, what: str, **filters) -> Count:
        # A zero links nowhere, so its address is not built.
        url = list_url(**filters, **group.filters) if group.filters and value else None
        return Count(value, url, what + words)

    cells = [
        count(group.total, "actions"),
        count(group.completed, "actions completed", status=DELIVERED_STATES),
        f"{group.percent_complete}%",
        *(count(group.by_rag[rag], f"actions {RAG_LABELS[rag]}", rag=rag) for rag in WORST_FIRST),
    ]
    return CountedRow(group.label, cells, detail=group.detail)
