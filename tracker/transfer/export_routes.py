"""Downloading a board's plan (XLSX, CSV) and archive (JSON) from the browser.

GET only, and nothing changes: these are files to save. Who may have which is decided in
tracker.transfer.export_plan.
"""

from __future__ import annotations

from flask import Blueprint, Response, stream_with_context
from flask_login import current_user, login_required

from tracker.transfer.export_plan import Export, archive_board, export_board, plan_board

bp = Blueprint("exports", __name__)


def download(export: Export) -> Response:
    body = export.body if export.body is not None else stream_with_context(export.chunks)
    response = Response(body, mimetype=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    # A plan names people and their work: keep it out of shared caches.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/boards/<ref>/export.xlsx")
@login_required
def plan_xlsx(ref: str):
    """The board's action plan as a workbook that imports back unchanged."""
    return download(export_board(current_user, plan_board(current_user, ref), "xlsx"))


@bp.get("/boards/<ref>/export.csv")
@login_required
def plan_csv(ref: str):
    """The board's action plan as CSV (UTF-8 with a byte-order mark, for Excel)."""
    return download(export_board(current_user, plan_board(current_user, ref), "csv"))


@bp.get("/boards/<ref>/archive.json")
@login_required
def archive(ref: str):
    """All of the board's data as one JSON file, for its secretary and admins."""
    return download(export_board(current_user, archive_board(current_user, ref), "json"))
