"""The pages that import a board's action plan: upload → columns → preview → import → result.

For the board's secretary or an admin. Each page reads the uploaded file again (kept server-side
by ``uploads``) and previews it against the board as it is now, so that the import carries out
exactly what the last preview showed; nothing changes until the "Import" button, and then the
whole file goes in one transaction or not at all.

Progress: a 5,000-row plan previews in 2–3 s of CPU and a new one imports in about 2 s (see
``benchmarks/imports.py``), so the work happens in the request; the buttons stop a second click
and the pages show the counts. A background job and a polling page would add a queue, and a
second place for the all-or-nothing transaction to fail, for a wait of seconds.
"""

from __future__ import annotations

from pathlib import PurePath

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.boards.routes import managed_board
from tracker.extensions import db
from tracker.transfer import uploads
from tracker.transfer.headers import FIELD_LABELS, recognise_all
from tracker.transfer.import_forms import PLAN_TYPES, ColumnsForm, PreviewForm, UploadForm
from tracker.transfer.plan_apply import ImportRefused, apply_plan
from tracker.transfer.plan_import import build_preview
from tracker.transfer.reading import MAX_BYTES, MAX_ROWS, UnreadableFile, read_upload

bp = Blueprint("imports", __name__)
SHOWN_ROWS = 1000


def _board(ref: str):
    return managed_board(ref, "import action plans")


def _upload(board, upload_id: str) -> uploads.Upload:
    return uploads.load(upload_id, "plan", board.id, current_user.id)


def limits() -> dict:
    from flask import current_app

    return {
        "megabytes": current_app.config.get("IMPORT_MAX_BYTES", MAX_BYTES) // (1024 * 1024),
        "rows": current_app.config.get("IMPORT_MAX_ROWS", MAX_ROWS),
    }


def uploaded(form: UploadForm) -> tuple[str, bytes]:
    """The uploaded file's name (without any folders the browser sent) and its bytes."""
    storage = form.file.data
    return PurePath(storage.filename or "upload").name[:200], storage.read()


@bp.route("/boards/<ref>/import", methods=["GET", "POST"])
@login_required
def plan_upload(ref: str):
    board = _board(ref)
    form = UploadForm()
    if form.validate_on_submit():
        filename, data = uploaded(form)
        try:
            read_upload(data, filename)
        except UnreadableFile as exc:
            form.file.errors.append(str(exc))
        else:
            upload = uploads.store("plan", board.id, current_user.id, filename, data)
            return redirect(url_for(".plan_columns", ref=board.ref, upload_id=upload.id))
    return render_template(
        "imports/upload.html", board=board, form=form, accept=PLAN_TYPES, limits=limits()
    )


def _chosen_mapping(headers: list[str]) -> tuple[list[str | None], list[dict]]:
    """The mapping posted on the columns page, and an error for each field chosen twice."""
    mapping = []
    for index in range(len(headers)):
        value = request.form.get(f"column-{index}", "")
        mapping.append(value if value in FIELD_LABELS else None)
    errors, first = [], {}
    for index, key in enumerate(mapping):
        if key is None:
            continue
        if key in first:
            errors.append(
                {
                    "text": f"{FIELD_LABELS[key]} is chosen for both '{headers[first[key]]}' and "
                    f"'{headers[index]}'. Choose it for one column and Ignore the other.",
                    "href": f"#column-{index}",
                }
            )
        first.setdefault(key, index)
    return mapping, errors


@bp.route("/boards/<ref>/import/<upload_id>/columns", methods=["GET", "POST"])
@login_required
def plan_columns(ref: str, upload_id: str):
    board = _board(ref)
    upload = _upload(board, upload_id)
    table = read_upload(upload.data(), upload.filename)
    mapping = upload.mapping or recognise_all(table.headers)
    form, errors = ColumnsForm(), []
    if form.validate_on_submit():
        mapping, errors = _chosen_mapping(table.headers)
        if not errors:
            upload.mapping = mapping
            upload.save()
            return redirect(url_for(".plan_preview", ref=board.ref, upload_id=upload.id))
    columns = [
        {
            "index": i,
            "header": header or f"Column {i + 1}",
            "samples": table.samples(i),
            "items": _choices(mapping[i] if i < len(mapping) else None),
        }
        for i, header in enumerate(table.headers)
    ]
    return render_template(
        "imports/columns.html",
        board=board,
        upload=upload,
        table=table,
        columns=columns,
        fields=FIELD_LABELS,
        form=form,
        errors=errors,
    )


def _choices(selected: str | None) -> list[dict]:
    items = [{"value": "", "text": "Ignore", "selected": not selected}]
    return items + [
        {"value": key, "text": label, "selected": key == selected}
        for key, label in FIELD_LABELS.items()
    ]


def _preview(board, upload):
    table = read_upload(upload.data(), upload.filename)
    return build_preview(
        current_user,
        board,
        table,
        filename=upload.filename,
        mapping=upload.mapping,
        create_people=upload.create_people,
        skip_problem_rows=upload.skip_problem_rows,
    )


@bp.route("/boards/<ref>/import/<upload_id>/preview", methods=["GET", "POST"])
@login_required
def plan_preview(ref: str, upload_id: str):
    board = _board(ref)
    upload = _upload(board, upload_id)
    if upload.result is not None:
        return redirect(url_for(".plan_done", ref=board.ref, upload_id=upload.id))
    form = PreviewForm(
        data={"create_people": upload.create_people, "skip_problem_rows": upload.skip_problem_rows}
    )
    refused = []
    if form.validate_on_submit():
        upload.create_people = form.create_people.data
        upload.skip_problem_rows = form.skip_problem_rows.data
        upload.save()
        if not form.submit.data:  # "Check again"
            return redirect(url_for(".plan_preview", ref=board.ref, upload_id=upload.id))
        preview = _preview(board, upload)
        try:
            counts = apply_plan(current_user, preview)
        except ImportRefused as exc:
            db.session.rollback()
            refused = exc.problems
        else:
            db.session.commit()
            upload.finish(counts)
            return redirect(url_for(".plan_done", ref=board.ref, upload_id=upload.id))
    preview = _preview(board, upload)
    problems = refused or preview.all_problems()
    shown = [row for row in preview.rows if row.outcome != "unchanged"][:SHOWN_ROWS]
    return render_template(
        "imports/preview.html",
        board=board,
        upload=upload,
        preview=preview,
        problems=problems,
        shown=shown,
        shown_limit=SHOWN_ROWS,
        form=form,
    )


@bp.get("/boards/<ref>/import/<upload_id>/done")
@login_required
def plan_done(ref: str, upload_id: str):
    board = _board(ref)
    upload = _upload(board, upload_id)
    if upload.result is None:
        return redirect(url_for(".plan_preview", ref=board.ref, upload_id=upload.id))
    return render_template("imports/done.html", board=board, upload=upload, counts=upload.result)
