"""The words of each mail, in the reader's language: a digest, an update request and an
expiry notice, each as plain text and HTML built from the same lines (values escaped)."""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Optional

from services.i18n.content import display
from services.i18n.translate import N_, format_date, translator
from services.reminders.due import REASON_LABELS, DueItem
from services.reminders.mail import Outgoing

MAX_LISTED = 30  # a mail lists the first 30 (overdue first); the rest wait on My items
FREQUENCY_WORDS = {"daily": N_("every day"), "weekly": N_("at most once a week")}


@dataclass
class Body:
    """A mail's content: a greeting, paragraphs, a list of (text, link) entries, a footer."""

    greeting: str
    paragraphs: list[str]
    entries: tuple[tuple[str, Optional[str]], ...] = ()
    footer: list[str] = field(default_factory=list)


def link(public_url: str, page: str, lang: str, item_id: Optional[int] = None) -> str:
    """An address in the dashboard: `{PUBLIC_URL}/{page}?id=N&lang=xx` (id only for an item)."""
    query = f"id={int(item_id)}&lang={lang}" if item_id is not None else f"lang={lang}"
    return f"{public_url.rstrip('/')}/{page}?{query}"


@lru_cache(maxsize=1024)
def entry_block(entries: tuple[tuple[str, Optional[str]], ...]) -> tuple[str, str]:
    """(plain, HTML) of a list of entries; many readers of one organisation share one list."""
    esc = html.escape
    plain = "\n".join(f"- {text}" + (f"\n  {url}" if url else "") for text, url in entries)
    items = "".join(f"<li>{esc(text)}" + (f'<br><a href="{esc(url)}">{esc(url)}</a>' if url else "") + "</li>"
                    for text, url in entries)
    return plain, f"<ul>{items}</ul>" if items else ""


def render(to: str, subject: str, body: Body) -> Outgoing:
    plain_list, html_list = entry_block(body.entries)
    lines = [body.greeting, "", *[p + "\n" for p in body.paragraphs], plain_list, "", *body.footer]
    esc = html.escape
    page = (f"<html><body><p>{esc(body.greeting)}</p>"
            + "".join(f"<p>{esc(p)}</p>" for p in body.paragraphs) + html_list
            + "".join(f'<p style="color:#555">{esc(p)}</p>' for p in body.footer) + "</body></html>")
    return Outgoing(to=to, subject=subject, text="\n".join(lines).rstrip() + "\n", html=page)


@lru_cache(maxsize=4096)
def day(value: date, lang: str) -> str:
    """format_date, remembered: a run writes the same few dates into hundreds of mails."""
    return format_date(value, lang)


@lru_cache(maxsize=65536)
def item_line(item: DueItem, lang: str) -> str:
    _ = translator(lang)
    parts = [_(REASON_LABELS[r]) for r in item.reasons]
    parts.append(_("due {day}", day=day(item.due, lang)) if item.due else _("no due date"))
    parts.append(_("{progress}% done", progress=item.progress))
    return f"{display(item, 'title', lang)} ({'; '.join(parts)})"


def entries(items: list[DueItem], lang: str, public_url: str) -> tuple[tuple[str, Optional[str]], ...]:
    """The listed items with their links; past MAX_LISTED one line sends the reader to My items."""
    return _entries(tuple(items[:MAX_LISTED]), len(items), lang, public_url)


@lru_cache(maxsize=1024)
def _entries(listed: tuple[DueItem, ...], total: int, lang: str, public_url: str) -> tuple:
    _ = translator(lang)
    out = [(item_line(i, lang), link(public_url, "item", lang, i.id)) for i in listed]
    if total > len(listed):
        out.append((_("... and {n} more: see My items on the dashboard.", n=total - len(listed)),
                    link(public_url, "items", lang)))
    return tuple(out)


def digest_mail(*, to: str, name: str, lang: str, items: list[DueItem], frequency: str, public_url: str,
                today: date) -> Outgoing:
    """The digest of `items` (non-empty) for one reader; the footer says how to change it."""
    _ = translator(lang)
    subject = _("MoU Tracker: action items that need your attention ({n})", n=len(items))
    body = Body(
        _("Hello {name},", name=name),
        [_("As of {day}, these action items of your organisation are overdue, due soon or not updated "
           "recently. Open one to update its progress:", day=day(today, lang))],
        entries(items, lang, public_url),
        [_("You receive this digest {how}. Change it on My account: {url}",
           how=_(FREQUENCY_WORDS.get(frequency, FREQUENCY_WORDS["weekly"])), url=link(public_url, "account", lang))],
    )
    return render(to, subject, body)


def request_mail(*, to: str, name: str, lang: str, body_name: str, meeting_on: date, window_end: date,
                 items: list[DueItem], public_url: str) -> Outgoing:
    """The secretariat's request for updates on `items` before the meeting of `body_name`."""
    _ = translator(lang)
    subject = _("Update request: {body}, meeting on {day}", body=body_name, day=day(meeting_on, lang))
    body = Body(
        _("Hello {name},", name=name),
        [_("The secretariat asks for an update of these action items before the meeting of {body} on {day}. "
           "Please update them by {end}:", body=body_name, day=day(meeting_on, lang),
           end=day(window_end, lang))],
        entries(items, lang, public_url),
    )
    return render(to, subject, body)


def expiry_mail(*, to: str, name: str, lang: str, code: str, title: str, expires_on: Optional[date],
                notice_by: Optional[date], public_url: str) -> Outgoing:
    """A notice that an agreement expires on `expires_on`, or must be renewed or ended by
    giving notice by `notice_by` (one of them set)."""
    _ = translator(lang)
    if notice_by is not None:
        subject = _("{code}: notice deadline on {day}", code=code, day=day(notice_by, lang))
        para = _("The notice deadline of {title} ({code}) is {day}: decide before then whether to renew or end "
                 "it.", title=title, code=code, day=day(notice_by, lang))
    else:
        subject = _("{code} expires on {day}", code=code, day=day(expires_on, lang))
        para = _("{title} ({code}) expires on {day}. Decide whether to renew it, and record the decision in the "
                 "tracker.", title=title, code=code, day=day(expires_on, lang))
    body = Body(_("Hello {name},", name=name), [para], ((title, link(public_url, "agreements", lang)),))
    return render(to, subject, body)
