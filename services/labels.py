"""Status, RAG and category labels and colours: defined once, used by the pages, the charts,
the Excel report and the PowerPoint pack. Colours follow the Okabe-Ito palette, which stays
distinguishable for the common colour-vision deficiencies; RAG always carries its label too."""
from __future__ import annotations

from models.enums import RAG, AgreementKind, AgreementStatus, Category, ItemStatus, Priority, Role
from services.i18n.translate import N_, gettext

STATUS_LABELS: dict[str, str] = {
    ItemStatus.NOT_STARTED: N_("Not started"),
    ItemStatus.IN_PROGRESS: N_("In progress"),
    ItemStatus.COMPLETED: N_("Completed"),
    ItemStatus.ON_HOLD: N_("On hold"),
    ItemStatus.CANCELLED: N_("Cancelled"),
}
STATUS_ORDER: list[str] = [s.value for s in ItemStatus]
STATUS_COLOURS: dict[str, str] = {
    ItemStatus.NOT_STARTED: "#BBBBBB",
    ItemStatus.IN_PROGRESS: "#0072B2",
    ItemStatus.COMPLETED: "#009E73",
    ItemStatus.ON_HOLD: "#CC79A7",
    ItemStatus.CANCELLED: "#666666",
}

NO_RAG = "none"
RAG_LABELS: dict[str, str] = {
    RAG.RED: N_("Red"),
    RAG.AMBER: N_("Amber"),
    RAG.GREEN: N_("Green"),
    NO_RAG: N_("No rating"),
}
RAG_ORDER: list[str] = [RAG.RED.value, RAG.AMBER.value, RAG.GREEN.value, NO_RAG]
RAG_COLOURS: dict[str, str] = {
    RAG.RED: "#D55E00",
    RAG.AMBER: "#E69F00",
    RAG.GREEN: "#009E73",
    NO_RAG: "#DDDDDD",
}
RAG_SYMBOLS: dict[str, str] = {RAG.RED: "●", RAG.AMBER: "▲", RAG.GREEN: "■", NO_RAG: "○"}

CATEGORY_LABELS: dict[str, str] = {
    Category.JOINT_WORKING_GROUP: N_("Joint working group"),
    Category.TECHNICAL_EXCHANGE: N_("Technical exchange"),
    Category.AI_DATASETS_INFRA: N_("AI datasets and infrastructure"),
    Category.TALENT: N_("Talent programme"),
    Category.POLICY: N_("Policy and regulation"),
    Category.ETHICS_SAFETY: N_("Ethics and safety"),
    Category.CITY_ENTERPRISE: N_("City and enterprise projects"),
    Category.PUBLIC_LITERACY: N_("Public literacy"),
    Category.OTHER: N_("Other"),
}
# Abbreviations stay as they are in every language (officials write MoU and LOI in Malay too).
KIND_LABELS: dict[str, str] = {
    AgreementKind.MOU: "MoU", AgreementKind.LOI: "LOI", AgreementKind.MOA: "MoA",
    AgreementKind.AGREEMENT: N_("Agreement"), AgreementKind.OTHER: N_("Other"),
}
AGREEMENT_STATUS_LABELS: dict[str, str] = {
    AgreementStatus.DRAFT: N_("Draft"),
    AgreementStatus.UNDER_NEGOTIATION: N_("Under negotiation"),
    AgreementStatus.SIGNED: N_("Signed"),
    AgreementStatus.IN_FORCE: N_("In force"),
    AgreementStatus.RENEWED: N_("Renewed"),
    AgreementStatus.EXPIRED: N_("Expired"),
    AgreementStatus.TERMINATED: N_("Terminated"),
    AgreementStatus.SUPERSEDED: N_("Superseded"),
}
# The stage of an agreement's delivery (services/lifecycle/clock.py derives it).
STAGE_LABELS: dict[str, str] = {
    "draft": N_("Not signed yet"),
    "signed": N_("Signed"),
    "focal_points": N_("Focal points named"),
    "joint_body": N_("Joint body set up"),
    "first_meeting": N_("First meeting held"),
    "first_deliverable": N_("First deliverable completed"),
    "closed": N_("Closed"),
}
OUTCOME_LABELS: dict[str, str] = {
    "achieved": N_("Achieved"), "partly_achieved": N_("Partly achieved"),
    "not_achieved": N_("Not achieved"), "dropped": N_("Dropped"),
}
RELATION_LABELS: dict[str, str] = {
    "succeeds": N_("Succeeds"), "amends": N_("Amends"), "related_to": N_("Related to"),
}
ORG_KIND_LABELS: dict[str, str] = {
    "ministry": N_("Ministry"), "agency": N_("Agency"), "university": N_("University"), "company": N_("Company"),
    "international": N_("International body"), "other": N_("Other"),
}
PRIORITY_LABELS: dict[str, str] = {
    Priority.HIGH: N_("High"), Priority.MEDIUM: N_("Medium"), Priority.LOW: N_("Low"),
}
ROLE_LABELS: dict[str, str] = {
    Role.VIEWER: N_("Viewer"),
    Role.FOCAL_POINT: N_("Focal point"),
    Role.SECRETARIAT: N_("Secretariat"),
    Role.ADMIN: N_("Administrator"),
}
COMPLETION_LABELS: dict[str, str] = {
    "not_started": N_("Not started"),
    "limited": N_("Limited"),
    "substantial": N_("Substantial"),
    "complete": N_("Complete"),
}


