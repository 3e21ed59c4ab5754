"""Form fields for agreements, commitment areas, action items and meetings. Each returns the
plain dict the service validates; the services give every field its message."""
from __future__ import annotations

from typing import Callable, Optional

import streamlit as st

from models import AgreementKind, Priority
from services import labels
from services.errors import ServiceError
from services.i18n.translate import N_
from services.agreements.options import Options
from ui.feedback import confirm_and_refresh, created
from ui.i18n import carried_key, date_format, error_text, lang_key, t
from ui.widgets import kind_label, md_escape


def _index(keys: list, current) -> int:  # noqa: ANN001
    return keys.index(current) if current in keys else 0


def choose(label: str, choices: dict, current=None, *, key: str, optional: bool = False):  # noqa: ANN001, ANN201
    """A select box whose values are the keys of `choices` (ids, codes) and whose labels are its
    values, in the reader's language. Keyed by language (ui.i18n.carried_key: the widget is
    `key`_<lang>), so a language switch draws it at once with the new labels, the choice
    carried over; `current` is the choice when nothing is chosen yet. Returns the chosen key."""
    keys = ([None] if optional else []) + list(choices)
    key = carried_key(key)
    index = 0 if key in st.session_state else _index(keys, current)  # the state wins; no default beside it
    return st.selectbox(label, keys, index=index, key=key,
                        format_func=lambda k: "–" if k is None else choices[k])


def open_after_save(key: str, value: object) -> None:
    """Make the select box `key` show `value` on the next rerun (a widget's state cannot be
    set once it is on the page): after a create, the form turns into editing the new object."""
    st.session_state[f"_next_{key}"] = value


def take_pending(key: str, *, by_language: bool = True) -> None:
    """Call before drawing the widget `key`: apply open_after_save's choice. by_language: the
    widget is keyed by language (a choose() select box); False for a plain key."""
    if f"_next_{key}" in st.session_state:
        st.session_state[lang_key(key) if by_language else key] = st.session_state.pop(f"_next_{key}")


def item_fields(opts: Options, cur: dict, *, prefix: str, area_id: Optional[int] = None) -> dict:
    c = st.columns(2)
    data = {
        "area_id": area_id if area_id is not None else choose(t("Commitment area"), opts.areas, cur.get("area_id"), key=f"{prefix}_area"),
        "title": c[0].text_input(t("Title (English)"), cur.get("title") or "", max_chars=500, key=f"{prefix}_title"),
        "category": c[1].selectbox(t("Category"), list(labels.CATEGORY_LABELS), key=f"{prefix}_cat",
                                   index=_index(list(labels.CATEGORY_LABELS), cur.get("category")),
                                   format_func=lambda k: t(labels.CATEGORY_LABELS[k])),
    }
    # The title in Malay and Chinese, so Malay and Chinese pages show no ‹EN› marker.
    c = st.columns(2)
    data["title_ms"] = c[0].text_input(t("Title (Bahasa Melayu)"), cur.get("title_ms") or "", max_chars=500,
                                       key=f"{prefix}_tms")
    data["title_zh"] = c[1].text_input(t("Title (Chinese)"), cur.get("title_zh") or "", max_chars=500, key=f"{prefix}_tzh")
    data["description"] = st.text_area(t("Description"), cur.get("description") or "", key=f"{prefix}_desc")
    c = st.columns(2)
    with c[0]:
        data["lead_org_id"] = choose(t("Lead organisation"), opts.org_names, cur.get("lead_org_id"), key=f"{prefix}_lead", optional=True)
    data["supporting_org_ids"] = c[1].multiselect(t("Supporting organisations"), list(opts.orgs), key=f"{prefix}_sup",
                                                  default=cur.get("supporting_org_ids") or [], format_func=opts.orgs.get,
                                                  placeholder=t("Choose options"))
    c = st.columns(3)
    data["counterpart_focal_point"] = c[0].text_input(t("Counterpart focal point"), cur.get("counterpart_focal_point") or "", key=f"{prefix}_cfp")  # noqa: E501
    data["owner_name"] = c[1].text_input(t("Owner"), cur.get("owner_name") or "", key=f"{prefix}_owner")
    data["owner_email"] = c[2].text_input(t("Owner e-mail"), cur.get("owner_email") or "", key=f"{prefix}_email")
    c = st.columns(4)
    data["start_date"] = c[0].date_input(t("Start"), cur.get("start_date"), key=f"{prefix}_start", format=date_format())
    data["due_date"] = c[1].date_input(t("Due"), cur.get("due_date"), key=f"{prefix}_due", format=date_format())
    data["priority"] = c[2].selectbox(t("Priority"), [p.value for p in Priority], key=f"{prefix}_prio",
                                      index=_index([p.value for p in Priority], cur.get("priority") or "medium"),
                                      format_func=lambda p: t(labels.PRIORITY_LABELS[p]))
    data["weight"] = c[3].number_input(t("Weight"), 0.1, 100.0, float(cur.get("weight") or 1.0), key=f"{prefix}_w")
    return data


