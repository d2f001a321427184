"""JSON API v1: bearer-token routes over the areas' services, described at /api/v1/openapi.json.

Routes validate input with marshmallow (``inputs``), call the areas' service functions, commit
at the boundary and answer with the representations in ``schemas``; ``errors`` turns domain
errors into JSON with the status codes DESIGN.md names.
"""

from flask import Blueprint

from tracker.extensions import csrf

bp = Blueprint("api", __name__)
# Bearer tokens, not cookies, authenticate the API: a cross-site form cannot forge one.
csrf.exempt(bp)

from tracker.api import (  # noqa: E402,F401  (each module registers its routes on bp)
    auth,
    errors,
    openapi,
    routes_actions,
    routes_boards,
    routes_matrix,
    routes_reviews,
    routes_transitions,
    routes_updates,
)
