"""What every page with a form shares: turning a service's complaints into form errors."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm

from tracker.common.errors import ValidationFailed


def apply_errors(
    form: FlaskForm, error: ValidationFailed, field_names: Mapping[str, str] | None = None
) -> None:
    """Show each of the service's field messages on the matching form field.

    ``field_names`` maps a service field (``owner``) to the form's (``owner_email``) where they
    differ. A message for a field the form does not have goes to the top of the form, so that
    nothing the service said is lost.
    """
    field_names = field_names or {}
    for name, message in error.fields.items():
        field = getattr(form, field_names.get(name, name), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
        else:
            form.form_errors.append(message)
