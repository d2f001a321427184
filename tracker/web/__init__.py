"""The browser pages."""

from flask import Blueprint

from tracker.web.templating import register_templates

bp = Blueprint("web", __name__)

# The layout, macros and filters serve every page (and emails), but this blueprint is what
# brings pages to the app, so it sets them up when it is registered.
bp.record_once(lambda state: register_templates(state.app))

from tracker.web import errors, routes  # noqa: E402,F401
from tracker.web.navigation import inject_navigation  # noqa: E402

bp.app_context_processor(inject_navigation)
