"""Keeping the catalogs in step with the code: extraction with Babel (the same keywords and
files as `pybabel extract -F babel.cfg`), updating the three .po files, and the checks the
catalog test and `manage.py i18n check` share. Used by maintainers, never at run time."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from datetime import datetime, timezone

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from core.settings import ROOT
from services.i18n.translate import BABEL_LOCALES, KEYWORDS, LANGUAGES, catalog, catalog_path

MAPPING = ROOT / "babel.cfg"
PROJECT = "MoU Tracker"
HEADER = dict(
    project=PROJECT, copyright_holder="Ministry of Digital, Malaysia",
    msgid_bugs_address="", last_translator="MoU Tracker team", language_team="MoU Tracker team",
    creation_date=datetime(2025, 4, 17, tzinfo=timezone.utc), fuzzy=False,
)


def extract_ast(fileobj, keywords, comment_tags, options):  # noqa: ANN001, ANN201
    """A Babel extraction method (babel.cfg names it) that reads the syntax tree, so it also
    finds t("...") inside an f-string, which Babel's own Python extractor cannot see on
    Python 3.11. Yields every positional argument (None unless a string literal); Babel picks
    the message by each keyword's argument positions."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name in keywords and node.args:
            args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                         for a in node.args)
            yield node.lineno, name, args, []


def extract_messages() -> dict[str, list[tuple[str, int]]]:
    """Every catalog key in the code -> where it occurs (file, line)."""
    with MAPPING.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(MAPPING))
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS,
        directory_filter=lambda d: not d.split("/")[-1].startswith((".", "_")),
    ):
        if isinstance(message, tuple):  # plural forms: the singular is the key
            message = message[0]
        if message:
            found.setdefault(message, []).append((filename, lineno))
    return found


def template(messages: dict[str, list[tuple[str, int]]]) -> Catalog:
    pot = Catalog(**HEADER)
    for message, places in sorted(messages.items()):
        pot.add(message, locations=sorted(places))
    return pot


def update_catalogs() -> dict[str, int]:
    """Add new keys (empty), drop keys the code no longer uses, keep every translation.
    English entries are filled with the key itself, so English is complete by construction."""
    messages = extract_messages()
    if not messages:  # a broken babel.cfg must not empty the catalogs
        raise RuntimeError(f"No interface strings found with {MAPPING.name}: catalogs left unchanged.")
    sizes = {}
    for lang in LANGUAGES:
        pot = template(messages)  # fresh per language: Catalog.update shares Message objects
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as fh:
                po = read_po(fh, locale=BABEL_LOCALES[lang])
        else:
            po = Catalog(locale=BABEL_LOCALES[lang], **HEADER)
        po.update(pot, no_fuzzy_matching=True, update_creation_date=False)
        po.obsolete.clear()
        for message in po:
            if lang == "en" and message.id and not message.string:
                message.string = message.id
        po.revision_date = HEADER["creation_date"]
        po.fuzzy = False
        with path.open("wb") as fh:
            # File names without line numbers: a catalog changes when a string does, not when
            # code moves.
            write_po(fh, po, width=100, sort_output=True, include_lineno=False)
        sizes[lang] = len([m for m in po if m.id])
    catalog.cache_clear()
    return sizes


@dataclass
class CatalogReport:
    missing: dict[str, list[str]] = field(default_factory=dict)  # lang -> keys without text
    unused: dict[str, list[str]] = field(default_factory=dict)  # lang -> keys not in the code
    placeholders: dict[str, list[str]] = field(default_factory=dict)  # lang -> {x} mismatches

    @property
    def ok(self) -> bool:
        return not any((*self.missing.values(), *self.unused.values(), *self.placeholders.values()))


def check_catalogs() -> CatalogReport:
    """What the code asks for against what each catalog holds."""
    keys = set(extract_messages())
    report = CatalogReport()
    catalog.cache_clear()
    for lang in LANGUAGES:
        with catalog_path(lang).open("rb") as fh:
            po = read_po(fh, locale=BABEL_LOCALES[lang])
        held = {m.id: m for m in po if m.id}
        report.missing[lang] = sorted(k for k in keys if k not in held or not held[k].string or held[k].fuzzy)
        report.unused[lang] = sorted(k for k in held if k not in keys)
        report.placeholders[lang] = sorted(
            k for k in keys & set(held) if held[k].string and placeholders(k) != placeholders(held[k].string)
        )
    return report


def placeholders(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
