"""The matrix's filters: recommendation level and theme, read from the query string.

A GET form without CSRF (it changes nothing), so that a filtered matrix can be bookmarked and
shared, and the spreadsheet link carries the same filters.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import Form, SelectChoice, SelectField

from tracker.reviews.models import LEVELS, Theme

ANY = ""


class MatrixFilterForm(Form):
    """Which recommendations the matrix shows."""

    level = SelectField(
        "Level",
        widget=GovSelect(),
        choices=[SelectChoice(ANY, "Any level")]
        + [SelectChoice(key, label) for key, label in LEVELS.items()],
        default=ANY,
        invalid_choice_message="Choose a level from the list",
    )
    theme = SelectField(
        "Theme",
        widget=GovSelect(),
        default=ANY,
        invalid_choice_message="Choose a theme from the list",
    )

    @property
    def is_filtered(self) -> bool:
        return bool(self.level.data or self.theme.data)

    def filters(self) -> dict:
        """The valid form as ``build_matrix`` keywords."""
        return {"level": self.level.data or None, "theme_id": int(self.theme.data or 0) or None}

    def args(self) -> dict[str, str]:
        """The filters in use as query-string arguments (for the spreadsheet link)."""
        return {name: getattr(self, name).data for name in ("level", "theme") if self[name].data}

    def summary(self) -> list[str]:
        """The filters in use, in words ("Level: Regional"), for the printed page."""
        lines = []
        for field in (self.level, self.theme):
            if field.data and not field.errors:
                label = next((c.label for c in field.choices if c.value == field.data), field.data)
                lines.append(f"{field.label.text}: {label}")
        return lines

    def error_list(self) -> list[dict[str, str]]:
        return [
            {"text": f.errors[0], "href": f"#{f.id}"} for f in (self.level, self.theme) if f.errors
        ]


def matrix_filter_form(args, themes: list[Theme]) -> MatrixFilterForm:
    """The form read from ``args``, offering the themes of the review's recommendations."""
    form = MatrixFilterForm(formdata=args)
    form.theme.choices = [SelectChoice(ANY, "Any theme")] + [
        SelectChoice(str(theme.id), theme.name) for theme in themes
    ]
    return form
