"""The clause splitter: a document's text -> proposed clauses, by rules you can read here.

1. Blocks. Each non-empty line is a block. A block opening with an article marker
   ("Article 3", "Perkara 3", "Fasal 3", "3.", "3.1") or a paragraph marker ("(a)", "a)",
   "(iv)") carries that marker as the clause's label; the marker is not part of the clause.
   A sentence with no lowercase letter (a heading) or of fewer than four words (one in a
   lettered paragraph) is no clause;
   an article heading's label is carried on to the paragraphs under it.
2. Sentences. A block is cut after '.', '!' or '?' followed by a space and a capital,
   a digit, a quote mark or a bracket.
3. Lists. A sentence with a list opener ("termasuk", "melalui", "dalam bidang", "melibatkan",
   "seperti"; "including", "through", "in the areas of", "in the fields of", "such as",
   "involve") outside brackets becomes one clause per list entry after the opener: entries
   are separated by ';' when there is one (outside brackets), otherwise by ',' with the
   last ' dan ' / ' serta ' / ' and ' / ' as well as ' closing the list. A leading
   'dan', 'serta', 'and' and the closing punctuation are not part of an entry.
   A sentence without an opener is one clause. A trailing '; and' / '; dan' is dropped.
4. Each clause gets a suggested category (the first keyword table that matches, below) and
   an `explore` flag when it only promises to explore or study something (such a commitment
   needs a verifiable first action).

Offsets are character positions in the text given, so text[start:end] == clause.text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from models import Category

OPENERS = {
    "ms": ("termasuk", "melalui", "dalam bidang", "melibatkan", "seperti"),
    "en": ("including", "through", "in the areas of", "in the fields of", "in the field of", "such as",
           "involve", "involves", "include", "includes"),
}
LAST_JOINERS = {"ms": (" dan ", " serta "), "en": (" as well as ", " and ")}
LEADING = re.compile(r"^(?:dan|serta|and|as well as|or|atau)\s+", re.IGNORECASE)
TRAILING = re.compile(r"[;,]?\s+(?:dan|serta|and|or|atau)$", re.IGNORECASE)  # "(b) training; and"
ARTICLE = re.compile(r"^(?:(?:article|perkara|fasal|artikel|section|seksyen|clause)\s+[0-9IVXLC]+[A-Za-z]?"
                     r"|\d{1,2}(?:\.\d{1,2})*\.?(?=\s))\s*[:.\-–—]?\s*", re.IGNORECASE)
PARAGRAPH = re.compile(r"^(?:\(([a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)|([a-z]|[ivx]{1,5})\))\s+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘\"'(])")
EXPLORE = re.compile(r"\b(meneroka|menerokai|kemungkinan|kajian kebolehlaksanaan|explore|exploring|"
                     r"study the possibility|possibility of|feasibility)\b", re.IGNORECASE)

# Category -> keywords (Malay and English), tried in this order; the first match wins.
CATEGORY_WORDS: list[tuple[Category, tuple[str, ...]]] = [
    (Category.JOINT_WORKING_GROUP, ("kumpulan kerja", "jawatankuasa", "working group", "committee",
                                    "steering group")),
    (Category.PUBLIC_LITERACY, ("literasi", "kesedaran awam", "literacy", "public awareness")),
    (Category.ETHICS_SAFETY, ("etika", "keselamatan", "ethic", "ethics", "ethical", "safety", "security")),
    (Category.TECHNICAL_EXCHANGE, ("pertukaran teknikal", "lawatan", "pertukaran pakar", "technical exchange",
                                   "exchange of experts", "study visit", "study visits")),
    (Category.AI_DATASETS_INFRA, ("infrastruktur", "set data", "pusat data", "infrastructure", "dataset",
                                  "datasets", "data centre", "data centres")),
    (Category.TALENT, ("bakat", "latihan", "biasiswa", "talent", "training", "scholarship", "scholarships",
                       "capacity building")),
    (Category.POLICY, ("dasar", "peraturan", "perundangan", "policy", "policies", "regulation",
                       "regulations", "regulatory")),
    (Category.CITY_ENTERPRISE, ("bandar", "perusahaan", "syarikat", "city", "cities", "enterprise",
                                "enterprises", "companies")),
]
CATEGORY_PATTERNS = [(category, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b"))
                     for category, words in CATEGORY_WORDS]
TRIM = " \t;,.:–—-"


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str
    label: str  # "Article 3 (a)", "" when the text has no numbering
    category: str
    explore: bool


def suggest_category(text: str) -> str:
    lower = text.lower()
    for category, pattern in CATEGORY_PATTERNS:
        if pattern.search(lower):
            return category.value
    return Category.OTHER.value


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    tail = TRAILING.search(text, start, end)
    if tail:
        end = tail.start()
    match = LEADING.match(text[start:end])
    if match:
        start += match.end()
    return start, end


def _top_level(text: str, start: int, end: int, sep: str) -> list[int]:
    """Positions of `sep` in text[start:end] outside brackets."""
    depth, out = 0, []
    for i in range(start, end):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0 and text.startswith(sep, i):
            out.append(i)
    return out


def _opener(text: str, start: int, end: int, lang: str) -> Optional[int]:
    """Where the list begins after the first opener outside brackets, or None."""
    lower = text[start:end].lower()
    best = None
    for word in OPENERS[lang]:
        for m in re.finditer(rf"\b{re.escape(word)}\b\s+", lower):
            depth = lower[:m.start()].count("(") - lower[:m.start()].count(")")
            if depth == 0 and (best is None or m.start() < best[0]):
                best = (m.start(), start + m.end())
                break
    return best[1] if best else None


def _list_entries(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    cuts = _top_level(text, start, end, ";")
    if not cuts:
        cuts = _top_level(text, start, end, ",")
        if cuts:
            tail = cuts[-1] + 1
            for joiner in LAST_JOINERS[lang]:
                at = text.rfind(joiner, tail, end)
                if at >= 0:
                    cuts.append(at)
                    break
    bounds = [start, *cuts, end]
    pieces = [_trimmed(text, a + (1 if a in cuts and text[a] in ";," else 0), b) for a, b in zip(bounds, bounds[1:])]
    return [(a, b) for a, b in pieces if b > a]


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in SENTENCE_END.finditer(text, start, end):
        yield pos, m.start()
        pos = m.end()
    yield pos, end


def _blocks(text: str) -> Iterator[tuple[int, int, str, int]]:
    """(start, end, label, fewest words of a clause) of each line, markers removed: a lettered
    paragraph may be one word ("(c) cybersecurity;"), other lines need four (headings)."""
    article = ""
    for m in re.finditer(r"[^\n]+", text):
        start, end, label, fewest = m.start(), m.end(), "", 4
        line = m.group()
        art = ARTICLE.match(line.lstrip())
        indent = len(line) - len(line.lstrip())
        if art and art.group().strip():
            article = art.group().strip(TRIM + " ")
            start += indent + art.end()
            label = article
        else:
            para = PARAGRAPH.match(line.lstrip())
            if para:
                label = f"{article} {para.group().strip()}".strip()
                start += indent + para.end()
                fewest = 1
            elif article:
                label = article
        yield start, end, label, fewest


def split_clauses(text: str, lang: str = "ms") -> list[Clause]:
    """The proposed clauses of `text` (Malay 'ms' or English 'en'; anything else reads as
    English), in reading order. Pure: no database, no model."""
    lang = "ms" if lang == "ms" else "en"
    out: list[Clause] = []
    for b_start, b_end, label, fewest in _blocks(text):
        for s_start, s_end in _sentences(text, b_start, b_end):
            s_start, s_end = _trimmed(text, s_start, s_end)
            sentence = text[s_start:s_end]
            if len(sentence.split()) < fewest or not re.search(r"[a-z]", sentence):
                continue
            opener = _opener(text, s_start, s_end, lang)
            spans = _list_entries(text, opener, s_end, lang) if opener else [(s_start, s_end)]
            for a, b in spans:
                piece = text[a:b]
                out.append(Clause(start=a, end=b, text=piece, label=label, category=suggest_category(piece),
                                  explore=bool(EXPLORE.search(piece))))
    return out
