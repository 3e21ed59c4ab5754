"""Status, RAG and category labels and colours: defined once, used by the pages, the charts,
the Excel report and the PowerPoint pack. Colours follow the Okabe-Ito palette, which stays
distinguishable for the common colour-vision deficiencies; RAG always carries its label too."""
from __future__ import annotations

from models.enums import RAG, AgreementStatus, Category, ItemStatus, Priority, Role

STATUS_LABELS: dict[str, str] = {
    ItemStatus.NOT_STARTED: "Not started",
    ItemStatus.IN_PROGRESS: "In progress",
    ItemStatus.COMPLETED: "Completed",
    ItemStatus.ON_HOLD: "On hold",
    ItemStatus.CANCELLED: "Cancelled",
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
    RAG.RED: "Red",
    RAG.AMBER: "Amber",
    RAG.GREEN: "Green",
    NO_RAG: "No rating",
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
    Category.JOINT_WORKING_GROUP: "Joint working group",
    Category.TECHNICAL_EXCHANGE: "Technical exchange",
    Category.AI_DATASETS_INFRA: "AI datasets and infrastructure",
    Category.TALENT: "Talent programme",
    Category.POLICY: "Policy and regulation",
    Category.ETHICS_SAFETY: "Ethics and safety",
    Category.CITY_ENTERPRISE: "City and enterprise projects",
    Category.PUBLIC_LITERACY: "Public literacy",
    Category.OTHER: "Other",
}
AGREEMENT_STATUS_LABELS: dict[str, str] = {
    AgreementStatus.UNDER_NEGOTIATION: "Under negotiation",
    AgreementStatus.IN_FORCE: "In force",
    AgreementStatus.EXPIRED: "Expired",
    AgreementStatus.TERMINATED: "Terminated",
}
PRIORITY_LABELS: dict[str, str] = {
    Priority.HIGH: "High", Priority.MEDIUM: "Medium", Priority.LOW: "Low",
}
ROLE_LABELS: dict[str, str] = {
    Role.VIEWER: "Viewer",
    Role.FOCAL_POINT: "Focal point",
    Role.SECRETARIAT: "Secretariat",
    Role.ADMIN: "Administrator",
}
COMPLETION_LABELS: dict[str, str] = {
    "not_started": "Not started",
    "limited": "Limited",
    "substantial": "Substantial",
    "complete": "Complete",
}


def rag_key(rag: str | None) -> str:
    return rag or NO_RAG


def rag_text(rag: str | None) -> str:
    """The label with a shape, so RAG never relies on colour alone."""
    key = rag_key(rag)
    return f"{RAG_SYMBOLS[key]} {RAG_LABELS[key]}"

# Chart furniture, also from Okabe-Ito: black for reference marks, blues for quantities.
REFERENCE_COLOUR = "#000000"
PROGRESS_COLOUR = "#0072B2"
HEATMAP_SCALE: list[list] = [[0.0, "#FFFFFF"], [0.35, "#56B4E9"], [1.0, "#0072B2"]]
CHART_FONT = {"family": "Arial, Helvetica, sans-serif", "size": 14}
MEETING_FONT_SIZE = 20  # presenter screens are read from across a room


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
OUTLINE_COLOUR = "#333333"  # bar outlines keep pale fills (No rating) visible on white
GRID_COLOUR = "#EEEEEE"
COMPLETION_BAND_COLOURS: dict[str, str] = {"limited": "#F0E442", "substantial": "#56B4E9"}
