"""Forms of the review pages: reviews, recommendations, adopting them, and their workflow."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from tracker.reviews.models import LEVELS
from tracker.web.forms import GovDateField, example_date
from workflows import Transition

# Typed text uses DataRequired, not InputRequired: a title of spaces is no title at all.


class CheckboxesField(SelectMultipleField):
    """Checkboxes for a list of choices; the service says what may be chosen."""

    widget = GovCheckboxesInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(label, validators, **kwargs)


class ReviewForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the review's title"), Length(max=300)],
    )
    publisher = StringField(
        "Publisher",
        widget=GovTextInput(),
        description="Who published the review, for example North West Directors of Public Health",
        validators=[Length(max=200)],
    )
    published_on = GovDateField("Date published", description=f"For example, {example_date()}")
    summary = StringField("Summary", widget=GovTextArea(), validators=[Length(max=20000)])
    source_ref = StringField(
        "Source",
        widget=GovTextInput(),
        description="Where to find the review: a web address or a document reference",
        validators=[Length(max=500)],
    )
    submit = SubmitField("Save review", widget=GovSubmitInput())


class RecommendationForm(FlaskForm):
    ref = StringField(
        "Reference",
        widget=GovTextInput(),
        description="The review's own reference, for example R7",
        validators=[
            DataRequired("Enter the recommendation's reference, for example R7"),
            Length(max=40),
        ],
    )
    text = StringField(
        "Recommendation",
        widget=GovTextArea(),
        validators=[DataRequired("Enter the text of the recommendation"), Length(max=20000)],
    )
    # The service checks the level, so that an unknown one gets its message, not WTForms'.
    level = RadioField(
        "Level",
        widget=GovRadioInput(),
        choices=[SelectChoice(value, label) for value, label in LEVELS.items()],
        validate_choice=False,
        validators=[InputRequired("Select the level of the recommendation")],
    )
    themes = CheckboxesField("Themes")
    other_themes = StringField(
        "Other themes",
        widget=GovTextInput(),
        description="New themes, separated by commas",
        validators=[Length(max=1000)],
    )
    boards = CheckboxesField(
        "Boards it is for", coerce=int, description="Select the boards that adopt it"
    )
    submit = SubmitField("Save recommendation", widget=GovSubmitInput())
    add_another = SubmitField("Save and add another", widget=GovSubmitInput())

    def theme_names(self) -> list[str]:
        typed = (self.other_themes.data or "").split(",")
        return [*(self.themes.data or []), *(t.strip() for t in typed if t.strip())]


class AdoptForm(FlaskForm):
    """One board adopting one recommendation."""

    board = SelectField(
        "Board",
        widget=GovSelect(),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired("Select the board that adopts this recommendation")],
    )
    submit = SubmitField("Adopt for this board", widget=GovSubmitInput())


class BulkAdoptForm(FlaskForm):
    """One board adopting several of a review's recommendations at once."""

    recommendations = CheckboxesField("Recommendations to adopt", coerce=int)
    submit = SubmitField("Adopt the selected recommendations", widget=GovSubmitInput())


class TransitionForm(FlaskForm):
    """A step in a recommendation's workflow, with the fields that step requires."""

    comment = StringField("Reason", widget=GovTextArea(), validators=[Length(max=20000)])
    evidence = StringField(
        "Evidence",
        widget=GovTextArea(),
        description="What shows it has been put into effect: a report, an audit, minutes",
        validators=[Length(max=20000)],
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())

    def check_required(self, transition: Transition) -> bool:
        """Ask, in words, for each field the transition requires and was left blank."""
        verb = transition.label[:1].lower() + transition.label[1:]
        wanted = {"comment": f"Enter a reason to {verb}", "evidence": f"Enter evidence to {verb}"}
        ok = True
        for name in transition.requires:
            field = getattr(self, name, None)
            if field is not None and not (field.data or "").strip():
                field.errors = [*field.errors, wanted.get(name, f"Enter the {name}")]
                ok = False
        return ok

    def fields_for(self, transition: Transition) -> dict[str, str]:
        return {name: getattr(self, name).data for name in transition.requires}
