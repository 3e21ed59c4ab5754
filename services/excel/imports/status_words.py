"""The value-mapping step: a tracker's own status words ("Lewat", "KIV", "WIP") that no status
matches are each mapped once by the user to a status, with a suggestion, and the mapping is
remembered for the next import of a tracker with the same headers (AppSetting, keyed by the
header signature). The command line reads the same mapping from a JSON file."""
from __future__ import annotations

import json
from typing import Any, Optional

from sqlmodel import Session

from models import AppSetting
from services.excel.common import parse_status
from services.errors import ValidationFailed
from services.i18n.translate import N_
from services.labels import STATUS_ORDER

KEY = "import.statuses.{signature}"
# Words officials use for a state the tracker records another way, and what they usually mean.
_SUGGEST = (
    (("sebahagian", "hampir", "partial", "partly", "almost", "nearly"), "in_progress"),
    (("kiv", "keep in view", "tertangguh", "tangguh", "postpone", "deferred", "pending", "hold"), "on_hold"),
    (("batal", "cancel", "drop", "tarik balik", "withdrawn"), "cancelled"),
    (("belum", "not started", "not yet", "tiada tindakan", "new", "baru"), "not_started"),
    (("selesai", "siap", "complete", "done", "closed", "tutup"), "completed"),
    (("lewat", "late", "delay", "tindakan", "proses", "wip", "progress", "ongoing", "berjalan",
      "pelaksanaan", "on track", "started"), "in_progress"),
)


def suggest_status(word: str) -> Optional[str]:
    """The status a word most likely means, or None: a suggestion the user confirms."""
    folded = " ".join(word.split()).casefold()
    for needles, status in _SUGGEST:
        if any(n in folded for n in needles):
            return status
    return None


def remembered(session: Session, signature: str) -> dict[str, str]:
    """The mapping saved for trackers with this header signature ({} when none)."""
    if not signature:
        return {}
    row = session.get(AppSetting, KEY.format(signature=signature))
    try:
        data = json.loads(row.value) if row else {}
    except ValueError:
        return {}
    return {str(k): v for k, v in data.items() if v in STATUS_ORDER} if isinstance(data, dict) else {}


def remember(session: Session, signature: str, mapping: dict[str, str]) -> None:
    """Save the words' mapping with the caller's transaction (merged over what was saved)."""
    if not signature or not mapping:
        return
    key = KEY.format(signature=signature)
    merged = remembered(session, signature) | {k: v for k, v in mapping.items() if v in STATUS_ORDER}
    row = session.get(AppSetting, key) or AppSetting(key=key, value="{}")
    row.value = json.dumps(merged, ensure_ascii=False, sort_keys=True)
    session.add(row)


def load_mapping_file(text: str) -> dict[str, str]:
    """A --values file: a JSON object word -> status (a stored value such as "on_hold" or a
    label in any language such as "On hold" / "Ditangguhkan"). Raises ValidationFailed."""
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise ValidationFailed(N_("The values file is not valid JSON: {error}"), error=str(exc)) from None
    if not isinstance(data, dict):
        raise ValidationFailed(N_("The values file must hold one JSON object: {{\"word\": \"status\", ...}}."))
    out = {}
    for word, value in data.items():
        status = parse_status(value) if isinstance(value, str) else None
        if status is None:
            raise ValidationFailed(N_("In the values file, '{word}' maps to '{value}', which is not a status."),
                                   word=word, value=value)
        out[" ".join(str(word).split())] = status
    return out
