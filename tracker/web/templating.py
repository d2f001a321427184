"""Jinja set-up for every page: where templates come from, and the filters they share.

Templates are looked up in our own ``templates/`` folder first, then in the GOV.UK Frontend
packages under their prefixes (``govuk_frontend_jinja/...``, ``govuk_frontend_wtf/...``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader, TemplateError

from tracker.actions.rag import RAG_LABELS
from tracker.common.time import LONDON
from tracker.web.forms import error_summary
from tracker.workflow_registry import all_workflows

# govuk-frontend-jinja's template.html sets the body's "js-enabled" and
# "govuk-frontend-supported" classes with an inline script, outside any block we could override.
# Our Content-Security-Policy refuses inline scripts, so we take that one script out as the
# template is loaded and set the classes from static/js/init.js instead.
_INLINE_BODY_SCRIPT = re.compile(
    r"[ \t]*<script\b[^>]*>\s*document\.body\.className[^<]*</script>\n?"
)

# Words first, colour second. GOV.UK Frontend 6's plain tag is blue, so blue needs no modifier.
RAG_TAG_CLASSES = {
    "blue": "",
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
}
# Status colours avoid the four RAG colours so that a status is never read as a RAG rating.
STATUS_TAG_CLASSES = {
    "draft": "govuk-tag--grey",
    "open": "govuk-tag--magenta",
    "in_progress": "govuk-tag--purple",
    "blocked": "govuk-tag--orange",
    "completed": "govuk-tag--teal",
    "closed": "govuk-tag--grey",
    "cancelled": "govuk-tag--grey",
}


class GovukFrontendJinjaLoader(PackageLoader):
    """govuk-frontend-jinja's templates, with template.html's inline script removed."""

    def __init__(self) -> None:
        super().__init__("govuk_frontend_jinja")

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if template == "template.html":
            source, found = _INLINE_BODY_SCRIPT.subn("", source)
            if found != 1:
                # A new govuk-frontend-jinja changed its template: look at it again rather
                # than serve a page whose script the browser blocks.
                raise TemplateError(
                    f"Expected one inline body script in {filename}, found {found}; "
                    "update tracker/web/templating.py for this govuk-frontend-jinja version."
                )
        return source, filename, uptodate


def register_templates(app: Flask) -> None:
    """Set up the template loader, the GOV.UK form helpers and our filters (once per app)."""
    if app.extensions.get("assure.templates"):
        return
    app.extensions["assure.templates"] = True
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,  # templates/
            PrefixLoader(
                {
                    "govuk_frontend_jinja": GovukFrontendJinjaLoader(),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(days, "days")
    app.add_template_global(rag_tag_params, "rag_tag_params")
    app.add_template_global(error_summary, "error_summary")
    app.add_template_global(status_tag_params, "status_tag_params")


def london(value: datetime) -> datetime:
    """The same moment on London's clock; naive values are taken to be UTC, as we store them."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def format_date(value: date | datetime | None) -> str:
    """``14 March 2027``; a timestamp shows London's date. Empty for no date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    """``14 March 2027 at 2:05pm`` on London's clock (GOV.UK style: midday, midnight)."""
    if value is None:
        return ""
    value = london(value)
    if (value.hour, value.minute) == (12, 0):
        time = "midday"
    elif (value.hour, value.minute) == (0, 0):
        time = "midnight"
    else:
        hour = value.hour % 12 or 12
        time = f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"
    return f"{format_date(value)} at {time}"


def days(count: int) -> str:
    """``1 day``, ``3 days``."""
    return f"{count} day" if count == 1 else f"{count} days"


def rag_tag_params(rag: str) -> dict:
    """govukTag options for a RAG colour: its word, and its colour as a second signal."""
    return {
        "text": RAG_LABELS.get(rag, rag),
        "classes": RAG_TAG_CLASSES.get(rag, "govuk-tag--grey"),
        "attributes": {"data-rag": rag},
    }


def status_tag_params(status: str, workflow: str = "standard") -> dict:
    """govukTag options for a workflow state, labelled as the board's workflow names it."""
    return {
        "text": status_label(status, workflow),
        "classes": STATUS_TAG_CLASSES.get(status, "govuk-tag--grey"),
        "attributes": {"data-status": status},
    }


def status_label(status: str, workflow: str) -> str:
    """The workflow's own name for a state ("In progress"), or one made from its key."""
    found = all_workflows().get(workflow)
    state = found.states.get(status) if found else None
    return state.label if state else status.replace("_", " ").capitalize()
