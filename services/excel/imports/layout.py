"""How a ministry tracker is laid out: a title block above the header, a header that may take
two rows (a parent cell merged over sub-headers, e.g. "Tempoh Pelaksanaan" over "Mula" and
"Tamat"), the columns matched by English and Malay names, and total or average rows under
the data. Plain functions over cell values; nothing here reads the database."""
from __future__ import annotations

import hashlib
import re
from typing import Any, Optional

from services.excel.imports.values import blank
from services.i18n.translate import N_

# field -> its name (a catalog key: the mapping editor and the problems show it translated)
TRACKER_FIELDS: dict[str, str] = {
    "id": N_("Item ID"), "title": N_("Action item"), "status": N_("Status"), "progress": N_("Progress (%)"),
    "due_date": N_("Due date"), "lead": N_("Lead"), "owner": N_("Owner"), "note": N_("Note"),
    "evidence": N_("Evidence link"),
}
# Normalised header names (lower case, no punctuation), English and Malay. A period
# ("Tempoh") is not a date: its sub-headers say which end is meant.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("item id", "id", "id item", "no item", "item no", "kod", "kod item", "no rujukan", "key"),
    "title": ("action item", "action", "action items", "tindakan", "perkara", "item", "aktiviti",
              "inisiatif", "butiran", "program", "tajuk", "activity", "task"),
    "status": ("status", "status pelaksanaan", "kedudukan", "status terkini"),
    "progress": ("progress", "progress %", "peratus kemajuan", "kemajuan", "kemajuan %", "peratus",
                 "peratus siap", "% siap", "percent complete", "completion", "% complete"),
    "due_date": ("due date", "due", "tarikh sasaran", "tarikh akhir", "sasaran", "tarikh siap",
                 "target date", "deadline", "tamat", "tarikh tamat", "end", "end date"),
    "lead": ("lead", "lead agency", "agensi peneraju", "peneraju", "agensi", "agensi pelaksana"),
    "owner": ("owner", "pegawai", "pegawai bertanggungjawab", "pegawai penyelaras", "person in charge",
              "pic", "focal point"),
    "note": ("note", "notes", "remarks", "catatan", "ulasan", "maklum balas", "comments", "comment"),
    "evidence": ("evidence", "evidence link", "bukti", "pautan", "link"),
}
NOT_FIELDS = ("mula", "tarikh mula", "start", "start date", "tempoh", "tempoh pelaksanaan")
SUMMARY_WORDS = ("jumlah", "purata", "keseluruhan", "total", "grand total", "subtotal", "average",
                 "sum", "合计", "总计", "平均", "小计")
AGGREGATE = re.compile(r"^=?\s*(SUM|AVERAGE|SUBTOTAL|COUNT|COUNTA|AGGREGATE|MAX|MIN)\s*\(", re.I)
HEADER_SEARCH_ROWS = 30


def normalise(header: Any) -> str:
    text = re.sub(r"[^\w%]+", " ", str(header or "").casefold())
    return " ".join(text.replace("(", " ").split())


def auto_mapping(headers: list[Any]) -> dict[str, Optional[int]]:
    """field -> column index (0-based) or None; exact names first, then names contained."""
    names = [normalise(h) for h in headers]
    mapping: dict[str, Optional[int]] = {}
    used = {i for i, n in enumerate(names) if n in NOT_FIELDS}
    for exact in (True, False):
        for key, words in SYNONYMS.items():
            if mapping.get(key) is not None:
                continue
            for i, name in enumerate(names):
                if i in used or not name:
                    continue
                if (name in words) if exact else any(len(w) > 3 and w in name for w in words):
                    mapping[key] = i
                    used.add(i)
                    break
    return {key: mapping.get(key) for key in TRACKER_FIELDS}


def find_header_row(rows: list[list[Any]]) -> Optional[int]:
    """1-based number of the first row that names a title column among other headers
    (a title block above it has one cell a row)."""
    for n, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        found = auto_mapping(values)
        if found["title"] is not None and sum(not blank(v) for v in values) >= 2:
            return n
    return None


def header_names(values: list[list[Any]], header_row: int, merged: list) -> tuple[list[str], int]:
    """The column names and the number of header rows (1 or 2). A parent cell merged across
    columns in the header row with sub-headers in the row below makes a two-row header: the
    columns under it are named by their sub-headers, the others by the header row."""
    top = [_text(v) for v in values[header_row - 1]]
    parents = [r for r in merged if r.min_row == r.max_row == header_row and r.max_col > r.min_col]
    below = values[header_row] if header_row < len(values) else []
    subs = [(c, _text(below[c - 1]) if c - 1 < len(below) else "") for r in parents
            for c in range(r.min_col, r.max_col + 1)]
    if not parents or not any(name for _, name in subs):
        return top, 1
    names = top + [""] * max(0, max(c for c, _ in subs) - len(top))
    for col, name in subs:
        names[col - 1] = name
    return names, 2


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def summary_label(values: list[Any], formulas: list[Optional[str]], title_col: Optional[int]) -> Optional[str]:
    """The label of a total or average row ('Purata kemajuan keseluruhan'), or None. Such a
    row has no action item of its own (or one that is only the label) and a summary word or
    an aggregate formula (SUM, AVERAGE, ...)."""
    title = values[title_col] if title_col is not None and title_col < len(values) else None
    texts = [str(v).strip() for v in values if isinstance(v, str) and v.strip()]
    worded = next((t for t in texts if normalise(t).split()[:1] and _summary_word(t)), None)
    aggregate = any(f and AGGREGATE.match(f) for f in formulas)
    if blank(title):
        return worded or ("=" + next(f for f in formulas if f and AGGREGATE.match(f)).lstrip("=") if aggregate else None)
    if worded is not None and str(title).strip() == worded and (aggregate or len(texts) == 1):
        return worded
    return None


def _summary_word(text: str) -> bool:
    words = normalise(text).split()
    return bool(words) and (words[0] in SUMMARY_WORDS or any(w in SUMMARY_WORDS for w in words[:3])
                            or any(text.strip().startswith(w) for w in ("合计", "总计", "平均", "小计")))


def signature(headers: list[str]) -> str:
    """A short fingerprint of a tracker's column names: the same headers, the same tracker
    kind (its remembered status-word mapping)."""
    joined = "\x1f".join(normalise(h) for h in headers if normalise(h))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]