# Facts the secretariat enters in each language: English in the plain column, then _ms, _zh.
SIGNING_NOTE_LABELS = (N_("Signing date note (English)"), N_("Signing date note (Bahasa Melayu)"),
                       N_("Signing date note (Chinese)"))
SIGNATORIES_LABELS = (N_("Signatories (English)"), N_("Signatories (Bahasa Melayu)"), N_("Signatories (Chinese)"))
WITNESSES_LABELS = (N_("Witnesses (English)"), N_("Witnesses (Bahasa Melayu)"), N_("Witnesses (Chinese)"))


def _per_language(field: str, labels: tuple[str, str, str], cur: dict, *, key: str) -> dict:
    """One input per language, side by side; the keys are the columns they fill."""
    columns = (field, f"{field}_ms", f"{field}_zh")
    return {column: col.text_input(t(label), cur.get(column) or "", key=f"{key}_{lang}")
            for col, column, label, lang in zip(st.columns(3), columns, labels, ("en", "ms", "zh"))}


def agreement_fields(opts: Options, docs: dict[int, str], cur: dict, *, prefix: str) -> dict:
    c = st.columns(3)
    data = {
        "code": c[0].text_input(t("Reference code"), cur.get("code") or "", max_chars=40, key=f"{prefix}_code"),
        "kind": c[1].selectbox(t("Type"), [k.value for k in AgreementKind], key=f"{prefix}_kind",
                               index=_index([k.value for k in AgreementKind], cur.get("kind")), format_func=kind_label),
        "status": c[2].selectbox(t("Status"), list(labels.AGREEMENT_STATUS_LABELS), key=f"{prefix}_status",
                                 index=_index(list(labels.AGREEMENT_STATUS_LABELS), cur.get("status") or "in_force"),
                                 format_func=lambda s: t(labels.AGREEMENT_STATUS_LABELS[s])),
        "title_en": st.text_input(t("Title (English)"), cur.get("title_en") or "", max_chars=500, key=f"{prefix}_ten"),
        "title_ms": st.text_input(t("Title (Bahasa Melayu)"), cur.get("title_ms") or "", max_chars=500, key=f"{prefix}_tms"),
        "title_zh": st.text_input(t("Title (Chinese)"), cur.get("title_zh") or "", max_chars=500, key=f"{prefix}_tzh"),
    }
    c = st.columns(2)
    with c[0]:
        data["lead_org_id"] = choose(t("Malaysian lead"), opts.org_names, cur.get("lead_org_id"), key=f"{prefix}_lead")
    data["counterpart_ids"] = c[1].multiselect(t("Counterparts"), list(opts.orgs), default=cur.get("counterpart_ids") or [],
                                               format_func=opts.orgs.get, key=f"{prefix}_cps", placeholder=t("Choose options"))
    c = st.columns(3)
    data["signed_on"] = c[0].date_input(t("Signed on"), cur.get("signed_on"), key=f"{prefix}_signed", format=date_format())
    data["expires_on"] = c[1].date_input(t("Expires on"), cur.get("expires_on"), key=f"{prefix}_exp", format=date_format())
    data["place"] = c[2].text_input(t("Place"), cur.get("place") or "", key=f"{prefix}_place")
    data.update(_per_language("signed_date_note", SIGNING_NOTE_LABELS, cur, key=f"{prefix}_sdn"))
    data.update(_per_language("signatories", SIGNATORIES_LABELS, cur, key=f"{prefix}_sig"))
    data.update(_per_language("witnesses", WITNESSES_LABELS, cur, key=f"{prefix}_wit"))
    data["source_document_id"] = choose(t("Source document"), docs, cur.get("source_document_id"), key=f"{prefix}_doc", optional=True)
    return data