def rag_key(rag: str | None) -> str:
    return rag or NO_RAG


def _label(labels: dict[str, str], key: str | None, lang: str) -> str:
    if key is None:
        return ""
    english = labels.get(key)
    return gettext(lang, english) if english else str(key)


def rag_text(rag: str | None, lang: str = "en") -> str:
    """The label with a shape, so RAG never relies on colour alone."""
    key = rag_key(rag)
    return f"{RAG_SYMBOLS[key]} {rag_label(key, lang)}"


# The labels in a language, for pages, chart legends, Excel and PowerPoint alike. An unknown
# key shows as itself, so a value added later is visible rather than blank.
def status_label(key: str | None, lang: str = "en") -> str:
    return _label(STATUS_LABELS, key, lang)


def rag_label(key: str | None, lang: str = "en") -> str:
    return _label(RAG_LABELS, rag_key(key), lang)


def category_label(key: str | None, lang: str = "en") -> str:
    return _label(CATEGORY_LABELS, key, lang)


def kind_label(key: str | None, lang: str = "en") -> str:
    return _label(KIND_LABELS, key, lang)


def agreement_status_label(key: str | None, lang: str = "en") -> str:
    return _label(AGREEMENT_STATUS_LABELS, key, lang)


def stage_label(key: str | None, lang: str = "en") -> str:
    return _label(STAGE_LABELS, key, lang)


def outcome_label(key: str | None, lang: str = "en") -> str:
    return _label(OUTCOME_LABELS, key, lang)


def relation_label(key: str | None, lang: str = "en") -> str:
    return _label(RELATION_LABELS, key, lang)


def priority_label(key: str | None, lang: str = "en") -> str:
    return _label(PRIORITY_LABELS, key, lang)


def role_label(key: str | None, lang: str = "en") -> str:
    return _label(ROLE_LABELS, key, lang)


def completion_label(key: str | None, lang: str = "en") -> str:
    return _label(COMPLETION_LABELS, key, lang)


def labels_in(labels: dict[str, str], lang: str) -> dict[str, str]:
    """A whole label table in one language (for chart legends and category orders)."""
    return {key: gettext(lang, text) for key, text in labels.items()}


# Chart furniture, also from Okabe-Ito: black for reference marks, blues for quantities.
REFERENCE_COLOUR = "#000000"
PROGRESS_COLOUR = "#0072B2"
HEATMAP_SCALE: list[list] = [[0.0, "#FFFFFF"], [0.35, "#56B4E9"], [1.0, "#0072B2"]]
# Chinese labels need a CJK face: named after the Latin ones so Latin text keeps its look.
CHART_FONT = {"family": "Arial, Helvetica, Noto Sans CJK SC, Microsoft YaHei, sans-serif", "size": 14}
MEETING_FONT_SIZE = 20  # presenter screens are read from across a room
OUTLINE_COLOUR = "#333333"  # bar outlines keep pale fills (No rating) visible on white
GRID_COLOUR = "#EEEEEE"
COMPLETION_BAND_COLOURS: dict[str, str] = {"limited": "#F0E442", "substantial": "#56B4E9"}
