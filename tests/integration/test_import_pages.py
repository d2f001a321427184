"""The import pages: upload, columns, preview, import and result, for plans and recommendations."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from flask import g
from sqlalchemy import func, select

from tests.integration.import_helpers import DATA
from tracker.actions.models import Action
from tracker.extensions import db
from tracker.reviews.models import Recommendation


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_DIR", str(tmp_path / "imports"))
    return tmp_path / "imports"


@pytest.fixture
def secretary(make_person):
    return make_person(name="Sue Secretary", email="sue@example.org")


@pytest.fixture
def board(session, make_board, make_person, make_recommendation, secretary):
    make_person(name="Jo Bloggs", email="jo.bloggs@example.org")
    board = make_board(ref="tscp", members=[(secretary, "secretary")])
    make_recommendation(ref="R1", boards=[board])
    make_recommendation(ref="R3", boards=[board])
    session.commit()
    return board


def upload(post_form, path: str, name: str, data: bytes):
    return post_form(path, {"file": (BytesIO(data), name)}, content_type="multipart/form-data")


def upload_plan(client, sign_in, post_form, secretary, name="messy_plan.xlsx"):
    sign_in(secretary)
    response = upload(post_form, "/boards/tscp/import", name, (DATA / name).read_bytes())
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def count_actions() -> int:
    return db.session.scalar(select(func.count(Action.id)))


def test_the_upload_page_says_what_files_are_accepted(client, sign_in, board, secretary):
    sign_in(secretary)
    html = client.get("/boards/tscp/import").get_data(as_text=True)

    assert 'accept=".xlsx,.csv"' in html
    assert "up to 10 MB and 20,000 rows" in html
    assert 'enctype="multipart/form-data"' in html


def test_the_board_page_links_to_the_import_for_its_secretary(client, sign_in, board, secretary):
    sign_in(secretary)
    assert "/boards/tscp/import" in client.get("/boards/tscp").get_data(as_text=True)


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_the_upload_page(
    client, sign_in, post_form, board, secretary, import_dir
):
    sign_in(secretary)
    data = (DATA / "picture.xlsx").read_bytes()

    response = upload(post_form, "/boards/tscp/import", "picture.xlsx", data)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "picture.xlsx is not a spreadsheet" in html
    assert not import_dir.exists() or not any(import_dir.iterdir())


def test_no_file_chosen(client, sign_in, post_form, board, secretary):
    sign_in(secretary)
    response = post_form("/boards/tscp/import", {})
    assert "Choose the file to import" in response.get_data(as_text=True)


def test_the_columns_page_shows_the_recognised_mapping_with_samples(
    client, sign_in, post_form, board, secretary
):
    columns = upload_plan(client, sign_in, post_form, secretary)

    html = client.get(columns).get_data(as_text=True)

    assert "Assure found the headers on row 4" in html
    assert "the header row repeated 1 times was left out" in html
    # "Responsible Officer" (the fourth column) is pre-set to Lead officer.
    select_3 = re.search(r'<select[^>]*id="column-3".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="owner_name" selected>Lead officer</option>', select_3)
    assert "Offer CO screening at booking" in html  # a sample value


def test_a_field_chosen_twice_is_an_error(client, sign_in, post_form, board, secretary):
    columns = upload_plan(client, sign_in, post_form, secretary)

    response = post_form(columns, {"column-0": "ref", "column-1": "ref"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reference is chosen for both &#39;Action Ref&#39; and &#39;Rec&#39;" in html
    assert 'href="#column-1"' in html


def test_the_whole_journey_upload_columns_preview_import(
    client, sign_in, post_form, board, secretary, import_dir
):
    columns = upload_plan(client, sign_in, post_form, secretary)
    # The secretary ignores the BRAG column (the seventh) and keeps the rest.
    mapping = {
        f"column-{i}": key
        for i, key in enumerate(
            ["ref", "recommendation", "title", "owner_name", "lead_organisation", "due_on",
             "", "progress_update", "evidence", "success_measure"]
        )
    }  # fmt: skip
    preview_url = post_form(columns, mapping).headers["Location"]
    assert preview_url.endswith("/preview")

    html = client.get(preview_url).get_data(as_text=True)
    assert "Actions to create" in html and "Import 4 actions" in html
    assert 'id="row-5"' in html and "Lead officer: Jo Bloggs" in html

    response = post_form(preview_url, {"submit": "Import"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/done")
    actions = db.session.scalars(select(Action).where(Action.board_id == board.id)).all()
    assert sorted(a.ref for a in actions) == ["IM1", "IM2", "IM3", "IM4"]
    assert {a.owner_rag for a in actions} == {None}  # the RAG column was ignored
    assert not list(import_dir.glob("*.bin"))  # the file is gone once imported
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Plan imported" in done and "/boards/tscp/actions" in done
    # Going back to the preview after the import lands on the result.
    assert client.get(preview_url).headers["Location"].endswith("/done")


def test_a_file_with_problems_shows_them_and_imports_nothing_until_rows_are_skipped(
    client, sign_in, post_form, board, secretary
):
    columns = upload_plan(client, sign_in, post_form, secretary, "problem_plan.xlsx")
    preview_url = columns.replace("/columns", "/preview")

    html = client.get(preview_url).get_data(as_text=True)
    assert "There are 7 problems with the file" in html
    assert 'href="#row-2"' in html
    assert "Row 2, Target date: &#39;31/13/2017&#39; is not a date." in html
    assert "Import 1 action" not in html

    refused = post_form(preview_url, {"submit": "Import"})
    assert refused.status_code == 200 and count_actions() == 0

    checked = post_form(preview_url, {"skip_problem_rows": "y", "check": "Check again"})
    assert checked.status_code == 302
    html = client.get(preview_url).get_data(as_text=True)
    assert "Import 1 action" in html
    post_form(preview_url, {"skip_problem_rows": "y", "submit": "Import"})
    assert count_actions() == 1


def test_an_upload_is_only_its_uploader_s(
    client, sign_in, post_form, board, secretary, make_person, session
):
    columns = upload_plan(client, sign_in, post_form, secretary)
    other = make_person(name="Another", email="another@example.org", is_admin=True)
    session.commit()
    g.pop("_login_user", None)  # the test's app context outlives each request
    sign_in(other)

    assert client.get(columns).status_code == 404
    assert client.get(columns.replace("/columns", "/preview")).status_code == 404


def test_importing_recommendations_through_the_pages(
    client, sign_in, post_form, board, secretary, make_review, session
):
    review = make_review()
    session.commit()
    sign_in(secretary)
    assert "Import recommendations from a file" in client.get(f"/reviews/{review.id}").get_data(
        as_text=True
    )

    response = upload(
        post_form,
        f"/reviews/{review.id}/import",
        "recommendations.csv",
        (DATA / "recommendations.csv").read_bytes(),
    )
    preview_url = response.headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    assert "2 recommendations: 2 to add" in html and "For Board tscp" in html

    done = post_form(preview_url, {"submit": "Import"})

    assert done.headers["Location"].endswith(f"/reviews/{review.id}")
    refs = db.session.scalars(
        select(Recommendation.ref).where(Recommendation.review_id == review.id)
    ).all()
    assert sorted(refs) == ["R1", "R2"]


def test_recommendations_for_a_board_the_person_does_not_run_are_a_problem(
    client, sign_in, post_form, board, make_person, make_board, make_review, session
):
    elsewhere = make_person(name="Other Sec", email="other@example.org")
    make_board(ref="other", members=[(elsewhere, "secretary")])
    review = make_review()
    session.commit()
    sign_in(elsewhere)

    response = upload(
        post_form,
        f"/reviews/{review.id}/import",
        "recommendations.yaml",
        (DATA / "recommendations.yaml").read_bytes(),
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "only Board tscp&#39;s secretary can adopt recommendations for it" in html
    assert "Import recommendations</button>" not in html


def test_uploads_older_than_a_day_are_cleared(app, import_dir):
    import os
    import time

    from tracker.transfer import uploads

    with app.test_request_context():
        old = uploads.store("plan", 1, 1, "old.csv", b"Ref,Action\n")
        new = uploads.store("plan", 1, 1, "new.csv", b"Ref,Action\n")
        day_ago = time.time() - uploads.MAX_AGE_SECONDS - 60
        for suffix in (".bin", ".json"):
            os.utime(import_dir / f"{old.id}{suffix}", (day_ago, day_ago))

        assert uploads.clear_old() == 2

        assert sorted(p.name for p in import_dir.iterdir()) == [f"{new.id}.bin", f"{new.id}.json"]
        with pytest.raises(Exception, match="expired"):
            uploads.load(old.id, "plan", 1, 1)
        assert uploads.load(new.id, "plan", 1, 1).filename == "new.csv"
