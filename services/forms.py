"""Pydantic's validation errors as catalog messages, so a form's problems reach the page in
the user's language: 'Title: String should have at least 3 characters.' in English,
'Tajuk: ...' in Malay. The English wording stays pydantic's own."""
from __future__ import annotations

from pydantic import ValidationError

from services.errors import Joined, Message, ValidationFailed
from services.i18n.translate import N_

# Pydantic error type -> our key; the {placeholders} are pydantic's own context names.
PROBLEMS: dict[str, str] = {
    "missing": N_("Field required"),
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "int_parsing": N_("Input should be a valid integer"),
    "int_type": N_("Input should be a valid integer"),
    "float_parsing": N_("Input should be a valid number"),
    "float_type": N_("Input should be a valid number"),
    "date_from_datetime_parsing": N_("Input should be a valid date (YYYY-MM-DD)"),
    "date_parsing": N_("Input should be a valid date (YYYY-MM-DD)"),
    "date_type": N_("Input should be a valid date (YYYY-MM-DD)"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "list_type": N_("Input should be a valid list"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
}

# The form fields as a problem names them (the field name, spaced and capitalised), marked
# for the catalog so the name is translated with the problem.
FIELDS = (
    N_("Form"), N_("Code"), N_("Kind"), N_("Title en"), N_("Title ms"), N_("Lead org id"),
    N_("Counterpart ids"), N_("Signed on"), N_("Signed date note"), N_("Place"), N_("Signatories"),
    N_("Witnesses"), N_("Status"), N_("Expires on"), N_("Source document id"), N_("Agreement id"),
    N_("Category"), N_("Position"), N_("Quote"), N_("Area id"), N_("Title"), N_("Description"),
    N_("Supporting org ids"), N_("Counterpart focal point"), N_("Owner name"), N_("Owner email"),
    N_("Start date"), N_("Due date"), N_("Priority"), N_("Weight"), N_("Meeting id"), N_("Body"),
    N_("Held on"), N_("Venue"), N_("Attendees my"), N_("Attendees counterpart"), N_("Summary"),
    N_("Title zh"), N_("Name"), N_("Organisation"), N_("Role"), N_("Side"),
)


# A field named as its form labels it, where the label is not the field's name spaced out: a
# problem must name what the user sees ("Name (English)", not "Name en"; "Date", not "Held on").
FIELD_LABELS: dict[str, str] = {
    "title_en": N_("Title (English)"), "title_ms": N_("Title (Bahasa Melayu)"), "title_zh": N_("Title (Chinese)"),
    "name_en": N_("Name (English)"), "name_ms": N_("Name (Bahasa Melayu)"), "name_zh": N_("Name (Chinese)"),
    "held_on": N_("Date"), "lead_org_id": N_("Lead organisation"), "owner_name": N_("Owner"),
    "owner_email": N_("Owner e-mail"), "attendees_my": N_("Attendees (Malaysia)"),
    "attendees_counterpart": N_("Attendees (counterpart)"), "due_date": N_("Due"), "start_date": N_("Start"),
    "code": N_("Reference code"), "counterpart_ids": N_("Counterparts"), "area_id": N_("Commitment area"),
    "agreement_id": N_("Agreement"), "supporting_org_ids": N_("Supporting organisations"),
    "cadence_months": N_("Meets every (months)"), "agreement_ids": N_("Agreements overseen"),
}


def _number(value: object) -> object:
    """10.0 -> 10: pydantic's bounds of float fields read better as whole numbers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def problem_message(err: dict) -> Message:
    """One pydantic error as 'Field: problem.'"""
    where = ".".join(str(p) for p in err["loc"]).replace("_", " ") or "form"
    # an empty date, number or choice box gives None: the field was left empty, not mistyped
    kind = "missing" if err.get("input", "") is None and err["type"].endswith("_type") else err["type"]
    key = PROBLEMS.get(kind)
    if key is not None:
        ctx = {k: _number(v) for k, v in (err.get("ctx") or {}).items() if k != "error"}
        problem = Message(key, **ctx)
    else:  # our own validators raise ValueError(N_("...")): the text is a catalog key
        problem = Message(err["msg"].removeprefix("Value error, "))
    label = FIELD_LABELS.get(".".join(str(p) for p in err["loc"]))
    return Message(N_("{field}: {problem}."), field=Message(label or where.capitalize()), problem=problem)


def validation_failed(exc: ValidationError) -> ValidationFailed:
    """ValidationFailed listing each field's problem in plain words."""
    problems = [problem_message(err) for err in exc.errors()]
    return ValidationFailed(N_("Please correct: {details}"), problems, details=Joined(problems))
