"""Forms of the import pages: the upload, the column mapping and the preview's options."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovSubmitInput
from wtforms import BooleanField, SubmitField

PLAN_TYPES = ".xlsx,.csv"
RECOMMENDATION_TYPES = ".xlsx,.csv,.yaml,.yml"


class UploadForm(FlaskForm):
    """Choose the file to import."""

    file = FileField(
        "Spreadsheet",
        widget=GovFileInput(),
        validators=[FileRequired("Choose the file to import")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class ColumnsForm(FlaskForm):
    """The mapping itself is one select per column, read from the request by the route: their
    number depends on the file."""

    submit = SubmitField("Continue to preview", widget=GovSubmitInput())


class PreviewForm(FlaskForm):
    """The secretary's choices on the preview: add unknown people, leave out rows with problems."""

    create_people = BooleanField("Create people who are not found", widget=GovCheckboxInput())
    skip_problem_rows = BooleanField(
        "Skip rows with problems and import the rest", widget=GovCheckboxInput()
    )
    check = SubmitField("Check again", widget=GovSubmitInput())
    submit = SubmitField("Import", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Import", widget=GovSubmitInput())