def area_fields(opts: Options, cur: dict, *, prefix: str) -> dict:
    data = {"agreement_id": choose(t("Agreement"), opts.agreements, cur.get("agreement_id"), key=f"{prefix}_agr")}
    c = st.columns([3, 2, 1])
    data["title_en"] = c[0].text_input(t("Title (English)"), cur.get("title_en") or "", key=f"{prefix}_ten")
    # No pre-selected category for a new area: "Joint working group" would create a meeting body.
    cats = list(labels.CATEGORY_LABELS)
    data["category"] = c[1].selectbox(t("Category"), cats, key=f"{prefix}_cat", placeholder=t("Choose a category"),
                                      index=cats.index(cur["category"]) if cur.get("category") in cats else None,
                                      format_func=lambda k: t(labels.CATEGORY_LABELS[k]))
    data["position"] = c[2].number_input(t("Position"), 0, 1000, int(cur.get("position") or 0), key=f"{prefix}_pos")
    c = st.columns(2)
    data["title_ms"] = c[0].text_input(t("Title (Bahasa Melayu)"), cur.get("title_ms") or "", key=f"{prefix}_tms")
    data["title_zh"] = c[1].text_input(t("Title (Chinese)"), cur.get("title_zh") or "", key=f"{prefix}_tzh")
    data["quote"] = st.text_area(t("Source clause: copy it verbatim from the source text below"),
                                 cur.get("quote") or "", key=f"{prefix}_quote")
    return data


def meeting_fields(cur: dict, *, prefix: str) -> dict:
    """A meeting's date (ahead: a planned meeting), venue, attendees and summary; its body is
    the one the page shows."""
    c = st.columns(2)
    return {
        "held_on": c[0].date_input(t("Date"), cur.get("held_on"), key=f"{prefix}_date", format=date_format()),
        "venue": c[1].text_input(t("Venue"), cur.get("venue") or "", key=f"{prefix}_venue"),
        "attendees_my": st.text_area(t("Attendees (Malaysia)"), cur.get("attendees_my") or "", key=f"{prefix}_my"),
        "attendees_counterpart": st.text_area(t("Attendees (counterpart)"), cur.get("attendees_counterpart") or "", key=f"{prefix}_cp"),
        "summary": st.text_area(t("Summary"), cur.get("summary") or "", key=f"{prefix}_sum"),
    }


def save(action: Callable[[], object], success: str, *, form: Optional[str] = None,
         then: Optional[Callable[[object], None]] = None) -> bool:
    """Run a service write. On a refusal show each problem on its own line and return False
    (the input stays). On success call `then(result)` (e.g. open the new object for editing),
    retire the create form `form` (ui.feedback.form_key: a second press creates nothing),
    confirm with a toast and rerun so every figure on the page is fresh; does not return."""
    try:
        result = action()
    except ServiceError as exc:
        problems = getattr(exc, "problems", None) or [exc]
        st.error("\n".join(f"- {md_escape(error_text(p))}" for p in problems))
        return False
    if then is not None:
        then(result)
    if form is not None:
        created(form, success)
    confirm_and_refresh(success)
    return True  # not reached: confirm_and_refresh reruns
