"""What the audit trail's action codes and object types mean, in words: defined once, used by
the Audit page (table and filters) and the audit export. The codes themselves stay as stored
(IT reads them, and filters match them); only their labels are translated. A test checks that
every code a service writes has a label here."""
from __future__ import annotations

from services.i18n.translate import N_
from services.labels import _label

ACTION_LABELS: dict[str, str] = {
    # signing in and out
    "sign_in": N_("Signed in"),
    "failed_sign_in": N_("Sign-in failed"),
    "lockout": N_("Account locked after failed sign-ins"),
    "sign_out": N_("Signed out"),
    "session_expired": N_("Session expired"),
    "change_password": N_("Own password changed"),
    "set_language": N_("Language preference changed"),
    "address_slowed": N_("Sign-ins slowed down for a network address"),
    "unlock_account": N_("Account unlocked"),
    "lift_address_wait": N_("Sign-in wait lifted for a network address"),
    # accounts
    "create_user": N_("User account created"),
    "reset_password": N_("Password reset"),
    "disable_user": N_("User account disabled"),
    "enable_user": N_("User account enabled"),
    "change_role": N_("User role changed"),
    # agreements, areas and items
    "create_agreement": N_("Agreement created"),
    "edit_agreement": N_("Agreement edited"),
    "edit_agreement_clock": N_("Agreement's dates and term changed"),
    "renew_agreement": N_("Agreement renewed (successor created)"),
    "carry_items": N_("Action items carried to another agreement"),
    "close_agreement": N_("Agreement closed with item outcomes"),
    "create_area": N_("Commitment area created"),
    "edit_area": N_("Commitment area edited"),
    "create_item": N_("Action item created"),
    "edit_item": N_("Action item edited"),
    "update_progress": N_("Progress updated"),
    "archive_agreement": N_("Agreement archived"),
    "archive_area": N_("Commitment area archived"),
    "archive_item": N_("Action item archived"),
    "restore_agreement": N_("Agreement restored"),
    "restore_area": N_("Commitment area restored"),
    "restore_item": N_("Action item restored"),
    "add_milestone": N_("Milestone added"),
    "complete_milestone": N_("Milestone marked reached"),
    "reopen_milestone": N_("Milestone reopened"),
    "add_evidence": N_("Evidence link added"),
    # meetings
    "create_meeting": N_("Meeting created"),
    "edit_meeting": N_("Meeting edited"),
    "add_decision": N_("Decision added to a meeting"),  # before the one writer (kept for old events)
    "record_decision": N_("Decision recorded"),
    "mark_meeting_held": N_("Meeting marked held"),
    "snapshot_meeting": N_("Agenda as presented recorded"),
    "create_body": N_("Joint body created"),
    "edit_body": N_("Joint body edited"),
    # data loading and exchange
    "seed": N_("Facts from the source document loaded"),
    "seed_sample": N_("Sample data loaded"),
    "remove_sample": N_("Sample data removed"),
    "seed_synthetic": N_("Synthetic test data loaded"),
    "excel_import": N_("Excel workbook imported"),
    "export": N_("Audit trail exported"),
    "download_backup": N_("Backup of the database downloaded"),
    # reminders
    "send_mail": N_("Reminder e-mail sent"),
    "request_updates": N_("Updates requested before a meeting"),
    "set_digest_frequency": N_("E-mail digest frequency changed"),
    # organisations and source documents (issue 16)
    "create_organisation": N_("Organisation created"),
    "edit_organisation": N_("Organisation edited"),
    "merge_organisation": N_("Two organisation records merged"),
    "delete_organisation": N_("Unused organisation deleted"),
    "add_document": N_("Source document attached"),
    # the text gate's migration (migrations/versions/0003_i12_clean_stored_text.py)
    "clean_text": N_("Stored text cleaned by the text gate"),
}

OBJECT_TYPE_LABELS: dict[str, str] = {
    "user": N_("User"),
    "audit": N_("Audit trail"),
    "agreement": N_("Agreement"),
    "area": N_("Commitment area"),
    "item": N_("Action item"),
    "milestone": N_("Milestone"),
    "evidence": N_("Evidence"),
    "meeting": N_("Meeting"),
    "decision": N_("Decision"),
    "organisation": N_("Organisation"),
    "document": N_("Source document"),
    "source_document": N_("Source document"),
    "package": N_("Package"),
    "progress_update": N_("Progress update"),
    "body": N_("Joint body"),
}


# An unknown code shows as itself (as styles' labels do), so an event written by newer code
# is visible rather than blank.
def action_label(code: str | None, lang: str = "en") -> str:
    return _label(ACTION_LABELS, code, lang)


def object_type_label(kind: str | None, lang: str = "en") -> str:
    return _label(OBJECT_TYPE_LABELS, kind, lang)
