"""What `manage.py import` prints: the plan as lines of text in the reader's language, and the
sentences around the preview."""
from __future__ import annotations

from services.excel.imports.plan import ImportPlan
from services.i18n.translate import N_, translator


# What the command line prints around the preview (manage.py import --lang).
DRY_RUN = N_("Dry run: nothing was written.")
NOT_WRITTEN = N_("Nothing was written: fix the problems above and run again.")
APPLIED = N_("Applied: {result}")
WORDS_HINT = N_("Map the status words with --values FILE.json, for example (check each suggestion; "
                "statuses: not_started, in_progress, on_hold, completed, cancelled): {example}")


def plan_lines(plan: ImportPlan, lang: str = "en") -> list[str]:
    """The summary, preview, conflicts and problems as lines of text in `lang`."""
    _ = translator(lang)
    lines = [plan.summary().text(lang)] + ["  " + n.text(lang) for n in plan.notes()]
    for p in plan.preview(lang):
        mark = "  " + _("CONFLICT") if p["Conflict"] else ""
        lines.append("  " + _("row {row}: item {id} {title}: {field}: {old} -> {new}", row=p["Row"], id=p["Item ID"],
                              title=repr(p["Action item"][:60]), field=p["Field"], old=p["Old"], new=p["New"]) + mark)
    for c in plan.conflict_view(lang):
        lines.append("  " + _("conflict: item {id} {field}: file {file} / dashboard now {now} "
                              "(exported v{exported}, now v{current})", id=c["Item ID"], field=c["Field"],
                              file=c["In the file"], now=c["In the dashboard now"],
                              exported=c["Exported version"], current=c["Current version"]))
    lines += ["  " + _("problem: {problem}", problem=p.text(lang)) for p in plan.problems]
    for word, rows in plan.status_words.items():
        lines.append("  " + _("status word to map: '{word}' (rows {rows})", word=word,
                              rows=", ".join(str(r) for r in rows[:10])))
    return lines
